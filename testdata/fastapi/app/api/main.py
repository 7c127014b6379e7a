from fastapi import APIRouter, Depends
from fastapi_limiter.depends import RateLimiter

from app.api.deps import require_admin
from app.api.routes import admin, items, login, users, utils, webhooks

api_router = APIRouter()
api_router.include_router(login.router)
api_router.include_router(users.router)
api_router.include_router(items.router)
api_router.include_router(utils.router)
api_router.include_router(admin.router, prefix="/admin", dependencies=[Depends(require_admin)])
# Include-time rate limit: covers every webhook route.
api_router.include_router(webhooks.router, dependencies=[Depends(RateLimiter(times=100, seconds=60))])
