#[get("/health")]
pub fn health() -> &'static str { // ok: api/unauthenticated-endpoint
    "ok"
}
