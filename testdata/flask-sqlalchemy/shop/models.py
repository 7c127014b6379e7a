"""ORM mapping. The tables themselves are created by the Alembic migrations
(what the database has); these classes map classes and attributes to them."""
from .extensions import db, login_manager


class User(db.Model):
    __tablename__ = "users"
    id = db.Column(db.Integer, primary_key=True)
    email = db.Column(db.String(255), unique=True, nullable=False)
    nickname = db.Column("display_name", db.String(80))
    city = db.Column(db.String(80))
    country = db.Column(db.String(2))
    last_login = db.Column(db.DateTime)
    created_at = db.Column(db.DateTime)
    orders = db.relationship("Order", back_populates="user")

    def to_dict(self):
        return {"id": self.id, "email": self.email, "nickname": self.nickname}


class Product(db.Model):
    __tablename__ = "products"
    id = db.Column(db.Integer, primary_key=True)
    sku = db.Column(db.String(32), unique=True, nullable=False)
    title = db.Column(db.String(200))
    category = db.Column(db.String(50), index=True)
    price = db.Column(db.Numeric(10, 2))


class Order(db.Model):
    __tablename__ = "orders"
    id = db.Column(db.Integer, primary_key=True)
    user_id = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=False)
    status = db.Column(db.String(20))
    placed_at = db.Column(db.DateTime, index=True)
    user = db.relationship("User", back_populates="orders")
    lines = db.relationship("OrderLine", lazy="selectin")


class OrderLine(db.Model):
    __tablename__ = "order_lines"
    id = db.Column(db.Integer, primary_key=True)
    order_id = db.Column(db.Integer, db.ForeignKey("orders.id"), index=True)
    product_id = db.Column(db.Integer)
    quantity = db.Column(db.Integer, default=1)


class Coupon(db.Model):
    __tablename__ = "coupons"
    id = db.Column(db.Integer, primary_key=True)
    code = db.Column(db.String(32), nullable=False)
    expires_at = db.Column(db.DateTime)
    percent = db.Column(db.Integer, nullable=False)


@login_manager.user_loader
def load_user(user_id):
    return User.query.get(int(user_id))
