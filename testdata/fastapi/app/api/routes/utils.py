from fastapi import APIRouter, Header, HTTPException

from app.core.config import settings

router = APIRouter(prefix="/utils", tags=["utils"])


@router.post("/test-email/")
def test_email(email_to: str):  # expect: api/unauthenticated-endpoint:error
    return {"message": f"test email queued for {email_to}"}


@router.get("/ping")
def ping():  # ok: api/unauthenticated-endpoint
    return "pong"


@router.post("/cache/flush")
def flush_cache(x_admin_token: str = Header()):  # ok: api/unauthenticated-endpoint
    # Checks the admin token itself instead of through a dependency.
    if x_admin_token != settings.SECRET_KEY:
        raise HTTPException(status_code=403, detail="Forbidden")
    return {"flushed": True}
