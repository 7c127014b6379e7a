//! Alembic migrations: operations, revision-chain order, and migrations
//! taking precedence over models.

use super::{run, tables};

const INIT: &str = r#"
"""init"""
import sqlalchemy as sa
from alembic import op

revision = "aaa111"
down_revision = None

def upgrade():
    op.create_table(
        "users",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(length=255), nullable=False),
        sa.Column("org_id", sa.Integer(), sa.ForeignKey("orgs.id")),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("email"),
    )
    op.create_table(
        "orders",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(20)),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"]),
    )
    op.create_index(op.f("ix_orders_status"), "orders", ["status"], unique=False)

def downgrade():
    op.drop_index(op.f("ix_orders_status"), table_name="orders")
    op.drop_table("orders")
    op.drop_table("users")
"#;

// File names sort before the init revision: only the chain gives the order.
const SECOND: &str = r#"
import sqlalchemy as sa
from alembic import op

revision = "bbb222"
down_revision = "aaa111"

def upgrade():
    op.drop_index("ix_orders_status", table_name="orders")
    op.add_column("orders", sa.Column("placed_at", sa.DateTime(), index=True))
    with op.batch_alter_table("users") as batch_op:
        batch_op.create_index("ix_users_org", ["org_id"])
        batch_op.add_column(sa.Column("nick", sa.String()))
    op.execute("CREATE INDEX ix_orders_user ON orders (user_id)")
    op.create_foreign_key("fk_orders_coupon", "orders", "coupons", ["coupon_id"], ["id"])

def downgrade():
    op.create_index("ix_orders_status", "orders", ["status"])
"#;

#[test]
fn operations_apply_in_revision_chain_order() {
    let m = run(&[
        ("migrations/versions/0001_zz_init.py", INIT),
        ("migrations/versions/0000_aa_second.py", SECOND),
    ]);
    assert_eq!(
        tables(&m),
        [
            "orders: id, user_id, status, placed_at | pk(id) idx(placed_at) idx(user_id) | \
             fk(user_id->users.id) fk(coupon_id->coupons.id)",
            "users: id, email, org_id, nick | pk(id) uniq(email) idx(org_id) | \
             fk(org_id->orgs.id)",
        ]
    );
    // Sources are ordered by the chain, not by file name.
    let order: Vec<&str> = {
        let mut s: Vec<_> = m.sources.iter().collect();
        s.sort_by(|a, b| a.order.cmp(&b.order));
        s.iter().map(|s| s.path.as_str()).collect()
    };
    assert_eq!(
        order,
        [
            "migrations/versions/0001_zz_init.py",
            "migrations/versions/0000_aa_second.py"
        ]
    );
    // Foreign keys are located at their declaration (the column or constraint line).
    let users = m.schema.table("users").unwrap();
    assert_eq!(users.foreign_keys[0].declared_at.span.start.line, 14);
    let orders = m.schema.table("orders").unwrap();
    assert_eq!(orders.foreign_keys[0].declared_at.span.start.line, 23);
}

#[test]
fn migrations_take_precedence_over_models() {
    let model = r#"
from sqlalchemy import Column, ForeignKey, Integer, String
from sqlalchemy.orm import declarative_base

Base = declarative_base()

class Order(Base):
    __tablename__ = "orders"
    id = Column(Integer, primary_key=True)
    user_id = Column(Integer, ForeignKey("users.id"))
    status = Column(String(20), index=True)

class Note(Base):
    __tablename__ = "notes"
    id = Column(Integer, primary_key=True)
    body = Column(String)
"#;
    let m = run(&[
        ("app/models.py", model),
        ("migrations/versions/0001_init.py", INIT),
        ("migrations/versions/0002_second.py", SECOND),
    ]);
    // `orders` comes from the migrations only (where `ix_orders_status` was
    // dropped); `notes` exists only as a model.
    let orders = m.schema.table("orders").unwrap();
    assert!(
        !orders
            .indexes
            .iter()
            .any(|i| i.columns.iter().any(|c| c.is_column("status")))
    );
    assert_eq!(orders.declared_at.path, "migrations/versions/0001_init.py");
    assert!(m.schema.table("notes").is_some());
}

#[test]
fn unreadable_operations_make_the_table_partial() {
    let m = run(&[(
        "alembic/versions/x.py",
        r#"
import sqlalchemy as sa
from alembic import op

revision = "c1"
down_revision = None

def upgrade():
    op.create_table("a", sa.Column("id", sa.Integer(), primary_key=True), *extra_columns())
    op.create_table("b", sa.Column("id", sa.Integer(), primary_key=True))
    op.create_index("ix_b_x", "b", columns_for("b"))
"#,
    )]);
    assert_eq!(
        tables(&m),
        ["a (partial): id | pk(id) | ", "b (partial): id | pk(id) | "]
    );
}

#[test]
fn model_classes_inside_migrations_are_history_not_schema() {
    let m = run(&[(
        "migrations/versions/0003_data.py",
        r#"
import sqlalchemy as sa
from alembic import op
from sqlalchemy.ext.declarative import declarative_base

Base = declarative_base()
revision = "d1"
down_revision = "c1"

class Slice(Base):
    __tablename__ = "slices"
    id = sa.Column(sa.Integer, primary_key=True)

def upgrade():
    bind = op.get_bind()
"#,
    )]);
    assert!(m.schema.tables.is_empty(), "{:?}", tables(&m));
}

#[test]
fn helpers_and_loops_over_literal_lists_are_followed() {
    let m = run(&[
        (
            "migrations/utils.py",
            r#"
from alembic import op

def create_table(table_name, *columns, **kwargs):
    if has_table(table_name):
        return
    op.create_table(table_name, *columns, **kwargs)

def create_index(table_name, index_name, columns, unique=False):
    op.create_index(index_name=index_name, table_name=table_name, columns=columns, unique=unique)

def add_columns(table_name, *columns):
    with op.batch_alter_table(table_name) as batch_op:
        for col in columns:
            batch_op.add_column(col)
"#,
        ),
        (
            "migrations/versions/0001_init.py",
            r#"
import sqlalchemy as sa
from alembic import op
from migrations.utils import add_columns, create_index, create_table

revision = "r1"
down_revision = None

INDEXES = (
    ("ix_item_owner", "item", ["owner_id"]),
    ("ix_item_kind_name", "item", ["kind", "name"]),
)

def upgrade():
    create_table("item", sa.Column("id", sa.Integer(), primary_key=True), sa.Column("owner_id", sa.Integer()))
    create_index("item", "ix_item_id_owner", ["id", "owner_id"])
    for name, table, columns in INDEXES:
        op.create_index(name, table, columns)
    for table, column in [("item", "kind"), ("item", "name")]:
        op.add_column(table, sa.Column(column, sa.String()))
    add_columns("other", sa.Column("x", sa.Integer()))
"#,
        ),
    ]);
    assert_eq!(
        tables(&m),
        [
            "item: id, owner_id, kind, name | pk(id) idx(id,owner_id) idx(owner_id) idx(kind,name) | ",
            // A helper looping over its arguments: the table it was given is not fully known.
            "other (partial):  |  | ",
        ]
    );
}

#[test]
fn tables_renamed_by_migrations_come_from_the_migrations() {
    let model = r#"
from sqlalchemy import Column, Index, Integer, MetaData, Table

metadata = MetaData()

member_table = Table(
    "member",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("group_id", Integer),
    Index("idx_member_group", "group_id"),
)
"#;
    let migration = r#"
import sqlalchemy as sa
from alembic import op

revision = "a"
down_revision = None

def upgrade():
    op.create_table("package_group", sa.Column("id", sa.Integer(), primary_key=True), sa.Column("group_id", sa.Integer()))
    op.create_index("idx_member_group", "package_group", ["group_id"])
    op.rename_table("package_group", "member")
"#;
    let m = run(&[
        ("app/model.py", model),
        ("migrations/versions/a.py", migration),
    ]);
    // The model's declaration would otherwise take the index name first.
    assert_eq!(
        tables(&m),
        ["member: id, group_id | pk(id) idx(group_id) | "]
    );
}

#[test]
fn tables_migrations_rename_away_but_models_map_come_from_the_models() {
    let model = r#"
from sqlalchemy import Column, Integer, String
from sqlalchemy.orm import declarative_base

Base = declarative_base()

class Setting(Base):
    __tablename__ = "config"
    key = Column(String(255), primary_key=True)
    value = Column(String(2000))
"#;
    let init = r#"
import sqlalchemy as sa
from alembic import op

revision = "a"
down_revision = None

def upgrade():
    op.create_table("Config", sa.Column("Key", sa.Unicode(255), primary_key=True))
"#;
    // The new table comes from `metadata.create_all` of classes archlint
    // does not read as schema; only the rename and the drop show.
    let rebuild = r#"
import sqlalchemy as sa
from alembic import op

revision = "b"
down_revision = "a"

def upgrade():
    op.rename_table("Config", "Config_old")
    create_new_tables()
    op.drop_table("Config_old")
"#;
    let m = run(&[
        ("app/models.py", model),
        ("migrations/versions/a.py", init),
        ("migrations/versions/b.py", rebuild),
    ]);
    assert_eq!(tables(&m), ["config (partial): key, value | pk(key) | "]);
    // Without the creating migration (made before the chain archlint reads):
    // the rename applies to the model's own table.
    let m = run(&[
        ("app/models.py", model),
        (
            "migrations/versions/b.py",
            &rebuild.replace("\"a\"", "None"),
        ),
    ]);
    assert_eq!(tables(&m), ["config (partial): key, value | pk(key) | "]);
}
