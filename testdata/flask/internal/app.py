"""Internal jobs API: a module-level app guarded by an API key."""
import os

from flask import Blueprint, Flask, abort, request
from flask_httpauth import HTTPTokenAuth
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address

from .db import queue_job

app = Flask(__name__)
limiter = Limiter(get_remote_address, app=app, default_limits=["200 per day", "50 per hour"])
token_auth = HTTPTokenAuth(scheme="Bearer")


@app.before_request
def check_api_key():
    if request.path == "/ping":
        return None
    if request.headers.get("X-Api-Key") != os.environ["JOBS_API_KEY"]:
        abort(401)


@app.post("/jobs")
def enqueue_job():  # ok: api/unauthenticated-endpoint, api/missing-rate-limit
    return {"id": queue_job(request.json)}, 201


@app.put("/jobs/<job_id>/priority")
@token_auth.login_required
def set_priority(job_id):  # ok: api/unauthenticated-endpoint
    return "", 204


@app.get("/ping")
def ping():  # ok: api/unauthenticated-endpoint
    return "pong"


# Never registered anywhere: its routes keep the blueprint's own prefix.
legacy_bp = Blueprint("legacy", __name__, url_prefix="/legacy")


@legacy_bp.get("/feed")
def old_feed():  # expect: api/unauthenticated-endpoint:note
    return []
