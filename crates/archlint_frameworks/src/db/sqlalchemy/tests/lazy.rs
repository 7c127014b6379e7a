//! Relationship lazy loads inside loops over query results.

use super::queries::shows;
use super::run;

const MODELS: &str = r#"
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy.orm import backref

db = SQLAlchemy()

class User(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    orders = db.relationship("Order", back_populates="user")
    profile = db.relationship("Profile", lazy="joined", uselist=False)
    tags = db.relationship("Tag", lazy="dynamic")
    groups = db.relationship("Group", lazy="selectin")

class Order(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    user_id = db.Column(db.Integer, db.ForeignKey("user.id"))
    user = db.relationship("User", back_populates="orders")
    items = db.relationship("Item")

class Item(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    order_id = db.Column(db.Integer, db.ForeignKey("order.id"))

class Profile(db.Model):
    id = db.Column(db.Integer, primary_key=True)

class Tag(db.Model):
    id = db.Column(db.Integer, primary_key=True)

class Group(db.Model):
    id = db.Column(db.Integer, primary_key=True)

class Note(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    author = db.relationship("User", backref=backref("notes", lazy="select"))
"#;

fn lazy(src: &str) -> Vec<String> {
    shows(&run(&[("app/models.py", MODELS), ("app/views.py", src)]))
        .into_iter()
        .filter(|s| s.contains(" lazy "))
        .collect()
}

#[test]
fn default_lazy_relationship_read_in_a_loop_over_query_rows() {
    let q = lazy(
        r#"
from .models import User, Order

def report():
    out = []
    for user in User.query.all():
        out.append(len(user.orders))
        out.append(user.orders)
    return out

def names():
    orders = Order.query.filter(Order.id > 3).all()
    return [o.user.id for o in orders]
"#,
    );
    assert_eq!(
        q,
        [
            "L7 user.orders lazy User.orders | loop=0",
            "L13 o.user lazy Order.user | loop=0",
        ]
    );
}

#[test]
fn eager_options_and_eager_relationships_are_silent() {
    let q = lazy(
        r#"
from sqlalchemy.orm import joinedload, raiseload, selectinload
from .models import User

def report():
    for user in User.query.options(selectinload(User.orders)).all():
        print(user.orders, user.profile, user.groups)
    for user in User.query.options(some_options()).all():
        print(user.orders)
    for user in User.query.all():
        user.tags.append(1)
    for user in User.query.options(raiseload("*")).all():
        print(user.orders)
"#,
    );
    assert!(q.is_empty(), "{q:?}");
}

#[test]
fn dynamic_relationships_backrefs_and_nested_collections() {
    let q = lazy(
        r#"
from sqlalchemy import select
from sqlalchemy.orm import selectinload
from .models import User, db

def report(session):
    for user in session.scalars(select(User).options(selectinload(User.orders))):
        print(user.tags.count(), user.notes)
        for order in user.orders:
            print(order.items)
"#,
    );
    assert_eq!(
        q,
        [
            "L8 user.tags lazy User.tags | loop=0",
            "L8 user.notes lazy User.notes | loop=0",
            "L10 order.items lazy Order.items | loop=1",
        ]
    );
}

#[test]
fn async_sessions_are_not_reported() {
    let q = lazy(
        r#"
from sqlalchemy import select
from .models import User

async def report(session):
    result = await session.execute(select(User))
    for user in result.scalars():
        print(user.orders)
"#,
    );
    assert!(q.is_empty(), "{q:?}");
}
