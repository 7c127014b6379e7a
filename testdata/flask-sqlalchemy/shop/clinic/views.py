"""A `clinic` package is no command-line interface: its queries serve requests."""
from flask import Blueprint, jsonify
from flask_login import login_required

from ..extensions import db
from ..models import Order, OrderLine, User

bp = Blueprint("clinic", __name__)


@bp.get("/line-counts")
@login_required
def line_counts():
    counts = {}
    for order in Order.query.limit(50).all():
        counts[order.id] = db.session.query(OrderLine).filter(OrderLine.order_id == order.id).count()  # expect: db/n-plus-one:warning
    return jsonify(counts)


@bp.get("/in/<city>")
@login_required
def users_in_city(city):
    return jsonify([u.email for u in User.query.filter_by(city=city).limit(100).all()])  # expect: db/missing-index:warning
