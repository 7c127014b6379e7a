from flask import Blueprint, request
from flask_login import current_user, login_required

from . import db
from . import limiter

orders_bp = Blueprint("orders", __name__)


@orders_bp.get("/")
@login_required  # related: api/unauthenticated-endpoint
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


@orders_bp.get("/summary")
@login_required
@limiter.limit("10/minute")
def order_summary():  # ok: api/unauthenticated-endpoint, api/missing-rate-limit
    orders = db.orders_with_status("open")
    # One query for the orders, then one more per order: N+1.
    return {
        "orders": [
            {"id": order_id, "items": db.count_items(order_id)}  # expect: db/n-plus-one
            for order_id, _total in orders  # related: db/n-plus-one
        ]
    }


@orders_bp.get("/search")
@login_required
@limiter.limit("30/minute")
def search():  # ok: api/unauthenticated-endpoint, api/missing-rate-limit
    return {"orders": db.search_orders(request.args.get("q", ""))}
