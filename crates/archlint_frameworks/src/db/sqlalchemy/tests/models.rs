//! Declarative models and Core tables as schema.

use super::{run, tables};

const FLASK_EXT: &str = "from flask_sqlalchemy import SQLAlchemy\ndb = SQLAlchemy()\n";

#[test]
fn flask_sqlalchemy_models_with_default_table_names() {
    let m = run(&[
        ("app/extensions.py", FLASK_EXT),
        (
            "app/models.py",
            r#"
from .extensions import db

user_roles = db.Table(
    "user_roles",
    db.Column("user_id", db.Integer, db.ForeignKey("user_account.id"), primary_key=True),
    db.Column("role_id", db.Integer, db.ForeignKey("role.id"), primary_key=True),
)

class UserAccount(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    email = db.Column(db.String(255), unique=True, nullable=False)
    name = db.Column("full_name", db.String(80), index=True)
    city = db.Column(db.String(80))
    country = db.Column(db.String(80))
    __table_args__ = (
        db.Index("ix_user_country_city", "country", "city"),
        db.UniqueConstraint("name", "city"),
    )

class Role(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    label = db.Column(db.String(20))
"#,
        ),
    ]);
    assert_eq!(
        tables(&m),
        [
            "role: id, label | pk(id) | ",
            "user_account: id, email, full_name, city, country | pk(id) uniq(email) \
             idx(full_name) idx(country,city) uniq(name,city) | ",
            "user_roles: user_id, role_id | pk(user_id,role_id) | \
             fk(user_id->user_account.id) fk(role_id->role.id)",
        ]
    );
    let t = m.schema.table("user_account").unwrap();
    let idx = t.indexes.iter().find(|i| i.columns.len() == 2).unwrap();
    assert_eq!(idx.name.as_deref(), Some("ix_user_country_city"));
    let named = t.indexes.iter().find(|i| i.is_column_0("full_name"));
    assert_eq!(
        named.and_then(|i| i.name.as_deref()),
        Some("ix_user_account_full_name")
    );
}

trait FirstColumn {
    fn is_column_0(&self, c: &str) -> bool;
}

impl FirstColumn for archlint_model::Index {
    fn is_column_0(&self, c: &str) -> bool {
        self.columns.first().is_some_and(|p| p.is_column(c))
    }
}

#[test]
fn declarative_2_0_mapped_columns_and_foreign_key_locations() {
    let m = run(&[(
        "app/models.py",
        r#"
from typing import Optional
from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

class Base(DeclarativeBase):
    pass

class User(Base):
    __tablename__ = "users"
    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(255), index=True)
    nickname: Mapped[Optional[str]]
    orders: Mapped[list["Order"]] = relationship(back_populates="user")

class Order(Base):
    __tablename__ = "orders"
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    user: Mapped["User"] = relationship(back_populates="orders")
"#,
    )]);
    assert_eq!(
        tables(&m),
        [
            "orders: id, user_id | pk(id) | fk(user_id->users.id)",
            "users: id, email, nickname | pk(id) idx(email) | ",
        ]
    );
    let fks = m.schema.foreign_keys_without_index();
    assert_eq!(fks.len(), 1);
    let (_, fk) = fks[0];
    // The foreign key is reported at its column's line.
    assert_eq!(fk.declared_at.path, "app/models.py");
    assert_eq!(fk.declared_at.span.start.line, 19);
    assert!(m.schema.table("users").is_some_and(|t| !t.partial));
}

#[test]
fn mixins_abstract_bases_and_declared_attr_table_names() {
    let m = run(&[(
        "models.py",
        r#"
from sqlalchemy import Column, DateTime, Integer, String
from sqlalchemy.orm import declarative_base, declared_attr

Base = declarative_base()

class TimestampMixin:
    created_at = Column(DateTime, index=True)

class NamedTable:
    @declared_attr
    def __tablename__(cls):
        return cls.__name__.lower()

class Entity(Base):
    __abstract__ = True
    id = Column(Integer, primary_key=True)

class Product(TimestampMixin, NamedTable, Entity):
    title = Column(String)
"#,
    )]);
    assert_eq!(
        tables(&m),
        ["product: id, created_at, title | pk(id) idx(created_at) | "]
    );
}

#[test]
fn single_and_joined_table_inheritance() {
    let m = run(&[(
        "models.py",
        r#"
from sqlalchemy import Column, ForeignKey, Integer, String
from sqlalchemy.orm import declarative_base

Base = declarative_base()

class Employee(Base):
    __tablename__ = "employee"
    id = Column(Integer, primary_key=True)
    kind = Column(String)

class Manager(Employee):
    budget = Column(Integer)

class Engineer(Employee):
    __tablename__ = "engineer"
    id = Column(Integer, ForeignKey("employee.id"), primary_key=True)
    language = Column(String, index=True)
"#,
    )]);
    assert_eq!(
        tables(&m),
        [
            "employee: id, kind, budget | pk(id) | ",
            "engineer: id, language | pk(id) idx(language) | fk(id->employee.id)",
        ]
    );
}

#[test]
fn core_tables_and_module_level_indexes() {
    let m = run(&[(
        "schema.py",
        r#"
import sqlalchemy as sa
from sqlalchemy.orm import declarative_base

metadata = sa.MetaData()
Base = declarative_base()

events = sa.Table(
    "events",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("kind", sa.String),
    sa.Column("user_id", sa.Integer, sa.ForeignKey("users.id")),
    sa.Index("ix_events_user_kind", "user_id", "kind"),
)

reflected = sa.Table("legacy", metadata, autoload_with=engine)

class User(Base):
    __tablename__ = "users"
    __table_args__ = {"schema": "auth"}
    id = sa.Column(sa.Integer, primary_key=True)
    email = sa.Column(sa.String)

sa.Index("ix_users_lower_email", sa.func.lower(User.email), unique=True)
"#,
    )]);
    assert_eq!(
        tables(&m),
        [
            "auth.users: id, email | pk(id) uidx(<lower(email)>) | ",
            "events: id, kind, user_id | pk(id) idx(user_id,kind) | fk(user_id->users.id)",
            "legacy (partial):  |  | ",
        ]
    );
}

#[test]
fn classes_that_are_not_models_declare_nothing() {
    let m = run(&[(
        "forms.py",
        r#"
class Column:
    pass

class Form(BaseForm):
    __tablename__ = "nope"
    name = Column(String)
"#,
    )]);
    assert!(m.schema.tables.is_empty(), "{:?}", tables(&m));
}

#[test]
fn class_level_indexes_imperative_mapping_and_external_bases() {
    let m = run(&[
        (
            "app/tables.py",
            r#"
import sqlalchemy as sa
from sqlalchemy import orm

metadata = sa.MetaData()
registry = orm.registry(metadata=metadata)

package_table = sa.Table(
    "package",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("name", sa.String, unique=True),
    sa.Column("state", sa.String),
)

class Package:
    pass

registry.map_imperatively(Package, package_table, properties={
    "tags": orm.relationship("Tag"),
})
"#,
        ),
        (
            "app/models.py",
            r#"
from sqlalchemy import Column, Index, Integer, String, Text, text
from superset_core.models import CoreChart

class Chart(CoreChart):
    __tablename__ = "slices"
    id = Column(Integer, primary_key=True)
    not_after = Column(Integer)
    body = Column(Text)
    not_after_ix = Index("ix_slices_not_after", not_after.desc())
    ix_body = Index("ix_slices_body", text("body DESC"))
"#,
        ),
        (
            "app/views.py",
            r#"
from .tables import Package

def f(session, name):
    return session.query(Package).filter(Package.name == name).first()
"#,
        ),
    ]);
    assert_eq!(
        tables(&m),
        [
            "package: id, name, state | pk(id) uniq(name) | ",
            "slices: id, not_after, body | pk(id) idx(not_after) idx(body) | ",
        ]
    );
    let q = super::queries::shows(&m);
    assert_eq!(
        q,
        ["L5 session.query.first [package] package.name= limit | ret"]
    );
}

#[test]
fn sqlmodel_tables_fields_and_relationships() {
    let m = run(&[
        (
            "app/models.py",
            r#"
from typing import Optional
from sqlmodel import Field, Relationship, SQLModel

class TeamBase(SQLModel):
    name: str = Field(index=True)
    headquarters: str

class Team(TeamBase, table=True):
    id: Optional[int] = Field(default=None, primary_key=True)
    heroes: list["Hero"] = Relationship(back_populates="team")

class TeamPublic(TeamBase):
    id: int

class Hero(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(index=True)
    secret_name: str
    age: int | None = None
    team_id: int | None = Field(default=None, foreign_key="team.id")
    team: Team | None = Relationship(back_populates="heroes")
"#,
        ),
        (
            "app/views.py",
            r#"
from sqlmodel import Session, select
from .models import Hero, Team

def f(session: Session, age: int):
    heroes = session.exec(select(Hero).where(Hero.age > age)).all()
    for hero in heroes:
        print(hero.team)
    return heroes
"#,
        ),
    ]);
    assert_eq!(
        tables(&m),
        [
            "hero: id, name, secret_name, age, team_id | pk(id) idx(name) | fk(team_id->team.id)",
            "team: name, headquarters, id | pk(id) idx(name) | ",
        ]
    );
    assert_eq!(
        super::queries::shows(&m),
        [
            "L6 session.exec [hero] hero.age~ | rows ret bound=heroes",
            "L8 hero.team lazy Hero.team | loop=0",
        ]
    );
}
