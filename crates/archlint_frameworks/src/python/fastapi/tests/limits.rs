//! slowapi and fastapi-limiter.

use super::fastapi;
use crate::python::flask::testutil::shows;

#[test]
fn slowapi_route_and_app_limits() {
    let rs = fastapi(&[
        (
            "a.py",
            r#"
from fastapi import FastAPI, Request
from slowapi import Limiter
from slowapi.middleware import SlowAPIMiddleware
from slowapi.util import get_remote_address

limiter = Limiter(key_func=get_remote_address, default_limits=["100/minute"])
app = FastAPI()
app.state.limiter = limiter
app.add_middleware(SlowAPIMiddleware)

@app.post("/a")
def a(request: Request):
    return {}

@app.post("/webhook")
@limiter.exempt
def webhook(request: Request):
    return {}
"#,
        ),
        (
            "b.py",
            r#"
from fastapi import FastAPI, Request
from slowapi import Limiter
from slowapi.middleware import SlowAPIMiddleware
from slowapi.util import get_remote_address

limiter = Limiter(key_func=get_remote_address)
app = FastAPI()
app.state.limiter = limiter
app.add_middleware(SlowAPIMiddleware)

@app.post("/login")
@limiter.limit("5/minute")
def login(request: Request):
    return {}

@app.post("/b")
def b(request: Request):
    return {}
"#,
        ),
    ]);
    assert_eq!(
        shows(&rs),
        [
            "POST /a a auth=- rate=app public=-",
            "POST /b b auth=- rate=- public=-",
            "POST /login login auth=- rate=route public=-",
            "POST /webhook webhook auth=- rate=- public=-",
        ]
    );
}

#[test]
fn fastapi_limiter_dependencies_at_each_level() {
    let rs = fastapi(&[(
        "main.py",
        r#"
from fastapi import APIRouter, Depends, FastAPI
from fastapi_limiter.depends import RateLimiter
app = FastAPI()
r = APIRouter(dependencies=[Depends(RateLimiter(times=10, seconds=60))])
s = APIRouter()

@app.post("/route", dependencies=[Depends(RateLimiter(times=2, seconds=5))])
def route():
    return {}

@r.post("/router")
def router_level():
    return {}

@s.post("/include")
def include_level():
    return {}

app.include_router(r)
app.include_router(s, dependencies=[Depends(RateLimiter(times=5, seconds=60))])
"#,
    )]);
    assert_eq!(
        shows(&rs),
        [
            "POST /include include_level auth=- rate=router public=-",
            "POST /route route auth=- rate=route public=-",
            "POST /router router_level auth=- rate=router public=-",
        ]
    );
}
