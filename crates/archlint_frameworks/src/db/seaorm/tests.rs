//! sea-orm migrations and queries, one test per supported form.

use crate::db::diesel::testutil::{db, flags, on_line, shape};
use archlint_model::{DbModel, IndexKind, QueryFact, SchemaOp};

const MIGRATION_1: &str = r#"use sea_orm_migration::{prelude::*, schema::*};

pub struct Migration;

impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Users::Table)
                    .if_not_exists()
                    .col(ColumnDef::new(Users::Id).integer().not_null().auto_increment().primary_key())
                    .col(ColumnDef::new(Users::Email).string().not_null().unique_key())
                    .col(ColumnDef::new(Users::Name).string().not_null())
                    .col(ColumnDef::new(Users::CreatedAt).timestamp().not_null())
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Posts::Table)
                    .col(pk_auto(Posts::Id))
                    .col(integer(Posts::UserId))
                    .col(string_null(Posts::Title))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_posts_user")
                            .from(Posts::Table, Posts::UserId)
                            .to(Users::Table, Users::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(Index::create().name("idx_posts_title").table(Posts::Table).col(Posts::Title).to_owned())
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(Posts::Table).to_owned()).await
    }
}
"#;

const MIGRATION_2: &str = r#"use sea_orm_migration::prelude::*;

pub struct Migration;

impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let alter = Table::alter()
            .table(Users::Table)
            .add_column(ColumnDef::new(Users::Age).integer().null())
            .to_owned();
        manager.alter_table(alter).await?;
        manager.drop_index(Index::drop().name("idx_posts_title").table(Posts::Table).to_owned()).await?;
        manager.create_index(Index::create().name("idx_users_age").table(Users::Table).col(Users::Age).to_owned()).await?;
        manager
            .get_connection()
            .execute_unprepared("CREATE INDEX idx_users_name ON users (name)")
            .await?;
        Ok(())
    }
}
"#;

const USERS_ENTITY: &str = r#"use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "users")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub email: String,
}

impl ActiveModelBehavior for ActiveModel {}
"#;

const PRELUDE: &str = "pub use super::posts::Entity as Posts;
pub use super::users::Entity as Users;
";

fn model(handlers: &str) -> DbModel {
    db(
        &[
            ("src/handlers.rs", handlers),
            (
                "src/entity/mod.rs",
                "pub mod posts;\npub mod prelude;\npub mod users;\n",
            ),
            ("src/entity/prelude.rs", PRELUDE),
            ("src/entity/users.rs", USERS_ENTITY),
            ("src/entity/posts.rs", "use sea_orm::entity::prelude::*;\n"),
            (
                "migration/src/m20220101_000001_create_tables.rs",
                MIGRATION_1,
            ),
            ("migration/src/m20220201_000001_more.rs", MIGRATION_2),
        ],
        &[],
    )
}

fn queries(handlers: &str) -> Vec<QueryFact> {
    model(handlers).queries
}

#[test]
fn migrations_create_tables_columns_keys_and_indexes() {
    let m = model("");
    let users = m.schema.table("users").expect("users");
    assert!(!users.partial);
    let cols: Vec<&str> = users.columns.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(cols, ["id", "email", "name", "created_at", "age"]);
    assert_eq!(users.primary_key, ["id"]);
    assert!(
        users
            .indexes
            .iter()
            .any(|i| i.kind == IndexKind::Unique && i.columns.len() == 1)
    );
    assert!(users.index_serving("email", &[]).is_some());
    assert!(
        users.index_serving("age", &[]).is_some(),
        "created by the second migration"
    );
    assert!(users.index_serving("name", &[]).is_some(), "raw SQL index");
    assert!(users.column("age").is_some_and(|c| c.nullable));
    assert!(users.column("email").is_some_and(|c| !c.nullable));
    let posts = m
        .schema
        .table("posts")
        .expect("posts, not dropped by down()");
    assert_eq!(posts.primary_key, ["id"]);
    assert!(posts.column("title").is_some_and(|c| c.nullable));
    assert!(
        posts.index_serving("title", &[]).is_none(),
        "dropped by the second migration"
    );
    let fks = m.schema.foreign_keys_without_index();
    assert_eq!(fks.len(), 1);
    let (t, fk) = fks[0];
    assert_eq!(
        (
            t.name.as_str(),
            fk.columns.as_slice(),
            fk.ref_table.as_str()
        ),
        ("posts", &["user_id".to_string()][..], "users")
    );
    // Reported at the column's declaration: `.col(integer(Posts::UserId))`.
    assert_eq!(fk.declared_at.span.start.line, 24);
    assert_eq!(
        fk.declared_at.path,
        "migration/src/m20220101_000001_create_tables.rs"
    );
}

#[test]
fn raw_sql_positions_point_into_the_string() {
    let m = model("");
    let src = m
        .sources
        .iter()
        .find(|s| s.path.ends_with("more.rs"))
        .expect("second migration");
    let at = src.ops.iter().find_map(|op| match op {
        SchemaOp::CreateIndex { index, at, .. }
            if index.name.as_deref() == Some("idx_users_name") =>
        {
            Some(at.clone())
        }
        _ => None,
    });
    let at = at.expect("raw index");
    assert_eq!(at.span.start.line, 16);
}

const HANDLERS: &str = r#"use sea_orm::*;
use crate::entity::{posts, users};
use crate::entity::prelude::*;

async fn by_email(db: &DatabaseConnection, x: String) -> Option<users::Model> {
    users::Entity::find().filter(users::Column::Email.eq(x)).one(db).await.unwrap()
}
async fn list(State(db): State<DatabaseConnection>) -> Json<Vec<users::Model>> {
    let rows = Users::find().order_by_asc(users::Column::CreatedAt).all(&db).await.unwrap();
    Json(rows)
}
async fn page(db: &DatabaseConnection) {
    let p = Posts::find().filter(posts::Column::Title.contains("x")).order_by_desc(posts::Column::Id).paginate(db, 20);
    let c = Condition::any().add(users::Column::Name.eq("a")).add(users::Column::Age.gt(3));
    Users::find().filter(Condition::all().add(users::Column::Name.eq("a")).add(users::Column::Age.between(1, 2))).limit(10).all(db).await;
    Users::find().filter(c).all(db).await;
    Users::find_by_id(3).one(db).await;
    Users::find().find_with_related(Posts).all(db).await;
    Posts::find().filter(posts::Column::UserId.is_in(ids)).count(db).await;
}
async fn writes(db: &DatabaseConnection, user: users::Model) {
    users::ActiveModel { email: Set("a".into()), ..Default::default() }.insert(db).await;
    let am: users::ActiveModel = user.into();
    am.delete(db).await;
    Users::delete_many().filter(users::Column::Email.like("%x")).exec(db).await;
    Users::update_many().col_expr(users::Column::Age, Expr::value(1)).filter(users::Column::Name.eq("x")).exec(db).await;
    Posts::insert(post).exec(db).await;
    let posts = user.find_related(Posts).all(db).await;
    for u in Users::find().all(db).await.unwrap() {
        Posts::find().filter(posts::Column::UserId.eq(u.id)).all(db).await;
    }
}
"#;

#[test]
fn find_filter_one_and_all_returned() {
    let qs = queries(HANDLERS);
    let q = on_line(&qs, 6);
    assert_eq!(shape(q), "select users where users.email= limit");
    assert_eq!(q.api, "users::Entity::find().filter(..).one");
    assert_eq!(flags(q), "returned");
    let q = on_line(&qs, 9);
    assert_eq!(shape(q), "select users order users.created_at?");
    assert_eq!(flags(q), "all returned bound=rows");
}

#[test]
fn conditions_pagination_and_counts() {
    let qs = queries(HANDLERS);
    let q = on_line(&qs, 13);
    assert_eq!(
        shape(q),
        "select posts where posts.title like order posts.id? limit"
    );
    assert!(!q.all_rows);
    assert_eq!(
        shape(on_line(&qs, 15)),
        "select users where users.name= users.age<> limit"
    );
    // A condition kept in a local is not followed: no shape, still all rows.
    assert_eq!(shape(on_line(&qs, 16)), "-");
    assert_eq!(
        shape(on_line(&qs, 17)),
        "select users where users.id= limit"
    );
    assert_eq!(
        shape(on_line(&qs, 18)),
        "select users,posts join posts.user_id=users.id"
    );
    assert_eq!(
        shape(on_line(&qs, 19)),
        "select posts where posts.user_id in aggregate"
    );
}

#[test]
fn writes_and_active_models() {
    let qs = queries(HANDLERS);
    assert_eq!(shape(on_line(&qs, 22)), "insert users");
    assert_eq!(shape(on_line(&qs, 24)), "delete users where users.id=");
    assert_eq!(
        shape(on_line(&qs, 25)),
        "delete users where users.email like"
    );
    assert_eq!(shape(on_line(&qs, 26)), "update users where users.name=");
    assert_eq!(shape(on_line(&qs, 27)), "insert posts");
    assert!(
        qs.iter()
            .filter(|q| q.span.start.line >= 22 && q.span.start.line <= 27)
            .all(|q| !q.all_rows)
    );
}

#[test]
fn related_queries_and_loops() {
    let qs = queries(HANDLERS);
    // The model's entity is not known, so neither is the key: no shape.
    let q = on_line(&qs, 28);
    assert_eq!(shape(q), "-");
    assert_eq!(flags(q), "all bound=posts");
    assert_eq!(on_line(&qs, 29).loop_idx, None);
    assert_eq!(shape(on_line(&qs, 30)), "select posts where posts.user_id=");
    assert_eq!(on_line(&qs, 30).loop_idx, Some(0));
}

#[test]
fn files_without_sea_orm_are_ignored() {
    let m = db(&[("src/a.rs", "fn f() { Users::find().all(db); }")], &[]);
    assert!(m.queries.is_empty());
}

#[test]
fn expanded_entities_aliases_and_refined_locals() {
    let entity = "use sea_orm::entity::prelude::*;
pub struct Entity;
impl EntityName for Entity {
    fn table_name(&self) -> &str {
        \"app_users\"
    }
}
";
    let handlers = "use sea_orm::*;
use crate::entity::users::Entity as Account;
use crate::entity::users;
async fn f(db: &DatabaseConnection, name: Option<String>) {
    Account::find().filter(users::Column::Email.eq(\"x\")).one(db).await;
    let mut q = users::Entity::find().filter(users::Column::Email.eq(\"x\"));
    if let Some(n) = name {
        q = q.filter(users::Column::Name.eq(n));
    }
    q.all(db).await;
}
";
    let m = db(
        &[
            ("src/handlers.rs", handlers),
            ("src/entity/mod.rs", "pub mod users;\n"),
            ("src/entity/users.rs", entity),
        ],
        &[],
    );
    assert_eq!(
        shape(on_line(&m.queries, 5)),
        "select app_users where app_users.email= limit"
    );
    let q = on_line(&m.queries, 10);
    assert_eq!(
        shape(q),
        "select app_users where app_users.email= |app_users.name="
    );
    assert!(q.all_rows);
}

#[test]
fn alter_drop_and_rename() {
    let migration = r#"use sea_orm_migration::prelude::*;
pub struct Migration;
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.create_table(Table::create().table(Alias::new("logs")).col(ColumnDef::new(Alias::new("id")).big_integer().primary_key()).col(ColumnDef::new(Alias::new("old")).string()).to_owned()).await?;
        manager.alter_table(Table::alter().table(Alias::new("logs")).rename_column(Alias::new("old"), Alias::new("kind")).drop_column(Alias::new("gone")).to_owned()).await?;
        manager.create_index(Index::create().name("ix_kind").table(Alias::new("logs")).col(Alias::new("kind")).unique().to_owned()).await?;
        manager.create_table(Table::create().table(Alias::new("tmp")).col(ColumnDef::new(Alias::new("id")).integer()).to_owned()).await?;
        manager.drop_table(Table::drop().table(Alias::new("tmp")).to_owned()).await?;
        manager.rename_table(Table::rename().table(Alias::new("logs"), Alias::new("events")).to_owned()).await?;
        manager.create_index(Index::create().name("ix_expr").table(Alias::new("events")).col(Expr::cust("lower(kind)")).to_owned()).await
    }
}
"#;
    let m = db(
        &[("migration/src/m20240101_000001_logs.rs", migration)],
        &[],
    );
    assert!(m.schema.table("tmp").is_none());
    assert!(m.schema.table("logs").is_none());
    let events = m.schema.table("events").expect("renamed");
    assert!(events.column("kind").is_some() && events.column("old").is_none());
    assert!(events.index_serving("kind", &[]).is_some_and(|i| i.unique));
    assert!(
        events.partial,
        "an index not understood leaves the table partial"
    );
}

#[test]
fn iden_suffix_names_the_table() {
    let migration = r#"use sea_orm_migration::prelude::*;
pub struct Migration;
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.create_table(Table::create().table(UserIden::Table).col(ColumnDef::new(UserIden::Id).integer().primary_key()).to_owned()).await
    }
}
"#;
    let m = db(
        &[("migration/src/m20240101_000001_users.rs", migration)],
        &[],
    );
    assert!(m.schema.table("user").is_some());
}
