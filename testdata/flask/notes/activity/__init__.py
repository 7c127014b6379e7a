"""CKAN-style views that reach the signed-in user through a module alias
(`import flask_login as fl`) and deny in the handler."""
import flask_login as fl
from flask import Blueprint, abort, jsonify
from ckan.logic import check_access

bp = Blueprint("activity", __name__, url_prefix="/activity")


class NotAuthorized(Exception):
    pass


def _require_sysadmin():
    if not getattr(fl.current_user, "is_sysadmin", False):
        raise NotAuthorized()


@bp.post("/purge")
def purge_activities():  # ok: api/unauthenticated-endpoint
    try:
        _require_sysadmin()
    except NotAuthorized:
        return abort(403)
    return jsonify(purged=True)


@bp.post("/mark-read")
def mark_read():  # expect: api/unauthenticated-endpoint:error
    # Reads who is signed in, but lets anonymous visitors through.
    name = getattr(fl.current_user, "name", None) or "anonymous"
    return jsonify(marked_by=name)


def _check_admin_auth():
    # The check itself lives in a library the scan does not see.
    check_access("sysadmin", {"user": getattr(fl.current_user, "name", None)})


@bp.post("/admin")
def admin_activities():  # ok: api/unauthenticated-endpoint
    try:
        _check_admin_auth()
    except NotAuthorized:
        return abort(403, "Need to be system administrator")
    user = getattr(fl.current_user, "name", None)
    return jsonify(admin=user)
