from fastapi import APIRouter, Depends
from fastapi_limiter.depends import RateLimiter

from app import crud
from app.api.deps import SessionDep

# Included with dependencies=[Depends(require_admin)] in app/api/main.py.
router = APIRouter(tags=["admin"])


@router.post("/users/{user_id}/deactivate", dependencies=[Depends(RateLimiter(times=5, seconds=60))])
def deactivate_user(user_id: int, session: SessionDep):  # ok: api/unauthenticated-endpoint, api/missing-rate-limit
    crud.deactivate(session, user_id)
    return {"ok": True}


@router.api_route("/sync", methods=["GET", "POST"])
def sync():  # ok: api/unauthenticated-endpoint
    return {"queued": True}
