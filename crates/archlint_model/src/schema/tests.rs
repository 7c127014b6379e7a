//! Schema merging, index serving and migration order.

use super::*;
use crate::span::{Pos, Span};

fn loc(path: &str, line: u32) -> Location {
    Location {
        path: path.to_string(),
        span: Span::new(Pos { line, col: 1 }, Pos { line, col: 2 }),
    }
}

fn col(name: &str) -> Column {
    Column {
        name: name.to_string(),
        type_text: "int".to_string(),
        nullable: true,
        declared_at: loc("m.sql", 1),
    }
}

fn index(name: Option<&str>, cols: &[&str], kind: IndexKind) -> Index {
    Index {
        name: name.map(str::to_string),
        columns: cols
            .iter()
            .map(|c| IndexColumn::Column(c.to_string()))
            .collect(),
        unique: matches!(kind, IndexKind::PrimaryKey | IndexKind::Unique),
        partial: false,
        kind,
        method: None,
        declared_at: loc("m.sql", 1),
    }
}

fn fk(cols: &[&str], ref_table: &str) -> ForeignKey {
    ForeignKey {
        name: None,
        columns: cols.iter().map(|c| c.to_string()).collect(),
        ref_table: ref_table.to_string(),
        ref_columns: vec!["id".into()],
        implicit_index: None,
        declared_at: loc("m.sql", 3),
    }
}

fn create(table: &str, cols: &[&str], indexes: Vec<Index>, fks: Vec<ForeignKey>) -> SchemaOp {
    SchemaOp::CreateTable {
        table: table.to_string(),
        if_not_exists: false,
        columns: cols.iter().map(|c| col(c)).collect(),
        indexes,
        foreign_keys: fks,
        partial: false,
        at: loc("m.sql", 1),
    }
}

fn create_index(table: &str, name: &str, cols: &[&str]) -> SchemaOp {
    SchemaOp::CreateIndex {
        table: table.to_string(),
        index: index(Some(name), cols, IndexKind::Index),
        if_not_exists: false,
        at: loc("m.sql", 5),
    }
}

fn drop_index(name: &str) -> SchemaOp {
    SchemaOp::DropIndex {
        name: name.to_string(),
        table: None,
        if_exists: true,
        at: loc("m.sql", 6),
    }
}

#[test]
fn add_drop_and_readd_an_index_across_migrations() {
    let sources = vec![
        SchemaSource::new(
            "migrations/0010_readd.sql",
            vec![create_index("users", "users_email_idx", &["email"])],
        ),
        SchemaSource::new(
            "migrations/0001_init.sql",
            vec![create(
                "public.users",
                &["id", "email"],
                vec![index(None, &["id"], IndexKind::PrimaryKey)],
                vec![],
            )],
        ),
        SchemaSource::new(
            "migrations/0002_index.sql",
            vec![create_index("users", "users_email_idx", &["email"])],
        ),
        SchemaSource::new(
            "migrations/0003_drop.sql",
            vec![drop_index("users_email_idx")],
        ),
    ];
    // Up to 0003 the index is gone; 0010 brings it back.
    let without_last = Schema::from_sources(&sources[1..]);
    assert!(without_last.index_serving("users", "email", &[]).is_none());
    let schema = Schema::from_sources(&sources);
    let i = schema
        .index_serving("USERS", "Email", &[])
        .expect("re-added index");
    assert_eq!(i.name.as_deref(), Some("users_email_idx"));
    assert_eq!(
        schema.table("public.users").unwrap().primary_key,
        vec!["id"]
    );
}

#[test]
fn down_migrations_are_ignored() {
    let sources = vec![
        SchemaSource::new(
            "migrations/2024-01-01-000000_init/up.sql",
            vec![create("users", &["id", "email"], vec![], vec![])],
        ),
        SchemaSource::new(
            "migrations/2024-01-01-000000_init/down.sql",
            vec![SchemaOp::DropTable {
                table: "users".into(),
                at: loc("down.sql", 1),
            }],
        ),
        SchemaSource::new("db/20240101_x.down.sql", vec![drop_index("anything")]),
    ];
    let schema = Schema::from_sources(&sources);
    assert!(schema.table("users").is_some());
}

#[test]
fn add_constraint_foreign_key_then_index_it() {
    let mut schema = Schema::default();
    schema.apply(&create(
        "users",
        &["id"],
        vec![index(None, &["id"], IndexKind::PrimaryKey)],
        vec![],
    ));
    schema.apply(&create("orders", &["id", "user_id"], vec![], vec![]));
    schema.apply(&SchemaOp::AddConstraint {
        table: "orders".into(),
        constraint: Constraint::ForeignKey(fk(&["user_id"], "users")),
        at: loc("m.sql", 9),
    });
    let missing = schema.foreign_keys_without_index();
    assert_eq!(missing.len(), 1);
    assert_eq!(missing[0].0.name, "orders");
    assert_eq!(missing[0].1.columns, vec!["user_id"]);

    schema.apply(&create_index(
        "orders",
        "orders_user_id_idx",
        &["user_id", "created_at"],
    ));
    assert!(schema.foreign_keys_without_index().is_empty());
}

#[test]
fn foreign_key_covered_only_as_second_column_is_unindexed() {
    let mut schema = Schema::default();
    schema.apply(&create(
        "orders",
        &["id", "shop_id", "user_id"],
        vec![index(
            Some("orders_shop_user"),
            &["shop_id", "user_id"],
            IndexKind::Index,
        )],
        vec![fk(&["user_id"], "users"), fk(&["shop_id"], "shops")],
    ));
    let missing: Vec<&str> = schema
        .foreign_keys_without_index()
        .iter()
        .map(|(_, fk)| fk.columns[0].as_str())
        .collect();
    assert_eq!(missing, vec!["user_id"]);
}

#[test]
fn composite_foreign_key_needs_its_columns_leading_in_any_order() {
    let mut schema = Schema::default();
    schema.apply(&create(
        "line_items",
        &["order_id", "shop_id", "n"],
        vec![index(
            Some("li"),
            &["shop_id", "order_id", "n"],
            IndexKind::Unique,
        )],
        vec![fk(&["order_id", "shop_id"], "orders")],
    ));
    assert!(schema.foreign_keys_without_index().is_empty());
    let mut schema = Schema::default();
    schema.apply(&create(
        "line_items",
        &["order_id", "shop_id", "n"],
        vec![index(
            Some("li"),
            &["order_id", "n", "shop_id"],
            IndexKind::Index,
        )],
        vec![fk(&["order_id", "shop_id"], "orders")],
    ));
    assert_eq!(schema.foreign_keys_without_index().len(), 1);
}

#[test]
fn implicit_foreign_key_indexes_serve_and_are_not_reported() {
    let mut schema = Schema::default();
    let mut key = fk(&["author_id"], "auth_user");
    key.implicit_index = Some("django ForeignKey".into());
    schema.apply(&create(
        "blog_post",
        &["id", "author_id"],
        vec![],
        vec![key],
    ));
    assert!(schema.foreign_keys_without_index().is_empty());
    let i = schema.index_serving("blog_post", "author_id", &[]).unwrap();
    assert_eq!(i.kind, IndexKind::Implicit("django ForeignKey".into()));
}

#[test]
fn index_serving_follows_prefix_and_equality() {
    let mut schema = Schema::default();
    schema.apply(&create(
        "events",
        &["id", "tenant_id", "kind", "created_at", "email"],
        vec![
            index(None, &["id"], IndexKind::PrimaryKey),
            index(Some("events_email_key"), &["email"], IndexKind::Unique),
        ],
        vec![],
    ));
    schema.apply(&create_index(
        "events",
        "events_tenant_kind_created",
        &["tenant_id", "kind", "created_at"],
    ));

    // Leading column: always served.
    assert!(schema.index_serving("events", "tenant_id", &[]).is_some());
    // Second column: only when the first is fixed by equality.
    assert!(schema.index_serving("events", "kind", &[]).is_none());
    assert!(
        schema
            .index_serving("events", "kind", &["tenant_id"])
            .is_some()
    );
    // Third column needs both before it.
    assert!(
        schema
            .index_serving("events", "created_at", &["tenant_id"])
            .is_none()
    );
    assert!(
        schema
            .index_serving("events", "created_at", &["KIND", "tenant_id"])
            .is_some()
    );
    // Primary key and unique constraints count as indexes.
    assert_eq!(
        schema.index_serving("events", "id", &[]).unwrap().kind,
        IndexKind::PrimaryKey
    );
    assert_eq!(
        schema.index_serving("events", "email", &[]).unwrap().kind,
        IndexKind::Unique
    );
    // Unknown table or column: nothing.
    assert!(schema.index_serving("nope", "id", &[]).is_none());
    assert!(
        schema
            .index_serving("events", "nope", &["tenant_id", "kind", "created_at"])
            .is_none()
    );
}

#[test]
fn expression_parts_do_not_serve_plain_columns() {
    let mut schema = Schema::default();
    schema.apply(&create("users", &["email"], vec![], vec![]));
    let mut i = index(Some("users_lower_email"), &[], IndexKind::Index);
    i.columns = vec![IndexColumn::Expression("lower((email)::text)".into())];
    schema.apply(&SchemaOp::CreateIndex {
        table: "users".into(),
        index: i,
        if_not_exists: false,
        at: loc("m.sql", 2),
    });
    assert!(schema.index_serving("users", "email", &[]).is_none());
    let t = schema.table("users").unwrap();
    assert!(t.expression_index("LOWER(email::text)").is_some());
    assert!(t.expression_index("upper(email)").is_none());
}

#[test]
fn unknown_tables_become_partial_and_are_not_judged() {
    let mut schema = Schema::default();
    schema.apply(&SchemaOp::AddColumn {
        table: "legacy".into(),
        column: col("owner_id"),
        at: loc("m.sql", 1),
    });
    schema.apply(&SchemaOp::AddConstraint {
        table: "legacy".into(),
        constraint: Constraint::ForeignKey(fk(&["owner_id"], "users")),
        at: loc("m.sql", 2),
    });
    let t = schema.table("legacy").unwrap();
    assert!(t.partial);
    assert!(schema.foreign_keys_without_index().is_empty());
    // A later full definition makes it whole, keeping what was known.
    schema.apply(&create("legacy", &["id"], vec![], vec![]));
    let t = schema.table("legacy").unwrap();
    assert!(!t.partial);
    assert_eq!(t.columns.len(), 2);
    assert_eq!(schema.foreign_keys_without_index().len(), 1);
}

#[test]
fn schema_qualified_names_match_the_default_schema_only() {
    let mut schema = Schema::default();
    schema.apply(&create("public.users", &["id"], vec![], vec![]));
    schema.apply(&create("audit.log", &["id"], vec![], vec![]));
    assert!(schema.table("users").is_some());
    assert!(schema.table("\"public\".\"Users\"").is_some());
    assert!(schema.table("other.users").is_none());
    // An unqualified name finds a table of another schema when it is the only one.
    assert_eq!(schema.table("log").unwrap().name, "audit.log");
    schema.apply(&create("billing.log", &["id"], vec![], vec![]));
    assert!(schema.table("log").is_none());
}

#[test]
fn drop_constraint_by_default_postgres_names() {
    let mut schema = Schema::default();
    schema.apply(&create(
        "orders",
        &["id", "code", "user_id"],
        vec![
            index(None, &["id"], IndexKind::PrimaryKey),
            index(None, &["code"], IndexKind::Unique),
        ],
        vec![fk(&["user_id"], "users")],
    ));
    let drop = |name: &str| SchemaOp::DropConstraint {
        table: "orders".into(),
        name: name.into(),
        at: loc("m.sql", 1),
    };
    schema.apply(&SchemaOp::RenameConstraint {
        table: "orders".into(),
        from: "orders_user_id_fkey".into(),
        to: "orders_buyer_fk".into(),
        at: loc("m.sql", 1),
    });
    schema.apply(&drop("orders_code_key"));
    schema.apply(&drop("orders_user_id_fkey"));
    assert_eq!(schema.table("orders").unwrap().foreign_keys.len(), 1);
    schema.apply(&drop("orders_buyer_fk"));
    let t = schema.table("orders").unwrap();
    assert_eq!(t.indexes.len(), 1);
    assert!(t.foreign_keys.is_empty());
    schema.apply(&drop("orders_pkey"));
    let t = schema.table("orders").unwrap();
    assert!(t.indexes.is_empty());
    assert!(t.primary_key.is_empty());
}

#[test]
fn renames_and_drops_follow_through() {
    let mut schema = Schema::default();
    schema.apply(&create("users", &["id", "mail"], vec![], vec![]));
    schema.apply(&create_index("users", "users_mail_idx", &["mail"]));
    schema.apply(&create(
        "orders",
        &["user_id"],
        vec![],
        vec![fk(&["user_id"], "users")],
    ));
    schema.apply(&SchemaOp::RenameColumn {
        table: "users".into(),
        from: "mail".into(),
        to: "email".into(),
        at: loc("m.sql", 1),
    });
    schema.apply(&SchemaOp::RenameTable {
        from: "users".into(),
        to: "accounts".into(),
        at: loc("m.sql", 2),
    });
    assert!(schema.table("users").is_none());
    assert!(schema.index_serving("accounts", "email", &[]).is_some());
    assert_eq!(
        schema.table("orders").unwrap().foreign_keys[0].ref_table,
        "accounts"
    );
    schema.apply(&SchemaOp::RenameIndex {
        from: "users_mail_idx".into(),
        to: "accounts_email_idx".into(),
        at: loc("m.sql", 3),
    });
    schema.apply(&drop_index("accounts_email_idx"));
    assert!(schema.index_serving("accounts", "email", &[]).is_none());
    schema.apply(&create_index("accounts", "a_email", &["email"]));
    schema.apply(&SchemaOp::DropColumn {
        table: "accounts".into(),
        column: "email".into(),
        at: loc("m.sql", 4),
    });
    assert!(schema.table("accounts").unwrap().indexes.is_empty());
    schema.apply(&SchemaOp::DropTable {
        table: "accounts".into(),
        at: loc("m.sql", 5),
    });
    assert!(schema.table("orders").unwrap().foreign_keys.is_empty());
}

#[test]
fn create_table_if_not_exists_keeps_the_first_definition() {
    let mut schema = Schema::default();
    schema.apply(&create("t", &["a"], vec![], vec![]));
    schema.apply(&SchemaOp::CreateTable {
        table: "t".into(),
        if_not_exists: true,
        columns: vec![col("b")],
        indexes: vec![],
        foreign_keys: vec![],
        partial: false,
        at: loc("m.sql", 9),
    });
    assert_eq!(schema.table("t").unwrap().columns.len(), 1);
}

fn sorted(paths: &[&str]) -> Vec<String> {
    let mut v: Vec<&str> = paths.to_vec();
    v.sort_by(|a, b| {
        OrderKey::from_path(a)
            .cmp(&OrderKey::from_path(b))
            .then(a.cmp(b))
    });
    v.into_iter().map(str::to_string).collect()
}

#[test]
fn migration_order_is_natural() {
    assert_eq!(
        sorted(&[
            "app/migrations/0010_y.py",
            "app/migrations/0002_x.py",
            "app/migrations/0001_initial.py"
        ]),
        vec![
            "app/migrations/0001_initial.py",
            "app/migrations/0002_x.py",
            "app/migrations/0010_y.py"
        ]
    );
    assert_eq!(
        sorted(&[
            "db/V10__b.sql",
            "db/V2__a.sql",
            "db/V1_1__c.sql",
            "db/V1__a.sql"
        ]),
        vec![
            "db/V1__a.sql",
            "db/V1_1__c.sql",
            "db/V2__a.sql",
            "db/V10__b.sql"
        ]
    );
    assert_eq!(
        sorted(&[
            "database/migrations/2024_01_10_000000_b.php",
            "database/migrations/2024_01_02_000000_a.php",
            "database/migrations/2023_12_31_235959_z.php",
        ]),
        vec![
            "database/migrations/2023_12_31_235959_z.php",
            "database/migrations/2024_01_02_000000_a.php",
            "database/migrations/2024_01_10_000000_b.php",
        ]
    );
    // Directory order first, then file order inside it.
    assert_eq!(
        sorted(&[
            "migrations/2/a.sql",
            "migrations/10/a.sql",
            "migrations/2/b.sql"
        ]),
        vec![
            "migrations/2/a.sql",
            "migrations/2/b.sql",
            "migrations/10/a.sql"
        ]
    );
    // diesel: one directory per migration.
    assert_eq!(
        sorted(&[
            "migrations/2024-02-01-000000_b/up.sql",
            "migrations/2024-01-15-000000_a/up.sql",
        ]),
        vec![
            "migrations/2024-01-15-000000_a/up.sql",
            "migrations/2024-02-01-000000_b/up.sql",
        ]
    );
}

#[test]
fn down_migration_names() {
    for down in [
        "migrations/x/down.sql",
        "migrations/1_init.down.sql",
        "m/0001_init_down.sql",
        "db/U2__undo.sql",
        "db/migrations/down/001.sql",
    ] {
        assert!(is_down_migration(down), "{down}");
    }
    for up in [
        "migrations/x/up.sql",
        "migrations/1_init.up.sql",
        "db/V2__users.sql",
        "db/Users__x.sql",
        "schema.sql",
        "migrations/0003_slowdown.sql",
    ] {
        assert!(!is_down_migration(up), "{up}");
    }
}

#[test]
fn text_search_indexes_do_not_serve_lookups() {
    let mut gin = index(Some("ix_name_trgm"), &["name"], IndexKind::Index);
    gin.method = Some("gin".into());
    assert!(!gin.serves("name", &[]));
    let mut hash = index(Some("ix_name_hash"), &["name"], IndexKind::Index);
    hash.method = Some("hash".into());
    assert!(hash.serves("name", &[]));
}

#[test]
fn the_last_key_sorts_after_every_path() {
    for p in [
        "zzz/9999_last.sql",
        "V999__x.sql",
        "~",
        "migrations/99999999/up.sql",
    ] {
        assert!(OrderKey::last() > OrderKey::from_path(p), "{p}");
    }
    assert_eq!(OrderKey::last(), OrderKey::last());
}

#[test]
fn item_macro_positions_count_lines_and_utf16_columns() {
    let m = crate::facts::ItemMacro {
        path: vec!["table".into()],
        body: "{\n  é𝄞 x\n}".into(),
        body_start: crate::span::Pos { line: 3, col: 8 },
        span: crate::span::Span::default(),
    };
    assert_eq!(m.pos_at(0), crate::span::Pos { line: 3, col: 8 });
    assert_eq!(m.pos_at(1), crate::span::Pos { line: 3, col: 9 });
    // Line 4: two spaces, `é` (1 UTF-16 unit), `𝄞` (2 units), a space: `x` at column 7.
    let x = m.body.find('x').unwrap();
    assert_eq!(m.pos_at(x), crate::span::Pos { line: 4, col: 7 });
}
