//! Database access as the SQL rules will see it: sqlx macros and builder
//! chains, SQL built with `format!` or `+`, diesel DSL chains, and queries
//! inside loops and iterator closures.

mod common;

use archlint_model::{ArgsExt, ExprKind, StmtKind, visit};
use common::{body_lines, facts, func, show};

#[test]
fn sqlx_macros_keep_sql_and_bind_args() {
    let f = facts(
        r##"
async fn get(pool: &PgPool, id: i64, email: &str) -> Result<User> {
    let u = sqlx::query_as!(User, "SELECT * FROM users WHERE id = $1", id).fetch_one(pool).await?;
    let n = sqlx::query!(r#"SELECT count(*) AS "n!" FROM users WHERE email = $1"#, email)
        .fetch_one(&mut *conn)
        .await?;
    let v = query_scalar!("SELECT 1").fetch_one(pool).await?;
    Ok(u)
}
"##,
    );
    let g = func(&f, "get");
    assert_eq!(
        body_lines(g),
        [
            r#"let u = sqlx::query_as!(User, "SELECT * FROM users WHERE id = $1", id).fetch_one(pool).await"#,
            r#"let n = sqlx::query!("SELECT count(*) AS \"n!\" FROM users WHERE email = $1", email).fetch_one(unary(conn)).await"#,
            r#"let v = query_scalar!("SELECT 1").fetch_one(pool).await"#,
            "return Ok(u)",
        ]
    );
    let StmtKind::Assign { value, .. } = &g.body[0].kind else {
        panic!()
    };
    // Find the macro under the chain with the generic walker.
    let mut sql = None;
    visit::walk_expr(value, |e| {
        if let ExprKind::Macro { path, args } = &e.kind {
            assert_eq!(path, &["sqlx", "query_as"]);
            sql = args
                .positional(1)
                .and_then(|a| a.as_str())
                .map(str::to_owned);
        }
    });
    assert_eq!(sql.as_deref(), Some("SELECT * FROM users WHERE id = $1"));
}

#[test]
fn sqlx_functions_with_bind_chains() {
    let f = facts(
        r#"
async fn list(pool: &MySqlPool, x: i32) -> Vec<Row> {
    sqlx::query("SELECT * FROM t WHERE a = ?").bind(x).fetch_all(&pool).await.unwrap()
}
"#,
    );
    assert_eq!(
        body_lines(func(&f, "list")),
        [
            r#"return sqlx::query("SELECT * FROM t WHERE a = ?").bind(x).fetch_all(pool).await.unwrap()"#
        ]
    );
}

#[test]
fn sql_built_with_format_and_concatenation() {
    let f = facts(
        r#"
fn search(conn: &Connection, name: &str, order: String) {
    let q = format!("SELECT * FROM users WHERE name = '{}' ORDER BY {order}", name);
    conn.execute(&q, []);
    let q2 = "SELECT * FROM t WHERE id = ".to_owned() + &id.to_string();
    sqlx::query(&format!("DELETE FROM {} WHERE id = {}", table, id)).execute(&pool);
    let q3 = String::from("SELECT ") + cols;
}
"#,
    );
    assert_eq!(
        body_lines(func(&f, "search")),
        [
            r#"let q = format!("SELECT * FROM users WHERE name = '{}' ORDER BY {order}", name)"#,
            "conn.execute(q, [])",
            r#"let q2 = ("SELECT * FROM t WHERE id = ".to_owned() Add id.to_string())"#,
            r#"sqlx::query(format!("DELETE FROM {} WHERE id = {}", table, id)).execute(pool)"#,
            r#"let q3 = (String::from("SELECT ") Add cols)"#,
        ]
    );
}

#[test]
fn diesel_dsl_chains() {
    let f = facts(
        r#"
fn find(conn: &mut PgConnection, x: &str) -> QueryResult<User> {
    use crate::schema::users::dsl::*;
    users.filter(email.eq(x)).first::<User>(conn)
}
fn posts_of(conn: &mut PgConnection, u: &User) -> Vec<Post> {
    posts::table.inner_join(users::table).filter(posts::user_id.eq(u.id)).select(Post::as_select()).load(conn).expect("load")
}
"#,
    );
    assert_eq!(f.imports[0].module, "crate::schema::users::dsl");
    assert_eq!(f.imports[0].name.as_deref(), Some("*"));
    assert_eq!(
        body_lines(func(&f, "find")),
        ["return users.filter(email.eq(x)).first(conn)"]
    );
    assert_eq!(
        body_lines(func(&f, "posts_of")),
        [
            r#"return posts::table.inner_join(users::table).filter(posts::user_id.eq(u.id)).select(Post::as_select()).load(conn).expect("load")"#
        ]
    );
}

#[test]
fn queries_in_loops_carry_the_loop() {
    let f = facts(
        r#"
async fn feed(pool: &PgPool, users: Vec<User>) {
    for u in users.iter() {
        let posts = sqlx::query!("SELECT * FROM posts WHERE user_id = $1", u.id).fetch_all(pool).await?;
        while let Some(p) = stream.next().await {
            save(p).await;
        }
    }
    let all: Vec<_> = users.iter().map(|u| db.load(u.id)).collect();
    futures::future::join_all(users.into_iter().map(|u| async move {
        sqlx::query("SELECT 1").execute(pool).await
    })).await;
}
"#,
    );
    let feed = func(&f, "feed");
    assert_eq!(feed.loops.len(), 2);
    assert_eq!(
        feed.loops[0].target.as_ref().map(show).as_deref(),
        Some("u")
    );
    assert_eq!(
        feed.loops[0].iter.as_ref().map(show).as_deref(),
        Some("users.iter()")
    );
    assert_eq!(feed.loops[1].parent, Some(0));
    assert_eq!(
        feed.loops[1].target.as_ref().map(show).as_deref(),
        Some("other(p)")
    );
    assert_eq!(
        feed.loops[1].iter.as_ref().map(show).as_deref(),
        Some("stream.next().await")
    );
    assert_eq!(
        body_lines(feed),
        [
            "users.iter()",
            r#"@0 let posts = sqlx::query!("SELECT * FROM posts WHERE user_id = $1", u.id).fetch_all(pool).await"#,
            "@1 let other(p) = stream.next().await",
            "@1 save(p).await",
            "let all: type(Vec<_>) = users.iter().map(|u| {return db.load(u.id)}).collect()",
            r#"futures::future::join_all(users.into_iter().map(|u| {return sqlx::query("SELECT 1").execute(pool).await})).await"#,
        ]
    );
}
