from flask import Blueprint

pages_bp = Blueprint("pages", __name__)

PROMOTIONS = [{"code": "WELCOME10", "percent_off": 10}]


@pages_bp.get("/api/promotions")
def promotions():  # expect: api/unauthenticated-endpoint:note
    # Read-only and public by intent, but nothing says so: a note, not a warning.
    return {"promotions": PROMOTIONS}
