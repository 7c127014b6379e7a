"""A shared-password back office: the handler checks the password itself."""
from flask import Blueprint, abort, current_app, jsonify, request

bp = Blueprint("backstage", __name__, url_prefix="/backstage")


@bp.post("/enter")
def enter():  # expect: api/missing-rate-limit:error
    # Compares a submitted password: guessing it is what a limit would stop.
    if request.form["password"] != current_app.config["BACKSTAGE_PASSWORD"]:
        abort(403)
    return jsonify(entered=True)


@bp.post("/enroll")
def enroll():  # expect: api/unauthenticated-endpoint:error  ok: api/missing-rate-limit
    # Two fields of one form, and an empty check: nothing secret is guessed.
    password = request.form["password"]
    if password == "" or password != request.form["password_confirm"]:
        abort(400)
    return jsonify(enrolled=True)
