from datetime import datetime, timedelta

from flask import Blueprint, jsonify, request
from flask_login import login_required
from sqlalchemy import func
from sqlalchemy.orm import selectinload

from ..extensions import db
from ..models import Order, OrderLine, User

bp = Blueprint("customers", __name__)


@bp.get("/")
@login_required
def list_customers():
    return jsonify([u.to_dict() for u in User.query.all()])  # expect: db/unbounded-query:warning


@bp.get("/page")
@login_required
def customers_page():
    page = request.args.get("page", 1, type=int)
    pagination = User.query.order_by(User.id).paginate(page=page, per_page=20)  # ok: db/unbounded-query
    return jsonify([u.to_dict() for u in pagination.items])


@bp.get("/by-location")
@login_required
def customers_by_location():
    country = request.args["country"]
    city = request.args["city"]
    # The composite index (country, city) serves both, and its prefix alone.
    both = User.query.filter(User.country == country, User.city == city).limit(100).all()  # ok: db/missing-index
    same_country = User.query.filter_by(country=country).limit(100).all()  # ok: db/missing-index
    same_city = User.query.filter_by(city=city).limit(100).all()  # expect: db/missing-index:warning
    return jsonify(both=len(both), country=len(same_country), city=len(same_city))


@bp.get("/by-email")
@login_required
def customer_by_email():
    user = User.query.filter(func.lower(User.email) == request.args["email"].lower()).first()  # ok: db/missing-index
    exact = User.query.filter(User.email == request.args["email"]).first()  # ok: db/missing-index
    return jsonify(found=user is not None, exact=exact is not None)


@bp.get("/recently-active")
@login_required
def recently_active():
    since = datetime.utcnow() - timedelta(days=1)
    # ix_users_last_login was created, then dropped by a later migration.
    users = User.query.filter(User.last_login > since).limit(20).all()  # expect: db/missing-index:warning
    return jsonify([u.to_dict() for u in users])


@bp.get("/<int:user_id>/orders")
@login_required
def customer_orders(user_id):
    orders = Order.query.filter_by(user_id=user_id).order_by(Order.placed_at.desc()).limit(20).all()  # expect: db/missing-index:warning
    return jsonify([{"id": o.id, "total": order_total(o.id)} for o in orders])  # expect: db/n-plus-one:warning


def order_total(order_id):
    return db.session.query(func.sum(OrderLine.quantity)).filter(OrderLine.order_id == order_id).scalar()  # ok: db/missing-index


@bp.get("/report")
@login_required
def order_counts():
    counts = {}
    for user in User.query.limit(50).all():
        counts[user.email] = len(user.orders)  # expect: db/n-plus-one:warning
    return jsonify(counts)


@bp.get("/report-prefetched")
@login_required
def order_counts_prefetched():
    counts = {}
    for user in User.query.options(selectinload(User.orders)).limit(50).all():
        counts[user.email] = len(user.orders)  # ok: db/n-plus-one
        counts[user.email + ":lines"] = sum(len(o.lines) for o in user.orders)  # ok: db/n-plus-one
    return jsonify(counts)
