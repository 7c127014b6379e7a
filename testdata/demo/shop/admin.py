from flask import Blueprint, abort
from flask_login import current_user

admin_bp = Blueprint("admin", __name__, url_prefix="/admin")


@admin_bp.before_request
def require_admin():
    if not current_user.is_authenticated or not current_user.is_admin:
        abort(403)


@admin_bp.post("/reindex")
def reindex():  # ok: api/unauthenticated-endpoint
    return {"queued": True}
