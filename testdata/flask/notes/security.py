"""Project decorators used on views."""
from functools import wraps

from flask import abort
from flask_login import current_user


def admin_required(view):
    @wraps(view)
    def wrapped(*args, **kwargs):
        if not current_user.is_authenticated or not current_user.is_admin:
            abort(403)
        return view(*args, **kwargs)

    return wrapped


def owner_only(view):
    """Rejects requests from anyone but the note's owner."""

    @wraps(view)
    def wrapped(*args, **kwargs):
        if current_user.is_anonymous:
            abort(401)
        return view(*args, **kwargs)

    return wrapped


def public(view):
    """Marks a view as public on purpose (read by the audit tooling)."""
    view.is_public = True
    return view
