//! rocket: route attributes with `<param>` segments and named args, guards
//! as `FromRequest` impls, and `mount` with the `routes!` macro.

mod common;

use archlint_model::{Container, ExprKind, StmtKind};
use common::{body_lines, decorators, facts, func, show};

const SRC: &str = r#"
#[macro_use] extern crate rocket;

#[get("/users/<id>", rank = 2)]
async fn user(id: i32, user: AuthUser, db: &State<Pool>, cookies: &CookieJar<'_>) -> Option<Json<User>> {
    db.find(id).await
}

#[post("/users", format = "json", data = "<form>")]
fn create(form: Json<NewUser>, _admin: AdminGuard) -> Status { Status::Created }

pub struct User { id: i64 }

#[rocket::async_trait]
impl<'r> FromRequest<'r> for User {
    type Error = ApiError;
    async fn from_request(req: &'r Request<'_>) -> request::Outcome<Self, Self::Error> {
        match req.headers().get_one("Authorization") {
            Some(token) => Outcome::Success(User { id: 1 }),
            None => Outcome::Error((Status::Unauthorized, ApiError::Missing)),
        }
    }
}

#[launch]
fn rocket() -> _ {
    rocket::build()
        .attach(Db::init())
        .mount("/base", routes![user, admin::create])
        .mount("/", routes![index])
        .register("/", catchers![not_found])
}
"#;

#[test]
fn route_attributes_with_named_args() {
    let f = facts(SRC);
    assert_eq!(
        decorators(func(&f, "user")),
        [r#"get("/users/<id>", rank = 2)"#]
    );
    assert_eq!(
        decorators(func(&f, "create")),
        [r#"post("/users", format = "json", data = "<form>")"#]
    );
    let u = func(&f, "user");
    let types: Vec<String> = u
        .params
        .iter()
        .filter_map(|p| p.annotation.as_ref().map(show))
        .collect();
    assert_eq!(
        types,
        [
            "type(i32)",
            "type(AuthUser)",
            "type(&State<Pool>)",
            "type(&CookieJar)"
        ]
    );
    assert_eq!(body_lines(u), ["return db.find(id).await"]);
}

#[test]
fn from_request_impl_and_match_arms() {
    let f = facts(SRC);
    assert_eq!(f.impls.len(), 1);
    let imp = &f.impls[0];
    assert_eq!(
        (imp.trait_name.as_deref(), imp.self_ty.as_str()),
        (Some("FromRequest"), "User")
    );
    let m = func(&f, "from_request");
    assert_eq!(m.container, Container::Impl(0));
    assert!(m.is_async);
    assert_eq!(
        m.params[0].annotation.as_ref().map(show).as_deref(),
        Some("type(&Request)")
    );
    assert_eq!(
        body_lines(m),
        [
            r#"req.headers().get_one("Authorization")"#,
            "return Outcome::Success(User(id = 1))",
            "return Outcome::Error((Status::Unauthorized, ApiError::Missing))",
        ]
    );
}

#[test]
fn mount_with_routes_macro() {
    let f = facts(SRC);
    let r = func(&f, "rocket");
    assert_eq!(decorators(r), ["launch"]);
    assert_eq!(
        body_lines(r),
        [
            r#"return rocket::build().attach(Db::init()).mount("/base", routes!(user, admin::create)).mount("/", routes!(index)).register("/", catchers!(not_found))"#
        ]
    );
    // The macro keeps its path and lowered arguments.
    let StmtKind::Return(e) = &r.body[0].kind else {
        panic!()
    };
    let mut cur = e;
    let mut mounts = Vec::new();
    while let Some((callee, args)) = cur.as_call() {
        let ExprKind::Attr(recv, m) = &callee.kind else {
            break;
        };
        if m == "mount" {
            let ExprKind::Macro { path, args: margs } = &args[1].value.kind else {
                panic!("routes! macro")
            };
            assert_eq!(path, &["routes"]);
            mounts.push((
                args[0].value.as_str().unwrap_or("").to_owned(),
                margs.iter().map(|a| show(&a.value)).collect::<Vec<_>>(),
            ));
        }
        cur = recv;
    }
    mounts.reverse();
    assert_eq!(
        mounts,
        [
            (
                "/base".to_owned(),
                vec!["user".to_owned(), "admin::create".to_owned()]
            ),
            ("/".to_owned(), vec!["index".to_owned()]),
        ]
    );
}
