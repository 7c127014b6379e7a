//! Unit tests of the Python raw SQL extractor: one per feature of the
//! issue (APIs, constants, dynamic builders, taint, rows usage, loops).

use crate::db::sqltext::testutil::{on_line, py_project, py_queries, raw_db};
use archlint_model::{QueryKind, SqlText, Taint, TextBuilder};

fn constant(q: &archlint_model::QueryFact) -> &str {
    match &q.text {
        Some(SqlText::Constant(t)) => t,
        other => panic!("not constant: {other:?}"),
    }
}

fn holes(q: &archlint_model::QueryFact) -> (TextBuilder, Vec<(String, Taint)>) {
    match &q.text {
        Some(SqlText::Dynamic {
            builder,
            holes,
            fragments,
        }) => {
            assert_eq!(fragments.len(), holes.len() + 1);
            (
                *builder,
                holes.iter().map(|h| (h.text.clone(), h.taint)).collect(),
            )
        }
        other => panic!("not dynamic: {other:?}"),
    }
}

#[test]
fn dbapi_literal_with_bound_params() {
    let qs = py_queries(
        "import sqlite3\ndef get(uid):\n    conn = sqlite3.connect('x.db')\n    cur = conn.cursor()\n    cur.execute(\"SELECT id, email FROM users WHERE id = %s\", (uid,))\n    return cur.fetchone()\n",
    );
    assert_eq!(qs.len(), 1);
    let q = &qs[0];
    assert_eq!(q.api, "cur.execute");
    assert_eq!(constant(q), "SELECT id, email FROM users WHERE id = %s");
    assert!(q.bound_params);
    let shape = q.shape.as_ref().unwrap();
    assert_eq!(shape.kind, QueryKind::Select);
    assert_eq!(shape.tables[0].name, "users");
    assert_eq!(q.text_at.as_ref().unwrap().span.start.line, 5);
    assert!(!q.all_rows);
}

#[test]
fn constants_module_class_and_imported() {
    let project = py_project(&[
        (
            "app/sql.py",
            "GET_USER = (\n    'SELECT * FROM users '\n    'WHERE email = %s'\n)\nclass Queries:\n    ALL = 'SELECT * FROM orders'\n",
        ),
        (
            "app/repo.py",
            "from .sql import GET_USER, Queries\nLOCAL = 'DELETE FROM users WHERE id = %s'\nclass Repo:\n    Q = 'SELECT 1'\n    def a(self, cur, e):\n        cur.execute(GET_USER, (e,))\n        cur.execute(Queries.ALL)\n        cur.execute(self.Q)\n        cur.execute(LOCAL, (e,))\n",
        ),
    ]);
    let db = raw_db(&project);
    let texts: Vec<&str> = db.queries.iter().map(constant).collect();
    assert_eq!(
        texts,
        [
            "SELECT * FROM users WHERE email = %s",
            "SELECT * FROM orders",
            "SELECT 1",
            "DELETE FROM users WHERE id = %s"
        ]
    );
    let at = db.queries[0].text_at.as_ref().unwrap();
    assert_eq!((at.path.as_str(), at.span.start.line), ("app/sql.py", 2));
}

#[test]
fn local_variable_with_augmented_pieces() {
    let qs = py_queries(
        "def search(cur, status):\n    sql = 'SELECT * FROM orders WHERE 1 = 1'\n    sql += ' AND status = %s'\n    sql += ' ORDER BY id LIMIT 10'\n    cur.execute(sql, [status])\n",
    );
    let q = &qs[0];
    assert_eq!(
        constant(q),
        "SELECT * FROM orders WHERE 1 = 1 AND status = %s ORDER BY id LIMIT 10"
    );
    assert!(q.shape.as_ref().unwrap().limit);
}

#[test]
fn fstring_with_request_input_is_dynamic_and_tainted() {
    let qs = py_queries(
        "from flask import Flask, request\napp = Flask(__name__)\n@app.get('/s')\ndef s():\n    q = request.args.get('q')\n    db.execute(f\"SELECT * FROM users WHERE name = '{q}'\")\n",
    );
    let (b, h) = holes(&qs[0]);
    assert_eq!(b, TextBuilder::FString);
    assert_eq!(h, [("q".to_string(), Taint::Request)]);
    assert!(qs[0].shape.as_ref().is_some_and(|s| s.dynamic));
}

#[test]
fn constant_only_fstring_is_constant() {
    let qs = py_queries(
        "TABLE = 'users'\nCOLS = ('id', 'email')\ndef f(cur):\n    cur.execute(f'SELECT * FROM {TABLE} WHERE id = %s', (1,))\n    for c in COLS:\n        cur.execute(f'SELECT {c} FROM users LIMIT {len(COLS)}')\n",
    );
    assert_eq!(constant(&qs[0]), "SELECT * FROM users WHERE id = %s");
    let (_, h) = holes(&qs[1]);
    assert!(h.iter().all(|(_, t)| *t == Taint::Constant), "{h:?}");
    assert_eq!(qs[1].loop_idx, Some(0));
}

#[test]
fn percent_bound_versus_formatted() {
    let qs = py_queries(
        "def f(cur, name):\n    cur.execute('SELECT * FROM users WHERE name = %s', (name,))\n    cur.execute('SELECT * FROM users WHERE name = \\'%s\\'' % name)\n    cur.execute('SELECT * FROM users WHERE name = %(n)s' % {'n': name})\n",
    );
    assert_eq!(constant(&qs[0]), "SELECT * FROM users WHERE name = %s");
    assert!(qs[0].bound_params);
    let (b, h) = holes(&qs[1]);
    assert_eq!(b, TextBuilder::Percent);
    assert_eq!(h, [("name".to_string(), Taint::Parameter)]);
    assert!(!qs[1].bound_params);
    assert_eq!(holes(&qs[2]).1, [("name".to_string(), Taint::Parameter)]);
}

#[test]
fn format_concat_and_join_builders() {
    let qs = py_queries(
        "def f(cur, col, ids):\n    cur.execute('SELECT {} FROM users'.format(col))\n    cur.execute('SELECT * FROM users WHERE id = ' + ids)\n    cur.execute(' '.join(['SELECT * FROM users WHERE id IN', ids]))\n    where = []\n    where.append('a = %s')\n    cur.execute('SELECT * FROM t WHERE ' + ' AND '.join(where), [1])\n",
    );
    assert_eq!(holes(&qs[0]).0, TextBuilder::Format);
    assert_eq!(holes(&qs[1]).0, TextBuilder::Concat);
    assert_eq!(holes(&qs[2]).0, TextBuilder::Join);
    assert_eq!(holes(&qs[3]).1, [("where".to_string(), Taint::Constant)]);
}

#[test]
fn allow_list_lookups_and_numbers_are_constant() {
    let qs = py_queries(
        "from flask import request\nSORTS = {'new': 'created_at', 'name': 'name'}\ndef f(cur, limit: int):\n    col = SORTS.get(request.args.get('sort'), 'id')\n    n = int(request.args['n'])\n    cur.execute(f'SELECT * FROM t ORDER BY {col} LIMIT {n} OFFSET {limit}')\n",
    );
    let (_, h) = holes(&qs[0]);
    assert!(h.iter().all(|(_, t)| *t == Taint::Constant), "{h:?}");
}

#[test]
fn non_database_execute_is_not_a_query() {
    let qs = py_queries(
        "def f(executor, job, sql):\n    executor.execute(job)\n    executor.execute('run --fast')\n    executor.execute('SELECT 1')\n    subprocess.run(sql)\n",
    );
    assert_eq!(qs.len(), 1);
    assert_eq!(constant(&qs[0]), "SELECT 1");
}

#[test]
fn database_receivers_by_evidence_and_name() {
    let qs = py_queries(
        "import asyncpg\nasync def f(h, sql, pool, session: Session):\n    c = await asyncpg.connect('dsn')\n    await c.fetch(sql)\n    async with pool.acquire() as conn:\n        await conn.fetchrow(sql)\n    session.execute(sql)\n    h.execute(sql)\n    session.execute(select(User).where(User.id == 1))\n    stmt = select(User)\n    session.execute(stmt)\n",
    );
    let apis: Vec<&str> = qs.iter().map(|q| q.api.as_str()).collect();
    // A session running text it was handed may run a SQLAlchemy statement:
    // left to the SQLAlchemy extractor, as are `select(..)` statements.
    assert_eq!(apis, ["c.fetch", "conn.fetchrow"]);
    assert!(qs.iter().all(|q| q.text.is_none()));
}

#[test]
fn sqlalchemy_text_asyncpg_databases_and_django_raw() {
    let qs = py_queries(
        "from sqlalchemy import text\nasync def f(session, conn, database, uid):\n    session.execute(text('SELECT * FROM users WHERE id = :id'), {'id': uid})\n    conn.exec_driver_sql('SELECT 1')\n    await conn.fetch('SELECT * FROM users WHERE id = $1', uid)\n    await database.fetch_all(query='SELECT * FROM notes')\n    User.objects.raw('SELECT * FROM auth_user')\n    session.execute(text('SELECT * FROM users WHERE id = :id').bindparams(id=uid))\n",
    );
    assert_eq!(qs.len(), 6);
    assert!(qs[0].bound_params && qs[2].bound_params && qs[5].bound_params);
    assert_eq!(constant(&qs[0]), "SELECT * FROM users WHERE id = :id");
    assert_eq!(qs[4].api, "User.objects.raw");
    assert!(qs[2].all_rows && qs[3].all_rows);
}

#[test]
fn rows_fetched_and_returned() {
    let qs = py_queries(
        "def a(cur):\n    cur.execute('SELECT * FROM users')\n    rows = cur.fetchall()\n    return jsonify(rows)\ndef b(conn):\n    return conn.execute('SELECT * FROM users LIMIT 10').fetchall()\nasync def c(conn):\n    rows = await conn.fetch('SELECT * FROM users')\n    return [dict(r) for r in rows]\ndef d(conn):\n    n = conn.execute('SELECT count(*) FROM users').fetchall()\n    return n\ndef e(session):\n    result = session.execute(text('SELECT * FROM users'))\n    return result.scalars().all()\n",
    );
    let q = on_line(&qs, 2);
    assert!(q.all_rows && q.returned);
    assert_eq!(q.bound_to.as_deref(), Some("rows"));
    let q = on_line(&qs, 6);
    assert!(!q.all_rows && q.returned);
    let q = on_line(&qs, 8);
    assert!(q.all_rows && q.returned);
    assert_eq!(q.bound_to.as_deref(), Some("rows"));
    let q = on_line(&qs, 11);
    assert!(!q.all_rows, "aggregate: one row");
    let q = on_line(&qs, 14);
    assert_eq!(q.bound_to.as_deref(), Some("result"));
    assert!(q.returned);
}

#[test]
fn loops_and_comprehensions() {
    let qs = py_queries(
        "def f(cur, ids):\n    cur.execute('SELECT id FROM orders')\n    for row in cur.fetchall():\n        cur.execute('SELECT * FROM items WHERE order_id = %s', (row[0],))\n    return [cur.execute('SELECT 1 FROM users WHERE id = %s', (i,)) for i in ids]\ndef g(conn):\n    for r in conn.execute('SELECT * FROM users'):\n        pass\n",
    );
    assert_eq!(on_line(&qs, 2).loop_idx, None);
    assert_eq!(on_line(&qs, 4).loop_idx, Some(0));
    assert_eq!(on_line(&qs, 5).loop_idx, Some(1));
    let q = on_line(&qs, 7);
    assert_eq!(q.loop_idx, None, "a loop's iterable runs once");
    assert!(q.all_rows);
}

#[test]
fn not_sql_after_all_and_parse_problems() {
    let project = py_project(&[(
        "app.py",
        "def f(cur):\n    cur.execute('hello world')\n    cur.execute('SELECT FROM WHERE (')\n",
    )]);
    let db = raw_db(&project);
    assert_eq!(db.queries.len(), 1);
    assert!(db.queries[0].shape.is_none());
    assert_eq!(db.problems.len(), 1);
    assert_eq!(db.problems[0].span.unwrap().start.line, 3);
}

#[test]
fn fastapi_handler_parameters_are_request_input() {
    let qs = py_queries(
        "from fastapi import FastAPI, Depends\napp = FastAPI()\n@app.get('/u')\nasync def u(name: str, uid: int, db=Depends(get_db)):\n    await db.fetch(f\"SELECT * FROM users WHERE name = '{name}' AND id = {uid}\")\ndef helper(cur, name):\n    cur.execute(f\"SELECT * FROM users WHERE name = '{name}'\")\n",
    );
    assert_eq!(
        holes(on_line(&qs, 5)).1,
        [
            ("name".to_string(), Taint::Request),
            ("uid".to_string(), Taint::Constant)
        ]
    );
    assert_eq!(
        holes(on_line(&qs, 7)).1,
        [("name".to_string(), Taint::Parameter)]
    );
}

#[test]
fn django_request_and_cursor() {
    let qs = py_queries(
        "from django.db import connection\ndef v(request):\n    with connection.cursor() as c:\n        c.execute('SELECT * FROM t WHERE a = ' + request.GET['a'])\n        c.execute('SELECT * FROM t WHERE u = %s' % request.user.id)\n",
    );
    assert_eq!(holes(&qs[0]).1[0].1, Taint::Request);
    assert_eq!(holes(&qs[1]).1[0].1, Taint::Unknown);
}

#[test]
fn dialect_snippets_of_the_database_wrapper_are_constant() {
    // lnbits: `db.timestamp_now` is `now()` or a SQLite expression.
    let qs = py_queries(
        "async def m001(db):\n    await db.execute(f'CREATE TABLE t (id {db.big_int}, at TIMESTAMP DEFAULT {db.timestamp_now})')\n    await db.execute(f'DELETE FROM t WHERE at < {db.timestamp_placeholder(\"now\")}')\n",
    );
    for q in &qs {
        assert!(
            holes(q).1.iter().all(|(_, t)| *t == Taint::Constant),
            "{q:?}"
        );
    }
}

#[test]
fn sanitizers_conditionals_and_sql_parameters() {
    let qs = py_queries(
        "def identifier(s):\n    return '\"' + s.replace('\"', '\"\"') + '\"'\ndef f(conn, table, native, where_clause):\n    conn.execute('DROP TABLE {}'.format(identifier(table)))\n    conn.execute('CREATE TYPE t AS (j {0})'.format('json' if native else 'text'))\n    conn.execute(f'SELECT * FROM t WHERE {where_clause}')\n    conn.execute(f'SELECT * FROM {table}')\n",
    );
    assert_eq!(holes(&qs[0]).1[0].1, Taint::Constant);
    assert_eq!(holes(&qs[1]).1[0].1, Taint::Constant);
    assert_eq!(holes(&qs[2]).1[0].1, Taint::Constant);
    assert_eq!(holes(&qs[3]).1[0].1, Taint::Parameter);
}

#[test]
fn migration_sql_is_not_a_service_query() {
    let project = py_project(&[
        (
            "app/ops.py",
            "class AddTrigger:\n    def database_backwards(self, app_label, schema_editor, a, b):\n        schema_editor.execute(f'DROP TRIGGER IF EXISTS {self.name}')\ndef upgrade():\n    op.execute('UPDATE t SET a = 1')\n",
        ),
        (
            "app/migrations/0002_fill.py",
            "def fill(cur, n):\n    cur.execute(f'UPDATE t SET a = {n}')\n",
        ),
    ]);
    assert!(raw_db(&project).queries.is_empty());
}

#[test]
fn long_concatenations_stay_constant() {
    let pieces: Vec<String> = (0..40).map(|i| format!("'c{i}, '")).collect();
    let src = format!(
        "def f(cur):\n    cur.execute('SELECT ' + {} + 'id FROM t')\n",
        pieces.join(" + ")
    );
    let qs = py_queries(&src);
    assert!(constant(&qs[0]).starts_with("SELECT c0, c1, "));
}

#[test]
fn comprehensions_carry_their_elements_taint() {
    let qs = py_queries(
        "from flask import request\nCOLS = ('id', 'name')\ndef f(cur):\n    cols = ', '.join(f'\"{c}\"' for c in COLS)\n    cur.execute(f'SELECT {cols} FROM t')\n    picked = ', '.join([c for c in request.args.getlist('c')])\n    cur.execute(f'SELECT {picked} FROM t')\n",
    );
    assert!(
        holes(&qs[0]).1.iter().all(|(_, t)| *t == Taint::Constant),
        "{:?}",
        holes(&qs[0])
    );
    assert_eq!(holes(&qs[1]).1[0].1, Taint::Request);
}

#[test]
fn comprehensions_of_sanitized_or_numbered_elements_are_constant() {
    let qs = py_queries(
        "def identifier(s):\n    return '\"' + s.replace('\"', '\"\"') + '\"'\ndef f(conn, table, names, rows):\n    cols = ', '.join(identifier(n) for n in names)\n    marks = ', '.join([f':v{i}' for i in range(len(names))])\n    conn.execute(f'INSERT INTO t ({cols}) VALUES ({marks})', rows)\n    picked = ', '.join(n for n in names)\n    conn.execute(f'SELECT {picked} FROM t')\n",
    );
    assert!(
        holes(&qs[0]).1.iter().all(|(_, t)| *t == Taint::Constant),
        "{:?}",
        holes(&qs[0])
    );
    assert_eq!(holes(&qs[1]).1[0].1, Taint::Parameter);
}

#[test]
fn aliased_quoting_functions_and_migration_binds() {
    let qs = py_queries(
        "def order(connection, name, table):\n    qn = connection.ops.quote_name\n    col = qn(name)\n    with connection.cursor() as cursor:\n        cursor.execute(f'UPDATE t SET k = {col}')\n    q = len\n    cursor.execute(f'SELECT * FROM {q(table)}')\n    cursor.execute(f'SELECT * FROM {table}')\ndef fix_sequence(table_name):\n    bind = op.get_bind()\n    bind.execute(text(f'SELECT max(id) FROM {table_name}'))\n",
    );
    assert_eq!(qs.len(), 3, "{qs:?}");
    assert_eq!(holes(&qs[0]).1[0].1, Taint::Constant);
    assert_ne!(holes(&qs[1]).1[0].1, Taint::Constant);
    assert_eq!(holes(&qs[2]).1[0].1, Taint::Parameter);
}

/// The merged schema of the DDL a one-file project executes.
fn ddl_schema(src: &str) -> archlint_model::Schema {
    let db = raw_db(&py_project(&[("app/migrations.py", src)]));
    archlint_model::Schema::from_sources(&db.sources)
}

#[test]
fn ddl_executed_by_python_becomes_schema_in_order() {
    let s = ddl_schema(
        "async def m001(db):\n    await db.execute(\"\"\"\n        CREATE TABLE IF NOT EXISTS users (\n            id TEXT PRIMARY KEY,\n            email TEXT NOT NULL\n        );\n    \"\"\")\n    await db.execute(\"CREATE INDEX by_email ON users (email)\")\n\nasync def m002(db):\n    await db.execute(\"ALTER TABLE users ADD COLUMN name TEXT\")\n    await db.execute(\"DROP INDEX by_email\")\n    await db.execute(\"CREATE UNIQUE INDEX users_name ON users (name)\")\n",
    );
    let t = s.table("users").expect("users table");
    assert!(!t.partial);
    let cols: Vec<&str> = t.columns.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(cols, ["id", "email", "name"]);
    let names: Vec<Option<&str>> = t.indexes.iter().map(|i| i.name.as_deref()).collect();
    assert!(
        !names.contains(&Some("by_email")),
        "dropped later: {names:?}"
    );
    assert!(names.contains(&Some("users_name")));
    // Declared where the text is written, on the statement's own line.
    assert_eq!(t.declared_at.path, "app/migrations.py");
    assert_eq!(t.declared_at.span.start.line, 3);
}

#[test]
fn ddl_holes_in_types_are_harmless_and_loop_values_expand() {
    let s = ddl_schema(
        "async def m001(db):\n    await db.execute(f\"CREATE TABLE pay (id TEXT PRIMARY KEY, wallet TEXT, amount {db.big_int} NOT NULL, memo TEXT)\")\n    cols = ['wallet', 'amount']\n    for col in cols:\n        await db.execute(f'CREATE INDEX idx_pay_{col} ON pay ({col})')\n",
    );
    let t = s.table("pay").expect("pay table");
    assert!(!t.partial);
    assert_eq!(t.columns.len(), 4);
    for col in ["wallet", "amount"] {
        let name = format!("idx_pay_{col}");
        let i = t
            .indexes
            .iter()
            .find(|i| i.name.as_deref() == Some(name.as_str()))
            .unwrap_or_else(|| panic!("{name} missing"));
        assert!(i.leads_with(&[col.to_string()]));
    }
    assert!(
        !t.indexes
            .iter()
            .any(|i| i.leads_with(&["memo".to_string()]))
    );
}

#[test]
fn ddl_with_unknown_names_marks_the_table_partly_known() {
    let s = ddl_schema(
        "async def m001(db, extra):\n    await db.execute('CREATE TABLE ev (id TEXT PRIMARY KEY, kind TEXT)')\n    for col in extra:\n        await db.execute(f'CREATE INDEX idx_ev_{col} ON ev ({col})')\n    await db.execute(f'CREATE TABLE {extra} (id INT)')\n",
    );
    assert!(s.table("ev").expect("ev table").partial);
    // A table whose name is unknown is not invented.
    assert_eq!(s.tables.len(), 1);
}

#[test]
fn cursor_fetch_without_text_is_not_a_query_but_a_wrapper_with_text_is() {
    let qs = py_queries(
        "def a(cur, db, uid):\n    cur.execute('SELECT id FROM users WHERE id = %s', (uid,))\n    row = cur.fetchone()\n    rows = db.fetchall('SELECT * FROM users')\n    every = cur.execute('SELECT * FROM orders').fetchall()\n    return row, rows, every\n",
    );
    let apis: Vec<&str> = qs.iter().map(|q| q.api.as_str()).collect();
    assert_eq!(apis, ["cur.execute", "db.fetchall", "cur.execute"]);
    assert!(!qs[0].all_rows);
    assert!(qs[1].all_rows);
    // The chained `fetchall()` reads the rows of the `execute` before it.
    assert!(qs[2].all_rows);
}

#[test]
fn identifiers_checked_against_an_allow_list_are_constant() {
    let qs = py_queries(
        "SORTABLE = ('name', 'created')\ndef a(cur, field, order, col, other):\n    if field not in ['status', 'kind']:\n        return []\n    assert order in SORTABLE\n    allowed = {'a', 'b'}\n    if col in allowed:\n        pass\n    cur.execute(f'SELECT {field}, count(*) FROM t GROUP BY {field} ORDER BY {order}, {col}')\n    cur.execute(f'SELECT * FROM t ORDER BY {other}')\n",
    );
    let (_, first) = holes(&qs[0]);
    assert!(
        first.iter().all(|(_, t)| *t == Taint::Constant),
        "{first:?}"
    );
    // Checked against nothing: still a parameter.
    let (_, second) = holes(&qs[1]);
    assert_eq!(second, [("other".to_string(), Taint::Parameter)]);
}
