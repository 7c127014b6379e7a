//! actix-web: route attributes, guards in attributes, and `App`/`scope`/
//! `resource` builder chains inside `HttpServer::new(move || ..)`.

mod common;

use archlint_model::{ArgsExt, ExprKind, StmtKind};
use common::{body_lines, decorators, facts, func, show};

#[test]
fn route_attributes_become_calls() {
    let f = facts(
        r#"
/// Lists users.
#[get("/users")]
#[protect("ADMIN")]
async fn list(pool: web::Data<DbPool>, id: Identity) -> impl Responder {
    HttpResponse::Ok().finish()
}

#[actix_web::post("/users/{id}")]
#[has_permissions("users:write")]
async fn update(path: web::Path<u32>, web::Json(body): web::Json<UserForm>) -> HttpResponse { todo!() }

#[route("/multi", method = "GET", method = "POST")]
async fn multi() -> &'static str { "x" }
"#,
    );
    let list = func(&f, "list");
    assert_eq!(
        decorators(list),
        [r#"get("/users")"#, r#"protect("ADMIN")"#]
    );
    assert_eq!(
        list.span.start.line, 3,
        "span starts at the first attribute, not the doc comment"
    );
    assert_eq!(list.name_span.start.line, 5);
    assert_eq!(
        list.params[0].annotation.as_ref().map(show).as_deref(),
        Some("type(web::Data<DbPool>)")
    );

    let update = func(&f, "update");
    assert_eq!(
        decorators(update),
        [
            r#"actix_web::post("/users/{id}")"#,
            r#"has_permissions("users:write")"#
        ]
    );
    let (callee, args) = update.decorators[0].as_call().expect("call");
    assert_eq!(
        callee.kind,
        ExprKind::Path(vec!["actix_web".into(), "post".into()])
    );
    assert_eq!(
        args.positional(0).and_then(|a| a.as_str()),
        Some("/users/{id}")
    );
    assert_eq!(update.params[1].name, "web::Json(body)");

    let multi = func(&f, "multi");
    let (_, args) = multi.decorators[0].as_call().expect("call");
    let methods: Vec<_> = args
        .iter()
        .filter(|a| a.name.as_deref() == Some("method"))
        .filter_map(|a| a.value.as_str())
        .collect();
    assert_eq!(methods, ["GET", "POST"]);
    assert_eq!(
        multi.returns.as_ref().map(show).as_deref(),
        Some("type(&str)")
    );
}

#[test]
fn app_builder_inside_http_server_closure() {
    let f = facts(
        r#"
#[actix_web::main]
async fn main() -> std::io::Result<()> {
    let pool = make_pool().await;
    HttpServer::new(move || {
        App::new()
            .app_data(web::Data::new(pool.clone()))
            .wrap(Auth)
            .wrap(Governor::new(&governor_conf))
            .service(
                web::scope("/api")
                    .wrap(HttpAuthentication::bearer(validator))
                    .service(index)
                    .route("/x", web::post().to(h)),
            )
            .service(web::resource("/p").route(web::get().to(h)))
    })
    .bind(("127.0.0.1", 8080))?
    .run()
    .await
}
"#,
    );
    let main = func(&f, "main");
    let lines = body_lines(main);
    assert_eq!(lines[0], "let pool = make_pool().await");
    let StmtKind::Return(ret) = &main.body[1].kind else {
        panic!("tail return")
    };
    // `HttpServer::new(closure).bind(..)?.run().await`
    let ExprKind::Await(run) = &ret.kind else {
        panic!("await")
    };
    assert_eq!(run.last_name(), Some("run"));
    let new_call = {
        let mut cur = &**run;
        loop {
            let (callee, _) = cur.as_call().expect("chain of calls");
            match &callee.kind {
                ExprKind::Attr(recv, _) => cur = recv,
                _ => break cur,
            }
        }
    };
    let (_, args) = new_call.as_call().expect("HttpServer::new(..)");
    let ExprKind::Lambda { params, body } = &args[0].value.kind else {
        panic!("closure argument")
    };
    assert!(params.is_empty());
    assert_eq!(
        common::stmts(body),
        r#"return App::new().app_data(web::Data::new(pool.clone())).wrap(Auth).wrap(Governor::new(governor_conf)).service(web::scope("/api").wrap(HttpAuthentication::bearer(validator)).service(index).route("/x", web::post().to(h))).service(web::resource("/p").route(web::get().to(h)))"#
    );
}

#[test]
fn configure_functions_with_service_config() {
    let f = facts(
        r#"
pub fn config(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::scope("/admin")
            .guard(guard::Header("x-admin", "1"))
            .route("", web::get().to(admin_index)),
    );
    cfg.route("/login", web::post().to(login));
}
"#,
    );
    assert_eq!(
        body_lines(func(&f, "config")),
        [
            r#"cfg.service(web::scope("/admin").guard(guard::Header("x-admin", "1")).route("", web::get().to(admin_index)))"#,
            r#"cfg.route("/login", web::post().to(login))"#,
        ]
    );
}

#[test]
fn turbofish_type_arguments_of_handler_paths() {
    let f = facts(
        r#"
pub fn config(cfg: &mut web::ServiceConfig) {
    cfg.route("/add", web::post().to(route_post::<AddAdmin>))
        .route("/x", web::get().to(api::get::<'static, Vec<u8>, crate::Feed>))
        .route("/y", web::get().to(plain));
    let n = "1".parse::<i32>();
}
"#,
    );
    let got: Vec<Vec<String>> = f.type_args.iter().map(|t| t.types.clone()).collect();
    // Method-call turbofish (`parse::<i32>`) is a call, not a path used as a value.
    assert_eq!(
        got,
        [
            vec!["AddAdmin".to_string()],
            vec!["Vec<u8>".into(), "crate::Feed".into()]
        ]
    );
    let first = &f.type_args[0];
    assert_eq!(f.type_args_at(first.span), ["AddAdmin"]);
    let text = "route_post";
    assert_eq!(first.span.end.col - first.span.start.col, text.len() as u32);
}
