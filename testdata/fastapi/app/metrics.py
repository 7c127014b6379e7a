"""Prometheus-style metrics, mounted under /metrics, behind a bearer key."""
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, PlainTextResponse

from app.core.config import settings

metrics_app = FastAPI()


@metrics_app.middleware("http")
async def require_metrics_key(request: Request, call_next):
    if request.headers.get("Authorization") != f"Bearer {settings.METRICS_KEY}":
        return JSONResponse(status_code=401, content={"detail": "Not authenticated"})
    return await call_next(request)


@metrics_app.get("/")
def metrics():  # ok: api/unauthenticated-endpoint
    return PlainTextResponse("requests_total 1\n")


@metrics_app.post("/reset")
def reset_metrics():  # ok: api/unauthenticated-endpoint
    return {"reset": True}
