//! ORM queries: 1.x `Query` chains, 2.0 statements and their execution,
//! shapes, and where rows go.

use super::run;
use archlint_model::{ColumnOp, ColumnUse, DbModel, QueryFact, QuerySource};

const MODELS: &str = r#"
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import Column, ForeignKey, Integer, String, DateTime
from sqlalchemy.orm import relationship

db = SQLAlchemy()

class User(db.Model):
    __tablename__ = "users"
    id = Column(Integer, primary_key=True)
    email = Column("email_address", String, index=True)
    name = Column(String)
    age = Column(Integer)
    created_at = Column(DateTime)
    orders = relationship("Order", back_populates="user")

class Order(db.Model):
    __tablename__ = "orders"
    id = Column(Integer, primary_key=True)
    user_id = Column(Integer, ForeignKey("users.id"))
    status = Column(String)
    user = relationship("User", back_populates="orders")
"#;

fn col(u: &ColumnUse) -> String {
    let op = match u.op {
        ColumnOp::Eq => "=",
        ColumnOp::Range => "~",
        ColumnOp::In => " in",
        ColumnOp::Like => " like",
        ColumnOp::IsNull => " null",
        ColumnOp::Other => "?",
    };
    let name = match &u.expr {
        Some(e) => e.clone(),
        None => u.column.clone(),
    };
    format!(
        "{}.{name}{op}{}",
        u.table.as_deref().unwrap_or("?"),
        if u.in_or { "|or" } else { "" }
    )
}

/// `L<line> <api> [<tables>] <filters> ... | rows ret bound=x loop=i`.
pub(super) fn show(q: &QueryFact) -> String {
    let mut parts = vec![format!("L{} {}", q.span.start.line, q.api)];
    if let QuerySource::LazyLoad(m) = &q.source {
        parts.push(format!("lazy {m}"));
    }
    match &q.shape {
        Some(s) => {
            let tables: Vec<&str> = s.tables.iter().map(|t| t.name.as_str()).collect();
            parts.push(format!("[{}]", tables.join(",")));
            if s.kind != archlint_model::QueryKind::Select {
                parts.push(format!("{:?}", s.kind).to_lowercase());
            }
            for f in &s.filters {
                parts.push(col(f));
            }
            for (a, b) in &s.joins {
                parts.push(format!(
                    "join {}={}",
                    col(a).trim_end_matches('='),
                    col(b).trim_end_matches('=')
                ));
            }
            for o in &s.order_by {
                parts.push(format!("order {}", col(o).trim_end_matches('?')));
            }
            if s.limit {
                parts.push("limit".into());
            }
            if s.aggregate {
                parts.push("agg".into());
            }
            if !s.subqueries.is_empty() {
                parts.push(format!("sub{}", s.subqueries.len()));
            }
        }
        None if matches!(q.source, QuerySource::Orm) => parts.push("opaque".into()),
        None => {}
    }
    let mut flags = Vec::new();
    if q.all_rows {
        flags.push("rows".to_string());
    }
    if q.returned {
        flags.push("ret".to_string());
    }
    if let Some(b) = &q.bound_to {
        flags.push(format!("bound={b}"));
    }
    if let Some(l) = q.loop_idx {
        flags.push(format!("loop={l}"));
    }
    if !flags.is_empty() {
        parts.push(format!("| {}", flags.join(" ")));
    }
    parts.join(" ")
}

pub(super) fn shows(m: &DbModel) -> Vec<String> {
    m.queries
        .iter()
        .filter(|q| q.source != QuerySource::RawSql)
        .map(show)
        .collect()
}

fn with_models(src: &str) -> Vec<String> {
    shows(&run(&[("app/models.py", MODELS), ("app/views.py", src)]))
}

#[test]
fn query_1x_filter_filter_by_order_by_limit_and_get() {
    let q = with_models(
        r#"
from .models import User, Order, db

def f(session, x):
    a = session.query(User).filter(User.email == x).first()
    b = db.session.query(User).filter_by(name=x).order_by(User.created_at.desc()).limit(10).all()
    c = session.query(User).get(x)
    d = session.query(User.id, User.name).filter(User.age > 18, User.age < 65).count()
    return a, b, c, d
"#,
    );
    assert_eq!(
        q,
        [
            "L5 session.query.first [users] users.email_address= limit | ret bound=a",
            "L6 db.session.query.all [users] users.name= order users.created_at limit | ret bound=b",
            "L7 session.query.get [users] users.id= limit | ret bound=c",
            "L8 session.query.count [users] users.age~ users.age~ agg | ret bound=d",
        ]
    );
}

#[test]
fn flask_sqlalchemy_model_query_and_pagination() {
    let q = with_models(
        r#"
from .models import User

def f(email, page):
    u = User.query.filter_by(email=email).first_or_404()
    users = User.query.order_by(User.name).paginate(page=page, per_page=20)
    return User.query.get_or_404(3)
"#,
    );
    assert_eq!(
        q,
        [
            "L5 User.query.first_or_404 [users] users.email_address= limit | bound=u",
            "L6 User.query.paginate [users] order users.name limit | bound=users",
            "L7 User.query.get_or_404 [users] users.id= limit | ret",
        ]
    );
}

#[test]
fn select_2_0_operators_and_joins() {
    let q = with_models(
        r#"
from sqlalchemy import and_, or_, func, select
from .models import User, Order

def f(session, x, ids):
    s1 = select(User).where(and_(User.name == x, or_(User.age == 1, User.age == 2)))
    session.execute(s1)
    s2 = select(User).where(User.id.in_(ids), User.email.ilike(x), User.created_at.is_(None))
    session.scalars(s2)
    s3 = select(User).where(func.lower(User.email) == x, User.age.between(1, 5))
    session.execute(s3)
    s4 = select(Order).join(User, Order.user_id == User.id).where(User.name == x)
    session.execute(s4)
    s5 = select(User).join(User.orders).where(Order.status == x)
    session.execute(s5)
"#,
    );
    assert_eq!(
        q,
        [
            "L7 session.execute [users] users.name= users.age=|or users.age=|or",
            "L9 session.scalars [users] users.id in users.lower(email_address) like users.created_at null",
            "L11 session.execute [users] users.lower(email_address)= users.age~",
            "L13 session.execute [orders,users] users.name= join orders.user_id=users.id",
            "L15 session.execute [users,orders] orders.status= join users.id=orders.user_id",
        ]
    );
}

#[test]
fn async_statement_built_in_a_local_and_executed_later() {
    let q = with_models(
        r#"
from sqlalchemy import select
from .models import User

async def list_users(session, name):
    stmt = select(User).where(User.name == name)
    stmt = stmt.order_by(User.created_at)
    result = await session.execute(stmt)
    return result.scalars().all()

async def one_user(session, uid):
    user = await session.get(User, uid)
    n = await session.scalar(select(func.count()).select_from(User))
    return user
"#,
    );
    assert_eq!(
        q,
        [
            "L8 session.execute [users] users.name= order users.created_at | rows ret bound=result",
            "L12 session.get [users] users.id= limit | ret bound=user",
            "L13 session.scalar [users] agg | bound=n",
        ]
    );
}

#[test]
fn rows_returned_through_wrappers_comprehensions_and_locals() {
    let q = with_models(
        r#"
from flask import jsonify
from .models import User

def a():
    return jsonify([u.to_dict() for u in User.query.all()])

def b():
    users = User.query.all()
    return {"items": [u.to_dict() for u in users]}

def c():
    users = User.query.limit(50).all()
    return jsonify(users)

def d():
    return len(User.query.all())

def e():
    for u in User.query.filter(User.age > 3):
        print(u)
"#,
    );
    assert_eq!(
        q,
        [
            "L6 User.query.all [users] | rows ret",
            "L9 User.query.all [users] | rows ret bound=users",
            "L13 User.query.all [users] limit | ret bound=users",
            "L17 User.query.all [users] | rows",
            "L20 User.query [users] users.age~ | rows",
        ]
    );
}

#[test]
fn queries_in_loops_and_rows_bound_for_later_loops() {
    let q = with_models(
        r#"
from sqlalchemy import select
from .models import User, Order

def f(session):
    result = session.execute(select(Order))
    orders = result.scalars().all()
    for o in orders:
        session.execute(select(User).where(User.id == o.user_id))
    q = session.query(User)
    q = q.filter(User.name == "x")
    return [x.id for x in q]
"#,
    );
    assert_eq!(
        q,
        [
            "L6 session.execute [orders] | rows bound=orders",
            "L9 session.execute [users] users.id= | loop=0",
            "L12 session.query [users] users.name= | rows ret",
        ]
    );
}

#[test]
fn unknown_conditions_withhold_the_shape() {
    let q = with_models(
        r#"
from sqlalchemy import select, text
from .models import User

def f(session, filters):
    session.query(User).filter(text("age > 3")).all()
    session.query(User).filter_by(**filters).first()
    session.execute(select(User).where(User.orders.any(status="x")))
    session.query(User).not_deleted().all()
"#,
    );
    assert_eq!(
        q,
        [
            "L6 session.query.all opaque | rows",
            "L7 session.query.first opaque",
            "L8 session.execute opaque",
        ]
    );
}

#[test]
fn update_and_delete_statements() {
    let q = with_models(
        r#"
from sqlalchemy import delete, update
from .models import User, db

def f(x):
    db.session.execute(update(User).where(User.name == x).values(age=3))
    db.session.execute(delete(User).where(User.age < 3))
    User.query.filter(User.name == x).delete()
"#,
    );
    assert_eq!(
        q,
        [
            "L6 db.session.execute [users] update users.name=",
            "L7 db.session.execute [users] delete users.age~",
            "L8 User.query.delete [users] delete users.name=",
        ]
    );
}

#[test]
fn flask_sqlalchemy_3_statements_on_the_extension() {
    let q = with_models(
        r#"
from .models import User, db

def f(x):
    users = db.session.execute(db.select(User).where(User.name == x)).scalars().all()
    page = db.paginate(db.select(User).order_by(User.id))
    one = db.first_or_404(db.select(User).filter_by(email=x))
    return users
"#,
    );
    assert_eq!(
        q,
        [
            "L5 db.session.execute [users] users.name= | rows ret bound=users",
            "L6 db.paginate [users] order users.id limit | bound=page",
            "L7 db.first_or_404 [users] users.email_address= limit | bound=one",
        ]
    );
}

#[test]
fn non_sqlalchemy_look_alikes_are_not_queries() {
    let q = with_models(
        r#"
from elasticsearch import Elasticsearch
from .models import User

def f(es, client):
    es.query("users").all()
    client.execute(job)
    items = [1, 2, 3]
    select(User)
"#,
    );
    assert!(q.is_empty(), "{q:?}");
}

#[test]
fn locals_rebound_by_tuples_and_loops_are_unknown() {
    let q = with_models(
        r#"
from sqlalchemy import select
from .models import User

def f(session, statements):
    stmt = select(User).where(User.name == "a")
    stmt, total = paginate(stmt)
    session.execute(stmt)
    q = select(User)
    for q in statements:
        session.execute(q)
"#,
    );
    assert!(q.is_empty(), "{q:?}");
}

#[test]
fn project_helpers_returning_queries_and_project_functions_named_like_session_methods() {
    let q = shows(&run(&[
        ("app/models.py", MODELS),
        (
            "app/database.py",
            r#"
from .models import User, db

def session_query(model):
    return model.query if hasattr(model, "query") else db.session.query(model)

def get(model, value, field="id"):
    query = session_query(model)
    return query.filter(getattr(model, field) == value).scalar()

def active_users():
    return User.query.filter(User.age > 18)
"#,
        ),
        (
            "app/views.py",
            r#"
from . import database
from .database import active_users
from .models import User

def f(name):
    role = database.get(User, name, field="name")
    for u in active_users().all():
        print(u.orders)
"#,
        ),
    ]));
    assert_eq!(
        q,
        [
            // The helper's own query, opaque (its entity is a parameter).
            "L9 db.session.query.scalar opaque | ret",
            // `database.get` is project code, not `session.get`.
            "L8 User.query.all [users] users.age~ | rows",
            "L9 u.orders lazy User.orders | loop=0",
        ]
    );
}
