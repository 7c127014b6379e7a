from fastapi import APIRouter

router = APIRouter(prefix="/utils", tags=["utils"])


@router.post("/test-email/")
def test_email(email_to: str):  # expect: api/unauthenticated-endpoint:error
    return {"message": f"test email queued for {email_to}"}


@router.get("/ping")
def ping():  # ok: api/unauthenticated-endpoint
    return "pong"
