//! Authenticating middleware and its look-alikes.

use super::fastapi;
use crate::python::flask::testutil::shows;

#[test]
fn middleware_auth_and_look_alikes() {
    let rs = fastapi(&[
        (
            "a.py",
            r#"
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
app = FastAPI()

@app.middleware("http")
async def auth_middleware(request: Request, call_next):
    token = request.headers.get("Authorization")
    if not token:
        return JSONResponse(status_code=401, content={"detail": "unauthorized"})
    return await call_next(request)

@app.post("/a")
def a():
    return {}
"#,
        ),
        (
            "b.py",
            r#"
import time
from fastapi import FastAPI, Request
app = FastAPI()

@app.middleware("http")
async def timing(request: Request, call_next):
    start = time.time()
    response = await call_next(request)
    response.headers["X-Time"] = str(time.time() - start)
    return response

@app.post("/b")
def b():
    return {}
"#,
        ),
        (
            "c.py",
            r#"
from fastapi import FastAPI
from starlette.middleware.base import BaseHTTPMiddleware
from starlette.responses import Response
from starlette.middleware.authentication import AuthenticationMiddleware
from mw import LoginRequiredMiddleware
app = FastAPI()

class ApiKeyMiddleware(BaseHTTPMiddleware):
    async def dispatch(self, request, call_next):
        if request.headers.get("x-api-key") != "k":
            return Response(status_code=403)
        return await call_next(request)

app.add_middleware(ApiKeyMiddleware)

@app.post("/c")
def c():
    return {}

app2 = FastAPI()
app2.add_middleware(AuthenticationMiddleware, backend=Backend())

@app2.post("/d")
def d():
    return {}

app3 = FastAPI()
app3.add_middleware(LoginRequiredMiddleware)

@app3.post("/e")
def e():
    return {}
"#,
        ),
    ]);
    assert_eq!(
        shows(&rs),
        [
            "POST /a a auth=app rate=- public=-",
            "POST /b b auth=- rate=- public=-",
            "POST /c c auth=app rate=- public=-",
            // Starlette's AuthenticationMiddleware identifies users but rejects nobody.
            "POST /d d auth=- rate=- public=-",
            "POST /e e auth=app rate=- public=-",
        ]
    );
}

#[test]
fn middleware_that_only_relays_a_helper_denial_is_not_auth() {
    let rs = fastapi(&[(
        "main.py",
        r#"
from fastapi import FastAPI, HTTPException
from fastapi.responses import JSONResponse
from starlette.middleware.base import BaseHTTPMiddleware
app = FastAPI()

def resolve_user_from_token(token):
    if not token:
        raise HTTPException(status_code=401)
    return token

class RefreshMiddleware(BaseHTTPMiddleware):
    async def dispatch(self, request, call_next):
        token = request.cookies.get("_token")
        try:
            if token is not None:
                request.state.user = resolve_user_from_token(token)
            return await call_next(request)
        except HTTPException as exc:
            return JSONResponse(status_code=exc.status_code, content={})

app.add_middleware(RefreshMiddleware)

@app.post("/a")
def a():
    return {}
"#,
    )]);
    assert_eq!(shows(&rs), ["POST /a a auth=- rate=- public=-"]);
}
