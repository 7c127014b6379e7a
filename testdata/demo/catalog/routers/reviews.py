from fastapi import APIRouter

router = APIRouter(prefix="/reviews")


@router.post("/")
async def add_review(body: dict):  # ok: api/unauthenticated-endpoint
    return body
