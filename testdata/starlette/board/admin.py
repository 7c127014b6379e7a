from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.base import BaseHTTPMiddleware
from starlette.responses import JSONResponse, Response
from starlette.routing import Route


class AdminKeyMiddleware(BaseHTTPMiddleware):
    async def dispatch(self, request, call_next):
        if request.headers.get("X-Admin-Key") != "s3cret":
            return Response("forbidden", status_code=403)
        return await call_next(request)


async def purge_cache(request):  # ok: api/unauthenticated-endpoint
    return JSONResponse({"purged": True})


admin_app = Starlette(
    routes=[Route("/cache/purge", purge_cache, methods=["POST"])],
    middleware=[Middleware(AdminKeyMiddleware)],
)
