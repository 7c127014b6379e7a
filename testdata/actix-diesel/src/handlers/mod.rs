//! Route registration.

pub mod comments;
pub mod posts;
pub mod users;

use actix_web::web;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(users::by_email)
        .service(users::search)
        .service(users::list_users)
        .service(users::recent_users)
        .service(users::by_email_ci)
        .service(users::users_by_ids)
        .service(posts::by_author)
        .service(posts::by_slug)
        .service(posts::search_posts)
        .service(posts::feed)
        .service(posts::feed_batched)
        .service(posts::feed_with_authors)
        .service(posts::posts_of_user)
        .service(posts::publish)
        .service(comments::for_post)
        .service(comments::purge_old)
        .service(comments::create);
}
