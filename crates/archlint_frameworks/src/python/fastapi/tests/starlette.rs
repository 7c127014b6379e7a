//! Starlette `Route`/`Mount` lists, `HTTPEndpoint`, `@requires`.

use super::fastapi;
use crate::python::flask::testutil::{by_handler, shows};
use archlint_model::Framework;

#[test]
fn starlette_route_lists_mounts_and_endpoints() {
    let rs = fastapi(&[(
        "app.py",
        r#"
from starlette.applications import Starlette
from starlette.authentication import requires
from starlette.endpoints import HTTPEndpoint
from starlette.middleware import Middleware
from starlette.middleware.authentication import AuthenticationMiddleware
from starlette.routing import Mount, Route

async def homepage(request):
    return None

@requires("authenticated")
async def dashboard(request):
    return None

async def submit(request):
    return None

class Users(HTTPEndpoint):
    async def get(self, request):
        return None

    @requires("admin")
    async def post(self, request):
        return None

api_routes = [
    Route("/users", Users),
    Route("/submit", endpoint=submit, methods=["GET", "POST"]),
]

routes = [
    Route("/", homepage),
    Route("/dashboard", dashboard),
    Mount("/api", routes=api_routes),
]

app = Starlette(routes=routes, middleware=[Middleware(AuthenticationMiddleware, backend=None)])
"#,
    )]);
    assert_eq!(
        shows(&rs),
        [
            "GET / homepage auth=- rate=- public=-",
            "GET,POST /api/submit submit auth=- rate=- public=-",
            "GET /api/users Users.get auth=- rate=- public=-",
            "POST /api/users Users.post auth=route rate=- public=-",
            "GET /dashboard dashboard auth=route rate=- public=-",
        ]
    );
    assert!(rs.iter().all(|r| r.framework == Framework::Starlette));
    assert_eq!(
        by_handler(&rs, "submit").group,
        "starlette:app:app.py:app:/api"
    );
}

#[test]
fn requires_must_come_from_starlette() {
    let rs = fastapi(&[(
        "app.py",
        r#"
from starlette.applications import Starlette
from starlette.routing import Route
from mylib import requires

@requires("x")
async def a(request):
    return None

app = Starlette(routes=[Route("/a", a, methods=["POST"])])
"#,
    )]);
    assert_eq!(shows(&rs), ["POST /a a auth=- rate=- public=-"]);
}
