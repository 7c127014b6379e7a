"""An older service still on Flask-Limiter 2: `Limiter(app, ...)` with the app first."""
from flask import Flask, request
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address

from .store import save_feedback

app = Flask(__name__)
limiter = Limiter(app, key_func=get_remote_address, default_limits=["1000 per day"])


@app.post("/feedback")
def feedback():  # expect: api/unauthenticated-endpoint:error  ok: api/missing-rate-limit
    save_feedback(request.form["text"])
    return "", 204


@app.post("/session")
def open_session():  # ok: api/unauthenticated-endpoint, api/missing-rate-limit
    # Checks the key it receives: a check inside the handler, not a
    # convention that other routes of the app could forget.
    if request.headers.get("X-Api-Key") != "expected":
        return "", 401
    return "", 204


@app.get("/motd")
def motd():  # expect: api/unauthenticated-endpoint:note
    return "hello"
