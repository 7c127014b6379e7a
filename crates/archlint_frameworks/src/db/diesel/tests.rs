//! diesel query extraction, one test per supported form.

use super::testutil::{db, flags, on_line, shape};
use archlint_model::QueryFact;

const UP_SQL: &str = "\
CREATE TABLE users (
    id SERIAL PRIMARY KEY,
    email VARCHAR NOT NULL UNIQUE,
    name VARCHAR NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE TABLE posts (
    id SERIAL PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users (id),
    title VARCHAR NOT NULL,
    published BOOLEAN NOT NULL
);
";

fn queries(src: &str) -> Vec<QueryFact> {
    db(
        &[("src/handlers.rs", src)],
        &[("migrations/2024-01-01-000000_init/up.sql", UP_SQL)],
    )
    .queries
}

fn one(src: &str, line: u32) -> (String, String) {
    let qs = queries(src);
    let q = on_line(&qs, line);
    (shape(q), flags(q))
}

#[test]
fn table_path_filter_first() {
    let src = "use diesel::prelude::*;
use crate::schema::users;
fn by_email(conn: &mut PgConnection, x: &str) -> QueryResult<User> {
    users::table.filter(users::email.eq(x)).first::<User>(conn)
}";
    let qs = queries(src);
    let q = on_line(&qs, 4);
    assert_eq!(shape(q), "select users where users.email= limit");
    assert_eq!(q.api, "users::table.filter(..).first");
    assert!(!q.all_rows && q.returned);
}

#[test]
fn dsl_glob_with_and_order_limit() {
    let src = "use diesel::prelude::*;
use crate::schema::users::dsl::*;
fn recent(conn: &mut PgConnection, n: &str, t: Ts) -> Vec<User> {
    users.filter(name.eq(n).and(created_at.gt(t))).order(created_at.desc()).limit(10).load::<User>(conn).unwrap()
}";
    assert_eq!(
        one(src, 4).0,
        "select users where users.name= users.created_at<> order users.created_at? limit"
    );
}

#[test]
fn named_dsl_imports_and_find_uses_the_primary_key() {
    let src = "use diesel::{ExpressionMethods, QueryDsl};
use diesel_async::RunQueryDsl;
use crate::schema::users::dsl::{users, name as user_name};
async fn read(conn: &mut AsyncPgConnection, uid: i32) -> Result<User, Error> {
    users.filter(user_name.ne(\"x\")).find(uid).first::<User>(conn).await
}";
    assert_eq!(
        one(src, 5),
        (
            "select users where users.name? users.id= limit".into(),
            "returned".into()
        )
    );
}

#[test]
fn or_filter_and_or_mark_disjunctions() {
    let src = "use diesel::prelude::*;
use crate::schema::users::dsl::*;
fn f(conn: &mut PgConnection) {
    let a = users.filter(email.eq(x)).or_filter(name.eq(y)).load::<User>(conn);
    let b = users.filter(email.eq(x).or(name.like(y))).load::<User>(conn);
}";
    let qs = queries(src);
    assert_eq!(
        shape(on_line(&qs, 4)),
        "select users where |users.email= |users.name="
    );
    assert_eq!(
        shape(on_line(&qs, 5)),
        "select users where |users.email= |users.name like"
    );
}

#[test]
fn operators_map_to_index_kinds() {
    let src = "use diesel::prelude::*;
use crate::schema::posts;
fn f(conn: &mut PgConnection) {
    posts::table
        .filter(posts::user_id.eq_any(ids))
        .filter(posts::title.ilike(p))
        .filter(posts::published.is_null())
        .filter(posts::id.between(1, 9))
        .filter(diesel::dsl::not(posts::id.eq(3)))
        .load::<Post>(conn);
}";
    assert_eq!(
        one(src, 4).0,
        "select posts where posts.user_id in posts.title like posts.published null posts.id<> posts.id?"
    );
}

#[test]
fn sql_functions_on_columns_are_expressions() {
    let src = "use diesel::prelude::*;
use crate::schema::users::dsl::*;
fn f(conn: &mut PgConnection) {
    users.filter(lower(email).eq(x.to_lowercase())).first::<User>(conn);
}";
    assert_eq!(
        one(src, 4).0,
        "select users where users.lower(email)= limit"
    );
}

#[test]
fn eq_any_with_a_query_is_a_subquery() {
    let src = "use diesel::prelude::*;
use crate::schema::{posts, users};
fn f(conn: &mut PgConnection) {
    users::table.filter(users::id.eq_any(posts::table.select(posts::user_id).filter(posts::published.eq(true)))).load::<User>(conn);
}";
    assert_eq!(one(src, 4).0, "select users where users.id in sub[1]");
}

#[test]
fn joins_use_on_or_the_schema_foreign_key() {
    let src = "use diesel::prelude::*;
use crate::schema::{posts, users};
fn f(conn: &mut PgConnection) {
    users::table.inner_join(posts::table).filter(users::email.eq(x)).load::<(User, Post)>(conn);
    users::table.left_join(posts::table.on(posts::title.eq(users::name))).load::<(User, Option<Post>)>(conn);
}";
    let qs = queries(src);
    assert_eq!(
        shape(on_line(&qs, 4)),
        "select users,posts where users.email= join posts.user_id=users.id"
    );
    assert_eq!(
        shape(on_line(&qs, 5)),
        "select users,posts join posts.title=users.name"
    );
}

#[test]
fn insert_update_delete() {
    let src = "use diesel::prelude::*;
use crate::schema::users::dsl::*;
use crate::schema::users as u;
fn f(conn: &mut PgConnection, uid: i32) {
    diesel::insert_into(u::table).values(&new_user).execute(conn);
    diesel::update(users.find(uid)).set(name.eq(\"x\")).execute(conn);
    diesel::delete(users.filter(email.eq(\"a\"))).execute(conn);
    diesel::insert_into(users).values(email.eq(\"a\")).on_conflict(email).do_nothing().execute(conn);
}";
    let qs = queries(src);
    assert_eq!(shape(on_line(&qs, 5)), "insert users");
    assert_eq!(shape(on_line(&qs, 6)), "update users where users.id=");
    assert_eq!(shape(on_line(&qs, 7)), "delete users where users.email=");
    assert_eq!(
        on_line(&qs, 8)
            .shape
            .as_ref()
            .and_then(|s| s.on_conflict.clone()),
        Some(vec!["email".to_string()])
    );
    assert!(qs.iter().all(|q| !q.all_rows));
}

#[test]
fn load_returned_through_a_local_or_a_blocking_closure() {
    let src = "use diesel::prelude::*;
use crate::schema::users::dsl::*;
async fn list(pool: web::Data<DbPool>) -> Result<HttpResponse, Error> {
    let mut conn = pool.get()?;
    let rows = users.load::<User>(&mut conn)?;
    Ok(HttpResponse::Ok().json(rows))
}
async fn list2(pool: web::Data<DbPool>) -> Result<HttpResponse, Error> {
    let mut conn = pool.get()?;
    let rows = web::block(move || users.order(name).load::<User>(&mut conn)).await??;
    Ok(HttpResponse::Ok().json(rows))
}
async fn list3(pool: web::Data<DbPool>) -> Result<Json<Vec<User>>, Error> {
    let mut conn = pool.get().await?;
    users.limit(50).load::<User>(&mut conn).await.map(Json)
}
async fn count(pool: web::Data<DbPool>) -> Result<HttpResponse, Error> {
    let rows = users.load::<User>(&mut pool.get()?)?;
    Ok(HttpResponse::Ok().json(rows.len()))
}";
    let qs = queries(src);
    assert_eq!(flags(on_line(&qs, 5)), "all returned bound=rows");
    assert_eq!(flags(on_line(&qs, 10)), "all returned bound=rows");
    assert_eq!(flags(on_line(&qs, 15)), "returned");
    assert_eq!(flags(on_line(&qs, 18)), "all bound=rows");
}

#[test]
fn loops_around_queries() {
    let src = "use diesel::prelude::*;
use crate::schema::{posts, users};
fn f(conn: &mut PgConnection) {
    for u in users::table.load::<User>(conn).unwrap() {
        let p = posts::table.filter(posts::user_id.eq(u.id)).load::<Post>(conn);
    }
    let all = posts::table.filter(posts::user_id.eq_any(ids)).load::<Post>(conn);
}";
    let qs = queries(src);
    assert_eq!(on_line(&qs, 4).loop_idx, None);
    assert_eq!(on_line(&qs, 5).loop_idx, Some(0));
    assert_eq!(on_line(&qs, 5).bound_to.as_deref(), Some("p"));
    assert_eq!(on_line(&qs, 7).loop_idx, None);
}

#[test]
fn boxed_query_refined_conditionally() {
    let src = "use diesel::prelude::*;
use crate::schema::posts::dsl::*;
fn search(conn: &mut PgConnection, q: Option<String>, n: Option<i64>) -> Vec<Post> {
    let mut query = posts.filter(published.eq(true)).into_boxed();
    if let Some(t) = q {
        query = query.filter(title.eq(t));
    }
    if let Some(n) = n {
        query = query.limit(n);
    }
    query.load::<Post>(conn).unwrap()
}";
    let qs = queries(src);
    let q = on_line(&qs, 11);
    assert_eq!(
        shape(q),
        "select posts where posts.published= |posts.title="
    );
    assert!(!q.all_rows, "a conditional limit may bound it");
}

#[test]
fn unknown_helpers_leave_no_shape() {
    let src = "use diesel::prelude::*;
use crate::schema::posts::dsl::*;
fn f(conn: &mut PgConnection) {
    posts.filter(visible()).load::<Post>(conn);
    posts.filter(title.eq(x)).paginate(3).load::<Post>(conn);
}";
    let qs = queries(src);
    assert_eq!(shape(on_line(&qs, 4)), "-");
    assert!(on_line(&qs, 4).all_rows);
    assert_eq!(shape(on_line(&qs, 5)), "-");
    assert!(!on_line(&qs, 5).all_rows);
}

#[test]
fn function_local_imports_scope_bare_names() {
    let src = "use diesel::prelude::*;
fn a(conn: &mut PgConnection) {
    use crate::schema::users::dsl::*;
    users.filter(name.eq(x)).first::<User>(conn);
}
fn b(conn: &mut PgConnection) {
    use crate::schema::posts::dsl::*;
    posts.filter(title.eq(x)).first::<Post>(conn);
}";
    let qs = queries(src);
    assert_eq!(
        shape(on_line(&qs, 4)),
        "select users where users.name= limit"
    );
    assert_eq!(
        shape(on_line(&qs, 8)),
        "select posts where posts.title= limit"
    );
}

#[test]
fn functions_without_imports_of_their_own_see_the_files() {
    // `b` imports posts' columns itself; `a` and `c` see only the file's
    // users import, before and after `b` (the file's scope is shared).
    let src = "use diesel::prelude::*;
use crate::schema::users::dsl::*;
fn a(conn: &mut PgConnection) {
    users.filter(name.eq(x)).first::<User>(conn);
}
fn b(conn: &mut PgConnection) {
    use crate::schema::posts::dsl::*;
    posts.filter(title.eq(x)).first::<Post>(conn);
}
fn c(conn: &mut PgConnection) {
    users.filter(email.eq(x)).first::<User>(conn);
}";
    let qs = queries(src);
    assert_eq!(
        shape(on_line(&qs, 4)),
        "select users where users.name= limit"
    );
    assert_eq!(
        shape(on_line(&qs, 8)),
        "select posts where posts.title= limit"
    );
    assert_eq!(
        shape(on_line(&qs, 11)),
        "select users where users.email= limit"
    );
}

#[test]
fn other_libraries_and_files_without_diesel_are_ignored() {
    let src = "use sqlx::PgPool;
fn f(pool: &PgPool) {
    sqlx::query(\"DELETE FROM users\").execute(pool);
    users::table.load(conn);
}";
    assert!(queries(src).is_empty());
    let src = "use diesel::prelude::*;
fn f(pool: &PgPool) {
    sqlx::query(\"DELETE FROM users\").execute(pool);
    diesel::sql_query(\"SELECT 1\").load::<X>(conn);
    items.first(conn);
}";
    assert!(queries(src).is_empty());
}

#[test]
fn columns_imported_from_the_table_module() {
    let src = "use diesel::prelude::*;
use crate::schema::{posts, users, users::name};
fn f(conn: &mut PgConnection) {
    users::table.filter(name.eq(x)).first::<User>(conn);
}
fn g(conn: &mut PgConnection) {
    use crate::schema::posts::*;
    table.filter(title.eq(x)).first::<Post>(conn);
}";
    let qs = queries(src);
    assert_eq!(
        shape(on_line(&qs, 4)),
        "select users where users.name= limit"
    );
    assert_eq!(
        shape(on_line(&qs, 8)),
        "select posts where posts.title= limit"
    );
}

#[test]
fn a_local_shadowing_the_table_name_is_followed() {
    let src = "use diesel::prelude::*;
use crate::schema::users::dsl::*;
fn f(conn: &mut PgConnection) -> Vec<User> {
    let users = users.filter(name.eq(x)).limit(5).into_boxed();
    users.load::<User>(conn).unwrap()
}";
    let qs = queries(src);
    let q = on_line(&qs, 5);
    assert_eq!(shape(q), "select users where users.name= limit");
    assert!(!q.all_rows);
}

#[test]
fn counts_and_aggregates_are_one_row() {
    let src = "use diesel::prelude::*;
use diesel::dsl::count_star;
use crate::schema::posts::dsl::*;
fn f(conn: &mut PgConnection) {
    posts.filter(published.eq(true)).count().get_result::<i64>(conn);
    posts.select(count_star()).load::<i64>(conn);
}";
    let qs = queries(src);
    assert_eq!(
        shape(on_line(&qs, 5)),
        "select posts where posts.published= aggregate"
    );
    assert_eq!(shape(on_line(&qs, 6)), "select posts aggregate");
    assert!(qs.iter().all(|q| !q.all_rows));
}

#[test]
fn barrel_migrations_declare_the_schema() {
    let m1 = r##"use barrel::{types, Migration};
pub(crate) fn migration() -> String {
    let mut m = Migration::new();
    m.create_table("hashes", |t| {
        t.add_column("hash", types::text().primary(true).nullable(false));
        t.add_column("created_at", types::datetime().nullable(false));
        t.add_column("note", types::text().nullable(true));
        t.add_index("ordered_hash_index", types::index(["created_at", "hash"]));
    });
    m.create_table("variants", |t| {
        t.inject_custom(r#""id" UUID PRIMARY KEY NOT NULL"#);
        t.add_column("hash", types::text().nullable(false));
        t.add_foreign_key(&["hash"], "hashes", &["hash"]);
    });
    m.inject_custom("CREATE INDEX variants_hash_index ON variants (hash);");
    m.make::<Pg>().to_string()
}
"##;
    let m2 = r#"use barrel::{types, Migration};
pub(crate) fn migration() -> String {
    let mut m = Migration::new();
    m.change_table("hashes", |t| {
        t.add_column("blurhash", types::text().nullable(true).unique(true));
        t.drop_column("note");
    });
    m.make::<Pg>().to_string()
}
"#;
    let m = db(
        &[
            ("src/migrations/V0001__create.rs", m1),
            ("src/migrations/V0002__change.rs", m2),
        ],
        &[],
    );
    let hashes = m.schema.table("hashes").expect("hashes");
    assert!(!hashes.partial);
    assert_eq!(hashes.primary_key, ["hash"]);
    assert!(hashes.column("note").is_none());
    assert!(hashes.column("blurhash").is_some_and(|c| c.nullable));
    assert!(hashes.column("created_at").is_some_and(|c| !c.nullable));
    assert!(hashes.index_serving("created_at", &[]).is_some());
    assert!(hashes.index_serving("blurhash", &[]).is_some());
    let variants = m.schema.table("variants").expect("variants");
    assert_eq!(variants.primary_key, ["id"]);
    assert!(
        variants.index_serving("hash", &[]).is_some(),
        "raw SQL index"
    );
    assert!(m.schema.foreign_keys_without_index().is_empty());
    let fk = &variants.foreign_keys[0];
    assert_eq!(
        fk.declared_at.span.start.line, 12,
        "at the column's add_column"
    );
}

#[test]
fn long_chains_and_deep_conditions_do_not_panic() {
    let mut chain = String::from("users::table");
    for _ in 0..3000 {
        chain.push_str(".filter(users::name.eq(x))");
    }
    let mut cond = String::from("users::name.eq(x)");
    for _ in 0..150 {
        cond = format!("{cond}.and(lower(users::email).eq(y))");
    }
    let src = format!(
        "use diesel::prelude::*;
use crate::schema::users;
fn f(conn: &mut PgConnection) {{
    {chain}.load::<User>(conn);
    users::table.filter({cond}).load::<User>(conn);
}}"
    );
    let qs = queries(&src);
    assert!(qs.len() <= 2);
}
