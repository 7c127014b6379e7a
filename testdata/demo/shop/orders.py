from flask import Blueprint, request
from flask_login import current_user, login_required

from . import db
from . import limiter

orders_bp = Blueprint("orders", __name__)


@orders_bp.get("/")
@login_required
@limiter.limit("60/minute")
def list_orders():  # ok: api/unauthenticated-endpoint, api/missing-rate-limit
    return {"orders": db.fetch_orders(current_user.id)}


@orders_bp.post("/")
@login_required
def create_order():  # expect: api/missing-rate-limit:warning
    db.insert_order(current_user.id, request.json["total"])
    return {"ok": True}, 201


@orders_bp.get("/<int:order_id>/receipt")
def receipt(order_id):  # expect: api/unauthenticated-endpoint:warning
    return {"order": order_id}


@orders_bp.delete("/<int:order_id>")
def cancel_order(order_id):  # expect: api/unauthenticated-endpoint:error
    return {"cancelled": order_id}
