"""Task API, mounted under /tasks: a versioned (cadwyn) application whose
versioned router requires the task token on every route."""
from cadwyn import Cadwyn, VersionedAPIRouter
from fastapi import APIRouter, Security

from app.core.security import verify_token

results = APIRouter()


@results.put("/{task_id}")
def put_result(task_id: int, value: str):  # ok: api/unauthenticated-endpoint
    return {"task": task_id, "value": value}


authenticated = VersionedAPIRouter(dependencies=[Security(verify_token)])
authenticated.include_router(results, prefix="/results")

tasks_router = APIRouter()
tasks_router.include_router(authenticated)

tasks_app = Cadwyn()
tasks_app.generate_and_include_versioned_routers(tasks_router)
