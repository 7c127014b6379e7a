from flask import Blueprint, abort, g, redirect, request, url_for
from flask_login import current_user
from flask_security import roles_required

from .. import services
from ..security import admin_required

admin_bp = Blueprint("admin", __name__, url_prefix="/admin")
reports_bp = Blueprint("reports", __name__, url_prefix="/reports")
exports_bp = Blueprint("exports", __name__, url_prefix="/exports")


@admin_bp.before_request
def require_admin():
    if not current_user.is_authenticated:
        return redirect(url_for("auth.login"))
    if not current_user.is_admin:
        abort(403)


@admin_bp.post("/users/<int:user_id>/ban")
def ban(user_id):  # ok: api/unauthenticated-endpoint  expect: api/missing-rate-limit:warning
    services.ban_user(user_id)
    return "", 204


@admin_bp.delete("/cache")
@admin_required
def clear_cache():  # ok: api/unauthenticated-endpoint
    return "", 204


@reports_bp.before_request
def open_reports_db():
    # Opens a connection for the request; not an auth check.
    g.reports_db = connect_reports()


def connect_reports():
    return object()


@reports_bp.get("/daily")
def daily_report():  # expect: api/unauthenticated-endpoint:warning
    return {"rows": []}


@reports_bp.put("/daily")
def rebuild_daily_report():  # expect: api/unauthenticated-endpoint:error
    return "", 202


@reports_bp.post("/weekly")
@roles_required("analyst")
def schedule_weekly_report():  # ok: api/unauthenticated-endpoint
    return "", 202


def check_export_token():
    if request.headers.get("X-Export-Token") is None:
        abort(401)


# The call form of the hook: every route of exports_bp needs the token.
exports_bp.before_request(check_export_token)


@exports_bp.post("/csv")
def export_csv():  # ok: api/unauthenticated-endpoint
    return "", 202
