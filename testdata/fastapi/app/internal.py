"""Internal API, mounted under /internal: every route needs the internal token."""
from fastapi import Depends, FastAPI
from slowapi import Limiter
from slowapi.middleware import SlowAPIMiddleware
from slowapi.util import get_remote_address

from app import crud
from app.api.deps import SessionDep
from app.core.security import verify_token

internal_limiter = Limiter(key_func=get_remote_address, default_limits=["600/minute"])
internal_app = FastAPI(dependencies=[Depends(verify_token)])
internal_app.state.limiter = internal_limiter
internal_app.add_middleware(SlowAPIMiddleware)


@internal_app.post("/users/{user_id}/deactivate")
def internal_deactivate(user_id: int, session: SessionDep):  # ok: api/unauthenticated-endpoint, api/missing-rate-limit
    crud.deactivate(session, user_id)
    return {"ok": True}
