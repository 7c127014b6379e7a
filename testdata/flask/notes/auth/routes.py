import secrets

from flask import abort, g, jsonify, redirect, request, session, url_for
from flask_login import login_required, login_user, logout_user
from werkzeug.security import check_password_hash, generate_password_hash

from ..extensions import db, limiter
from ..models import User
from . import bp


@bp.before_app_request
def load_logged_in_user():
    # Loads the user for templates; it rejects nobody.
    g.user = User.query.get(session.get("user_id"))


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit("5 per minute")
def login():  # ok: api/missing-rate-limit
    if request.method == "GET":
        return "login form"
    user = User.query.filter_by(email=request.form["email"]).first()
    if user is None or not check_password_hash(user.password_hash, request.form["password"]):
        return "invalid credentials", 401
    login_user(user)
    return redirect(url_for("notes.index"))


@bp.post("/register")
def register():  # expect: api/missing-rate-limit:error
    user = User(
        email=request.form["email"],
        password_hash=generate_password_hash(request.form["password"]),
    )
    db.session.add(user)
    db.session.commit()
    return redirect(url_for("auth.login"))


@bp.post("/token")
def issue_token():  # expect: api/missing-rate-limit:error
    return jsonify(token=secrets.token_urlsafe(32))


@bp.get("/logout")
@login_required
def logout():
    logout_user()
    return redirect(url_for("auth.login"))


@bp.post("/key-exchange")
def exchange_key_for_token():  # expect: api/missing-rate-limit:error
    # Checks the key itself: the check runs inside the handler, so guessing
    # keys here is what a limit would stop.
    if request.headers.get("X-Api-Key") != "expected":
        abort(401)
    return jsonify(token=secrets.token_urlsafe(32))


@bp.post("/tokens/<int:token_id>/revoke")
@login_required
def revoke_token(token_id):  # ok: api/missing-rate-limit
    # Behind the login: revoking one's own token guesses nothing.
    return jsonify(revoked=token_id)
