from flask import Blueprint, request
from flask_login import login_user, logout_user
from werkzeug.security import check_password_hash

from .models import User

auth_bp = Blueprint("auth", __name__)


@auth_bp.post("/login")
def login():  # expect: api/missing-rate-limit:error
    user = User.query.filter_by(email=request.form["email"]).first()
    if user and check_password_hash(user.password_hash, request.form["password"]):
        login_user(user)
        return {"ok": True}
    return {"ok": False}, 401


@auth_bp.post("/logout")
def logout():  # ok: api/unauthenticated-endpoint
    logout_user()
    return {"ok": True}
