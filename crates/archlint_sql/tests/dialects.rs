//! What each dialect adds, for schemas and queries.

use archlint_model::{ColumnOp, IndexKind, Schema, SchemaSource};
use archlint_sql::{Dialect, SchemaOp, parse_query, parse_schema};

fn load(text: &str, dialect: Dialect) -> Schema {
    let (ops, problems) = parse_schema(text, "schema.sql", dialect);
    assert!(problems.is_empty(), "{dialect}: {problems:?}");
    Schema::from_sources(&[SchemaSource::new("schema.sql", ops)])
}

#[test]
fn postgres() {
    let schema = load(
        "CREATE TABLE users (id bigserial PRIMARY KEY, email text NOT NULL, note text DEFAULT E'a\\';b');\n\
         CREATE OR REPLACE FUNCTION f() RETURNS trigger AS $body$ BEGIN RETURN NEW; END; $body$ LANGUAGE plpgsql;\n\
         CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS users_email_uq ON users USING btree (email);\n\
         CREATE INDEX users_note_trgm ON users USING gin (note gin_trgm_ops);\n\
         /* outer /* nested; */ still comment; */\n\
         DROP INDEX CONCURRENTLY users_note_trgm;",
        Dialect::Postgres,
    );
    let users = schema.table("users").unwrap();
    let uq = schema.index_serving("users", "email", &[]).unwrap();
    assert!(uq.unique && uq.kind == IndexKind::Index);
    assert_eq!(uq.method.as_deref(), Some("btree"));
    assert_eq!(users.indexes.len(), 2);

    let q = parse_query(
        "SELECT * FROM users WHERE email ILIKE $1 AND id = $2::bigint",
        Dialect::Postgres,
    )
    .unwrap();
    let ops: Vec<ColumnOp> = q.filters.iter().map(|f| f.op).collect();
    assert_eq!(ops, vec![ColumnOp::Like, ColumnOp::Eq]);
}

#[test]
fn mysql() {
    let schema = load(
        "# a MySQL dump\n\
         CREATE TABLE `orders` (\n\
           `id` int NOT NULL AUTO_INCREMENT,\n\
           `user_id` int NOT NULL,\n\
           `shop_id` int NOT NULL REFERENCES shops (id),\n\
           `code` varchar(32) NOT NULL,\n\
           `note` text DEFAULT 'it\\'s; fine',\n\
           PRIMARY KEY (`id`),\n\
           UNIQUE KEY `orders_code` (`code`),\n\
           KEY `orders_shop` (`shop_id`, `code`),\n\
           INDEX `orders_note` (`note`(20)),\n\
           CONSTRAINT `orders_user_fk` FOREIGN KEY (`user_id`) REFERENCES `users` (`id`)\n\
         ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;\n\
         DELIMITER ;;\n\
         CREATE TRIGGER t BEFORE INSERT ON orders FOR EACH ROW BEGIN SET NEW.code = UPPER(NEW.code); END ;;\n\
         DELIMITER ;\n\
         ALTER TABLE orders DROP INDEX orders_shop;\n\
         DROP INDEX orders_code ON orders;",
        Dialect::Mysql,
    );
    let orders = schema.table("orders").unwrap();
    assert_eq!(orders.primary_key, vec!["id"]);
    // MySQL ignores inline REFERENCES: only the table-level key exists, and
    // InnoDB indexes it by itself.
    assert_eq!(orders.foreign_keys.len(), 1);
    assert!(orders.foreign_keys[0].implicitly_indexed());
    assert!(schema.foreign_keys_without_index().is_empty());
    assert!(matches!(
        schema
            .index_serving("orders", "user_id", &[])
            .map(|i| &i.kind),
        Some(IndexKind::Implicit(_))
    ));
    // A prefix index still indexes its column.
    assert!(schema.index_serving("orders", "note", &[]).is_some());
    // Both dropped.
    assert!(schema.index_serving("orders", "shop_id", &[]).is_none());
    assert!(schema.index_serving("orders", "code", &[]).is_none());

    let q = parse_query(
        "SELECT `o`.`id` FROM `orders` `o` WHERE `o`.`user_id` = ? LIMIT 10",
        Dialect::Mysql,
    )
    .unwrap();
    assert_eq!(q.tables[0].name, "orders");
    assert_eq!(q.filters[0].table.as_deref(), Some("orders"));
    assert_eq!(q.filters[0].column, "user_id");
    assert!(q.limit);
}

#[test]
fn sqlite() {
    let schema = load(
        "CREATE TABLE IF NOT EXISTS notes (id INTEGER PRIMARY KEY, owner_id INTEGER NOT NULL REFERENCES users(id), body TEXT) WITHOUT ROWID;\n\
         CREATE INDEX IF NOT EXISTS notes_owner ON notes (owner_id);\n\
         CREATE TRIGGER notes_touch AFTER UPDATE ON notes BEGIN UPDATE notes SET body = body WHERE id = NEW.id; END;\n\
         CREATE TABLE notes_new (id INTEGER PRIMARY KEY, owner_id INTEGER, body TEXT, tag TEXT);\n\
         DROP TABLE notes;\n\
         ALTER TABLE notes_new RENAME TO notes;\n\
         CREATE INDEX notes_tag ON notes (tag);",
        Dialect::Sqlite,
    );
    let notes = schema.table("notes").unwrap();
    assert_eq!(notes.columns.len(), 4);
    assert_eq!(notes.primary_key, vec!["id"]);
    // The old index went with the old table.
    assert!(schema.index_serving("notes", "owner_id", &[]).is_none());
    assert!(schema.index_serving("notes", "tag", &[]).is_some());

    let q = parse_query(
        "SELECT * FROM notes WHERE owner_id = ?1 AND tag = ?2 ORDER BY id",
        Dialect::Sqlite,
    )
    .unwrap();
    assert_eq!(q.filters.len(), 2);
    assert_eq!(q.order_by[0].column, "id");
}

#[test]
fn generic() {
    let schema = load(
        "CREATE TABLE a (id int PRIMARY KEY, b_id int, CONSTRAINT fk FOREIGN KEY (b_id) REFERENCES b (id));\n\
         CREATE INDEX a_b ON a (b_id);",
        Dialect::Generic,
    );
    assert!(schema_ok(&schema));
    let q = parse_query(
        "SELECT * FROM a WHERE b_id = ? AND id = $2 AND x = :x",
        Dialect::Generic,
    )
    .unwrap();
    assert_eq!(q.equality_fixed("a"), vec!["b_id", "id", "x"]);
}

fn schema_ok(s: &Schema) -> bool {
    s.foreign_keys_without_index().is_empty() && s.index_serving("a", "id", &[]).is_some()
}

#[test]
fn the_same_file_read_in_the_wrong_dialect_is_reported_not_fatal() {
    // Backticks and KEY are MySQL; PostgreSQL reports the table and keeps it partial.
    let (ops, problems) = parse_schema(
        "CREATE TABLE `t` (id int, KEY k (id));\nCREATE INDEX t_id ON t (id);",
        "m.sql",
        Dialect::Postgres,
    );
    assert_eq!(problems.len(), 1);
    assert!(matches!(&ops[0], SchemaOp::CreateTable { partial: true, table, .. } if table == "t"));
    assert_eq!(ops.len(), 2);
}
