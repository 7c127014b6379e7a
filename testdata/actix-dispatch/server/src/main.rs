//! board_server: HTTP routes. Each route hands its request type to a generic
//! handler; what runs is that type's `Perform` impl.

use actix_web::{web, App, HttpResponse, HttpServer};
use board_common::{AddAdmin, Context, GetFeed, JoinRoom, Perform};
// Its `Perform` impl lives in a crate this scan does not include.
use board_remote::PublishRemote;
use serde::Deserialize;

fn api(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::scope("/api")
            // AddAdmin::perform checks the session: no finding.
            .route("/admin/add", web::post().to(route_post::<AddAdmin>))
            // JoinRoom::perform checks nothing: an error at route_post.
            .route("/room/join", web::post().to(route_post::<JoinRoom>))
            // PublishRemote's impl is out of sight: a low-confidence note.
            .route("/remote/publish", web::post().to(route_post::<PublishRemote>))
            // GetFeed::perform takes an optional session on purpose: public, no finding.
            .route("/feed", web::get().to(route_get::<GetFeed>)),
    );
}

fn notes(cfg: &mut web::ServiceConfig) {
    cfg.route("/notes/{id}", web::delete().to(delete_note))
        .route("/notes", web::post().to(create_note))
        .route("/notes/feed/{kind}", web::get().to(notes_feed))
        .route("/user/verify_email", web::post().to(verify_email));
}

fn uploads<S: Clone + 'static>(cfg: &mut web::ServiceConfig) {
    // A turbofish over the caller's own type parameter is no dispatch.
    cfg.route("/upload", web::post().to(upload::<S>));
}

async fn route_post<'a, Data>( // expect: api/unauthenticated-endpoint:error, api/unauthenticated-endpoint:note
    data: web::Json<Data>,
    context: web::Data<Context>,
) -> HttpResponse
where
    Data: Perform<Response = i64> + Deserialize<'a>,
{
    match data.perform(&context).await {
        Ok(v) => HttpResponse::Ok().json(v),
        Err(_) => HttpResponse::BadRequest().finish(),
    }
}

async fn route_get<'a, Data>( // ok: api/unauthenticated-endpoint
    data: web::Query<Data>,
    context: web::Data<Context>,
) -> HttpResponse
where
    Data: Perform<Response = usize> + Deserialize<'a>,
{
    match data.perform(&context).await {
        Ok(v) => HttpResponse::Ok().json(v),
        Err(_) => HttpResponse::BadRequest().finish(),
    }
}

#[derive(Deserialize)]
struct NewNote {
    auth: String,
    text: String,
}

// A plain handler that calls the session helper itself.
async fn create_note( // ok: api/unauthenticated-endpoint
    form: web::Json<NewNote>,
    context: web::Data<Context>,
) -> Result<HttpResponse, board_common::ApiError> {
    let user = board_common::user_from_jwt(&form.auth, &context)?;
    Ok(HttpResponse::Ok().json((user.id, form.text.len())))
}

#[derive(Deserialize)]
struct FeedQuery {
    auth: String,
}

fn my_notes(user: board_common::User) -> Vec<i64> {
    vec![user.id]
}

// Only the "mine" arm checks the session; the public arm serves anyone.
async fn notes_feed( // expect: api/unauthenticated-endpoint:warning
    kind: web::Path<String>,
    q: web::Query<FeedQuery>,
    context: web::Data<Context>,
) -> Result<HttpResponse, board_common::ApiError> {
    let ids = match kind.as_str() {
        "mine" => my_notes(board_common::user_from_jwt(&q.auth, &context)?),
        _ => Vec::new(),
    };
    Ok(HttpResponse::Ok().json(ids))
}

#[derive(Deserialize)]
struct EmailCode {
    code: String,
}

// The e-mail verification link of the sign-up flow is public by design; the
// code it carries still deserves a rate limit.
async fn verify_email(form: web::Json<EmailCode>) -> HttpResponse { // ok: api/unauthenticated-endpoint  expect: api/missing-rate-limit:error
    HttpResponse::Ok().json(form.code.len() == 16)
}

/// Whether the cookie's owner token matches the note: informs, rejects nothing.
fn owner_token_valid(token: &str, id: &str) -> bool {
    match hex::decode(token) {
        Ok(bytes) => bytes.starts_with(id.as_bytes()),
        Err(_) => false,
    }
}

async fn delete_note(id: web::Path<String>, req: actix_web::HttpRequest) -> HttpResponse { // expect: api/unauthenticated-endpoint:error
    let mut owner = false;
    if let Some(cookie) = req.cookie("owner_token") {
        // A `-> bool` token check that the handler only branches on is no authentication.
        owner = owner_token_valid(cookie.value(), &id);
    }
    HttpResponse::Ok().json(owner)
}

async fn upload<S: Clone>(body: web::Bytes) -> HttpResponse { // expect: api/unauthenticated-endpoint:error
    HttpResponse::Ok().body(body)
}

#[actix_web::main]
async fn main() -> std::io::Result<()> {
    HttpServer::new(|| {
        App::new()
            .app_data(web::Data::new(Context {
                secret: String::new(),
            }))
            .configure(api)
            .configure(notes)
            .configure(uploads::<String>)
    })
    .bind(("0.0.0.0", 8080))?
    .run()
    .await
}
