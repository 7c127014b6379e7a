import time

from fastapi import FastAPI, Request
from slowapi import _rate_limit_exceeded_handler
from slowapi.errors import RateLimitExceeded
from slowapi.middleware import SlowAPIMiddleware

from app.api.main import api_router
from app.core.config import settings
from app.core.limits import limiter
from app.internal import internal_app
from app.metrics import metrics_app
from app.tasks import tasks_app

app = FastAPI(title=settings.PROJECT_NAME, openapi_url=f"{settings.API_V1_STR}/openapi.json")
# The limiter has no default limits: only decorated routes are limited.
app.state.limiter = limiter
app.add_exception_handler(RateLimitExceeded, _rate_limit_exceeded_handler)
app.add_middleware(SlowAPIMiddleware)


@app.middleware("http")
async def add_process_time_header(request: Request, call_next):
    # Timing only: it authenticates nothing.
    start = time.perf_counter()
    response = await call_next(request)
    response.headers["X-Process-Time"] = str(time.perf_counter() - start)
    return response


app.include_router(api_router, prefix=settings.API_V1_STR)
app.mount("/internal", internal_app)
app.mount("/metrics", metrics_app)
app.mount("/tasks", tasks_app)


@app.get("/health")
def health():  # ok: api/unauthenticated-endpoint
    return {"status": "ok"}


def version():  # expect: api/unauthenticated-endpoint:note
    return {"version": settings.VERSION}


app.add_api_route("/version", version, methods=["GET"])
