from flask import Blueprint, jsonify, request
from flask_login import login_required

from ..extensions import db
from ..models import Coupon, Product

bp = Blueprint("catalog", __name__)


@bp.get("/products/by-title")
@login_required
def product_by_title():
    title = request.args["title"]
    product = Product.query.filter_by(title=title).first()  # expect: db/missing-index:warning
    return jsonify(id=product.id)


@bp.get("/products/by-category")
@login_required
def products_by_category():
    category = request.args["category"]
    products = Product.query.filter_by(category=category).limit(50).all()  # ok: db/missing-index, db/unbounded-query
    return jsonify([{"id": p.id, "title": p.title} for p in products])


@bp.get("/products/by-sku/<sku>")
@login_required
def product_by_sku(sku):
    stmt = db.select(Product).where(Product.sku == sku)
    product = db.session.execute(stmt).scalar_one_or_none()  # ok: db/missing-index
    return jsonify(id=product.id)


@bp.get("/coupons/<code>")
@login_required
def coupon(code):
    # The index was created in a loop over a list of index specs, on a table
    # created under another name and renamed.
    found = Coupon.query.filter_by(code=code).first()  # ok: db/missing-index
    return jsonify(percent=found.percent if found else 0)


@bp.get("/products/premium")
@login_required
def premium_products():
    # Served by `ix_products_price_desc` (a helper created it, as `price DESC`).
    products = Product.query.filter(Product.price > 100).limit(20).all()  # ok: db/missing-index
    return jsonify([p.id for p in products])
