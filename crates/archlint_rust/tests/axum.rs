//! axum: router chains must come out as nested calls on `Attr` receivers,
//! in app builders, in `main`, and with handlers' extractor parameters.

mod common;

use archlint_model::{ArgsExt, ExprKind, StmtKind};
use common::{body_lines, facts, func, show};

const APP: &str = r#"
use axum::{routing::{get, post}, Router, middleware::from_fn};

pub fn app(state: AppState) -> Router {
    let api = Router::new().route("/users", get(list_users).post(create_user));
    Router::new()
        .route("/p", get(h).post(h2))
        .route_layer(from_fn(require_auth))
        .nest("/x", api)
        .merge(r2)
        .layer(GovernorLayer { config: Box::leak(conf) })
        .with_state(state)
}

#[tokio::main]
async fn main() {
    let app = Router::<AppState>::new()
        .route("/health", get(|| async { "ok" }))
        .nest("/v1", api_routes());
    let listener = tokio::net::TcpListener::bind("0.0.0.0:3000").await.unwrap();
    axum::serve(listener, app).await.unwrap();
}
"#;

#[test]
fn router_chain_is_nested_calls() {
    let f = facts(APP);
    let app = func(&f, "app");
    assert_eq!(
        body_lines(app),
        [
            r#"let api = Router::new().route("/users", get(list_users).post(create_user))"#,
            r#"return Router::new().route("/p", get(h).post(h2)).route_layer(from_fn(require_auth)).nest("/x", api).merge(r2).layer(GovernorLayer(config = Box::leak(conf))).with_state(state)"#,
        ]
    );
    assert_eq!(
        app.returns.as_ref().map(show).as_deref(),
        Some("type(Router)")
    );
}

#[test]
fn outermost_call_is_the_last_method() {
    let f = facts(APP);
    let StmtKind::Return(e) = &func(&f, "app").body[1].kind else {
        panic!("tail is a return");
    };
    let (callee, args) = e.as_call().expect("call");
    let ExprKind::Attr(receiver, method) = &callee.kind else {
        panic!("method call");
    };
    assert_eq!(method, "with_state");
    assert_eq!(
        args.positional(0).and_then(|a| a.dotted()).as_deref(),
        Some("state")
    );
    // Walk down the receivers: each is a call of an Attr on the previous one.
    let mut methods = Vec::new();
    let mut cur = &**receiver;
    while let Some((callee, _)) = cur.as_call() {
        match &callee.kind {
            ExprKind::Attr(recv, m) => {
                methods.push(m.as_str());
                cur = recv;
            }
            _ => {
                methods.push(callee.last_name().unwrap_or("?"));
                break;
            }
        }
    }
    assert_eq!(
        methods,
        ["layer", "merge", "nest", "route_layer", "route", "new"]
    );
}

#[test]
fn routes_in_main_with_turbofish_and_closure_handler() {
    let f = facts(APP);
    let main = func(&f, "main");
    assert!(main.is_async);
    assert_eq!(common::decorators(main), ["tokio::main"]);
    let lines = body_lines(main);
    assert_eq!(
        lines[0],
        r#"let app = Router::new().route("/health", get(|| {return "ok"})).nest("/v1", api_routes())"#
    );
    assert_eq!(
        lines[1],
        r#"let listener = tokio::net::TcpListener::bind("0.0.0.0:3000").await.unwrap()"#
    );
    assert_eq!(lines[2], "axum::serve(listener, app).await.unwrap()");
}

#[test]
fn route_path_and_handler_spans_point_at_source() {
    let f = facts(APP);
    let StmtKind::Assign { value, .. } = &func(&f, "app").body[0].kind else {
        panic!("let");
    };
    let (_, args) = value.as_call().expect("route call");
    let path = args.positional(0).expect("path");
    assert_eq!(path.as_str(), Some("/users"));
    // Line 5 of APP (1-based, the raw string starts with a newline), column of the quote.
    assert_eq!((path.span.start.line, path.span.start.col), (5, 35));
    assert_eq!(path.span.end.col, 43);
}

#[test]
fn extractor_parameters_keep_pattern_and_type_text() {
    let f = facts(
        r#"
async fn create(
    State(pool): State<PgPool>,
    Extension(claims): Extension<Claims>,
    TypedHeader(auth): TypedHeader<Authorization<Bearer>>,
    user: AuthUser,
    Path((org, id)): Path<(Uuid, i64)>,
    Json(payload): Json<CreateUser>,
) -> Result<impl IntoResponse, AppError> {
    Ok(StatusCode::CREATED)
}
"#,
    );
    let c = func(&f, "create");
    let params: Vec<(String, String)> = c
        .params
        .iter()
        .map(|p| {
            (
                p.name.clone(),
                p.annotation.as_ref().map(show).unwrap_or_default(),
            )
        })
        .collect();
    let expect = [
        ("State(pool)", "type(State<PgPool>)"),
        ("Extension(claims)", "type(Extension<Claims>)"),
        (
            "TypedHeader(auth)",
            "type(TypedHeader<Authorization<Bearer>>)",
        ),
        ("user", "type(AuthUser)"),
        ("Path((org,id))", "type(Path<(Uuid,i64)>)"),
        ("Json(payload)", "type(Json<CreateUser>)"),
    ];
    assert_eq!(params.len(), expect.len());
    for ((n, t), (en, et)) in params.iter().zip(expect) {
        assert_eq!((n.as_str(), t.as_str()), (en, et));
    }
    assert_eq!(
        c.returns.as_ref().map(show).as_deref(),
        Some("type(Result<impl IntoResponse,AppError>)")
    );
    assert_eq!(body_lines(c), ["return Ok(StatusCode::CREATED)"]);
}

#[test]
fn from_request_parts_impl_keeps_trait_path() {
    let f = facts(
        r#"
#[async_trait]
impl<S> axum::extract::FromRequestParts<S> for AuthUser
where
    S: Send + Sync,
{
    type Rejection = StatusCode;
    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        let header = parts.headers.get(AUTHORIZATION).ok_or(StatusCode::UNAUTHORIZED)?;
        decode_token(header)
    }
}
"#,
    );
    assert_eq!(f.impls.len(), 1);
    assert_eq!(
        f.impls[0].trait_name.as_deref(),
        Some("axum::extract::FromRequestParts")
    );
    assert_eq!(f.impls[0].self_ty, "AuthUser");
    assert_eq!(f.impls[0].span.start.line, 2, "span includes the attribute");
    let m = func(&f, "from_request_parts");
    assert_eq!(m.container, archlint_model::Container::Impl(0));
    assert_eq!(
        m.params[0].annotation.as_ref().map(show).as_deref(),
        Some("type(&mut Parts)")
    );
    assert_eq!(
        body_lines(m),
        [
            "let header = parts.headers.get(AUTHORIZATION).ok_or(StatusCode::UNAUTHORIZED)",
            "return decode_token(header)"
        ]
    );
}
