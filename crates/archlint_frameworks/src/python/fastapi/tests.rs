//! Unit tests of FastAPI and Starlette route building, one per feature.

use crate::python::flask::testutil::{by_handler, run, shows};
use archlint_model::{Framework, Route, Scope};

fn fastapi(files: &[(&str, &str)]) -> Vec<Route> {
    run(files, super::routes)
}

#[test]
fn app_decorators_and_methods() {
    let rs = fastapi(&[(
        "main.py",
        r#"
from fastapi import FastAPI
app = FastAPI()

@app.get("/items")
async def list_items():
    return []

@app.post("/items")
async def create_item():
    return {}

@app.api_route("/both", methods=["GET", "POST"])
async def both():
    return {}

@app.head("/h")
@app.options("/h")
def probe():
    return None

@app.delete("/items/{item_id}")
def delete_item(item_id: int):
    return None
"#,
    )]);
    assert_eq!(
        shows(&rs),
        [
            "GET,POST /both both auth=- rate=- public=-",
            "HEAD /h probe auth=- rate=- public=-",
            "OPTIONS /h probe auth=- rate=- public=-",
            "GET /items list_items auth=- rate=- public=-",
            "POST /items create_item auth=- rate=- public=-",
            "DELETE /items/{item_id} delete_item auth=- rate=- public=-",
        ]
    );
    assert_eq!(rs[0].framework, Framework::Fastapi);
    assert_eq!(rs[0].group, "fastapi:app:main.py:app");
}

#[test]
fn routers_in_their_own_modules_with_prefixes_and_include_dependencies() {
    let rs = fastapi(&[
        (
            "app/main.py",
            r#"
from fastapi import Depends, FastAPI
from app.routers import items, users
from app.deps import auth

app = FastAPI()
app.include_router(items.router, prefix="/v1", dependencies=[Depends(auth)])
app.include_router(users.router)
"#,
        ),
        ("app/deps.py", "def auth():\n    return None\n"),
        (
            "app/routers/items.py",
            r#"
from fastapi import APIRouter
router = APIRouter(prefix="/items", tags=["items"])

@router.get("")
def list_items():
    return []

@router.get("/{item_id}")
def get_item(item_id: int):
    return {}
"#,
        ),
        (
            "app/routers/users.py",
            r#"
from fastapi import APIRouter
router = APIRouter()

@router.post("/users/")
def create_user():
    return {}
"#,
        ),
    ]);
    assert_eq!(
        shows(&rs),
        [
            "POST /users/ create_user auth=- rate=- public=-",
            // `auth` is not an auth name and does nothing: not evidence.
            "GET /v1/items list_items auth=- rate=- public=-",
            "GET /v1/items/{item_id} get_item auth=- rate=- public=-",
        ]
    );
    assert_eq!(
        by_handler(&rs, "get_item").group,
        "fastapi:router:app/routers/items.py:router"
    );
}

#[test]
fn dependencies_at_route_router_include_and_app_level() {
    let rs = fastapi(&[
        (
            "main.py",
            r#"
from fastapi import APIRouter, Depends, FastAPI
from security import get_current_user, verify_token

app = FastAPI(dependencies=[Depends(verify_token)])
other = FastAPI()
r = APIRouter(prefix="/r", dependencies=[Depends(get_current_user)])
inc = APIRouter()

@r.get("/a")
def a():
    return {}

@inc.get("/b")
def b():
    return {}

@other.post("/c", dependencies=[Depends(get_current_user)])
def c():
    return {}

@app.get("/d")
def d():
    return {}

other.include_router(r)
other.include_router(inc, prefix="/inc", dependencies=[Depends(get_current_user)])
app.include_router(r, prefix="/x")
"#,
        ),
        (
            "security.py",
            "def get_current_user():\n    pass\n\ndef verify_token():\n    pass\n",
        ),
    ]);
    assert_eq!(
        shows(&rs),
        [
            "POST /c c auth=route rate=- public=-",
            "GET /d d auth=app rate=- public=-",
            "GET /inc/b b auth=router rate=- public=-",
            "GET /r/a a auth=router rate=- public=-",
            "GET /x/r/a a auth=app+router rate=- public=-",
        ]
    );
    let d = by_handler(&rs, "d");
    assert_eq!(d.auth[0].what, "Depends(verify_token)");
    assert_eq!(d.auth[0].scope, Scope::App);
}

#[test]
fn nested_routers_chain_prefixes_and_dependencies() {
    let rs = fastapi(&[(
        "main.py",
        r#"
from fastapi import APIRouter, Depends, FastAPI
app = FastAPI()
api = APIRouter(prefix="/api", dependencies=[Depends(get_current_user)])
sub = APIRouter(prefix="/sub")

@sub.put("/thing")
def thing():
    return {}

api.include_router(sub, prefix="/v2")
app.include_router(api, prefix="/root")
"#,
    )]);
    assert_eq!(
        shows(&rs),
        ["PUT /root/api/v2/sub/thing thing auth=router rate=- public=-"]
    );
}

#[test]
fn handler_parameters_depends_annotated_security_and_schemes() {
    let rs = fastapi(&[(
        "main.py",
        r#"
from typing import Annotated
from fastapi import Depends, FastAPI, Security
from fastapi.security import OAuth2PasswordBearer
app = FastAPI()
reusable = OAuth2PasswordBearer(tokenUrl="token")

@app.post("/a")
def a(user: User = Depends(get_current_user)):
    return {}

@app.post("/b")
def b(user: Annotated[User, Depends(get_current_user)]):
    return {}

@app.post("/c")
def c(token: str = Depends(reusable)):
    return {}

@app.post("/d")
def d(user: User = Security(get_current_user, scopes=["items"])):
    return {}

@app.post("/e")
def e(db: Session = Depends(get_db)):
    return {}
"#,
    )]);
    assert_eq!(
        shows(&rs),
        [
            "POST /a a auth=route rate=- public=-",
            "POST /b b auth=route rate=- public=-",
            "POST /c c auth=route rate=- public=-",
            "POST /d d auth=route rate=- public=-",
            "POST /e e auth=- rate=- public=-",
        ]
    );
}

#[test]
fn type_alias_dependencies_imported_from_another_module() {
    let rs = fastapi(&[
        (
            "app/api/deps.py",
            r#"
from typing import Annotated
from fastapi import Depends
from fastapi.security import OAuth2PasswordBearer
from sqlmodel import Session

reusable_oauth2 = OAuth2PasswordBearer(tokenUrl="/login/access-token")

def get_db():
    yield None

SessionDep = Annotated[Session, Depends(get_db)]
TokenDep = Annotated[str, Depends(reusable_oauth2)]

def get_current_user(session: SessionDep, token: TokenDep) -> User:
    return None

CurrentUser = Annotated[User, Depends(get_current_user)]
"#,
        ),
        (
            "app/api/routes/items.py",
            r#"
from fastapi import APIRouter
from app.api.deps import CurrentUser, SessionDep
router = APIRouter(prefix="/items")

@router.post("/")
def create_item(session: SessionDep, current_user: CurrentUser):
    return {}

@router.get("/public")
def public_items(session: SessionDep):
    return []
"#,
        ),
    ]);
    assert_eq!(
        shows(&rs),
        [
            "POST /items/ create_item auth=route rate=- public=-",
            "GET /items/public public_items auth=- rate=- public=-"
        ]
    );
    assert_eq!(
        by_handler(&rs, "create_item").auth[0].what,
        "current_user: CurrentUser"
    );
}

#[test]
fn sub_dependencies_class_instances_and_optional_auth() {
    let rs = fastapi(&[(
        "main.py",
        r#"
from fastapi import Depends, FastAPI, HTTPException, Header
from fastapi.security import HTTPBearer
app = FastAPI()

def require_admin(u: User = Depends(get_current_user)):
    if not u.is_admin:
        raise HTTPException(status_code=403)
    return u

def require_owner(a = Depends(require_admin)):
    return a

class JWTBearer(HTTPBearer):
    async def __call__(self, request):
        return await super().__call__(request)

def get_user_optional(token: str | None = None):
    return None

def check_key(x_api_key: str = Header()):
    if x_api_key != "secret":
        raise HTTPException(status_code=401, detail="bad key")

@app.post("/a")
def a(u = Depends(require_owner)):
    return {}

@app.post("/b", dependencies=[Depends(JWTBearer())])
def b():
    return {}

@app.post("/c")
def c(u = Depends(get_user_optional)):
    return {}

@app.post("/d", dependencies=[Depends(check_key)])
def d():
    return {}
"#,
    )]);
    assert_eq!(
        shows(&rs),
        [
            "POST /a a auth=route rate=- public=-",
            "POST /b b auth=route rate=- public=-",
            "POST /c c auth=- rate=- public=-",
            "POST /d d auth=route rate=- public=-",
        ]
    );
}

#[test]
fn add_api_route_and_default_empty_path() {
    let rs = fastapi(&[(
        "main.py",
        r#"
from fastapi import APIRouter, Depends, FastAPI
app = FastAPI()
router = APIRouter(prefix="/things")

def list_things():
    return []

def make_thing():
    return {}

router.add_api_route("", list_things)
router.add_api_route("/new", make_thing, methods=["POST"], dependencies=[Depends(get_current_user)])
app.include_router(router)
"#,
    )]);
    assert_eq!(
        shows(&rs),
        [
            "GET /things list_things auth=- rate=- public=-",
            "POST /things/new make_thing auth=route rate=- public=-"
        ]
    );
    assert!(rs[0].registration.is_some());
}

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

#[test]
fn mounted_sub_applications() {
    let rs = fastapi(&[(
        "main.py",
        r#"
from fastapi import Depends, FastAPI
from starlette.applications import Starlette
from starlette.routing import Mount, Route
from mw import LoginRequiredMiddleware

app = FastAPI(dependencies=[Depends(get_current_user)])
app.add_middleware(LoginRequiredMiddleware)
v2 = FastAPI()

@v2.get("/x")
def x():
    return {}

app.mount("/v2", v2)

async def legacy(request):
    return None

old = Starlette(routes=[Route("/legacy", legacy)])
root = Starlette(routes=[Mount("/old", app=old)])
"#,
    )]);
    assert_eq!(
        shows(&rs),
        [
            "GET /old/legacy legacy auth=- rate=- public=-",
            // The parent's middleware covers the mounted app; its dependencies do not.
            "GET /v2/x x auth=app rate=- public=-",
        ]
    );
    assert_eq!(
        by_handler(&rs, "x").auth[0].what,
        "app.add_middleware(LoginRequiredMiddleware)"
    );
}

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

#[test]
fn factories_and_routers_included_in_loops() {
    let rs = fastapi(&[
        (
            "svc/main.py",
            r#"
from fastapi import Depends, FastAPI
from svc.config import settings
from svc.routers import a, b

def create_app() -> FastAPI:
    application = FastAPI()
    for r in (a.router, b.router):
        application.include_router(r, prefix=settings.API_PREFIX, dependencies=[Depends(get_current_active_user)])
    return application

app = create_app()

@app.get("/health")
def health():
    return {}
"#,
        ),
        (
            "svc/config.py",
            r#"
from pydantic_settings import BaseSettings

class Settings(BaseSettings):
    API_PREFIX: str = "/api/v1"

settings = Settings()
"#,
        ),
        (
            "svc/routers/a.py",
            "from fastapi import APIRouter\nrouter = APIRouter()\n@router.post('/a')\ndef ra():\n    return {}\n",
        ),
        (
            "svc/routers/b.py",
            "from fastapi import APIRouter\nrouter = APIRouter()\n@router.post('/b')\ndef rb():\n    return {}\n",
        ),
    ]);
    assert_eq!(
        shows(&rs),
        [
            "POST /api/v1/a ra auth=router rate=- public=-",
            "POST /api/v1/b rb auth=router rate=- public=-",
            "GET /health health auth=- rate=- public=-",
        ]
    );
}

#[test]
fn flask_objects_are_not_fastapi() {
    let rs = fastapi(&[(
        "app.py",
        "from flask import Flask\napp = Flask(__name__)\n@app.get('/x')\ndef x():\n    return ''\n",
    )]);
    assert!(rs.is_empty());
}

#[test]
fn instance_method_dependencies() {
    let rs = fastapi(&[(
        "main.py",
        r#"
from fastapi import Depends, FastAPI, Security
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
app = FastAPI()
security = HTTPBearer()

class AuthHandler:
    def decode_token(self, token):
        return token

    def auth_wrapper(self, auth: HTTPAuthorizationCredentials = Security(security)):
        return self.decode_token(auth.credentials)

    def audit(self):
        return None

auth_handler = AuthHandler()

@app.post("/a")
def a(user=Depends(auth_handler.auth_wrapper)):
    return {}

@app.post("/b")
def b(x=Depends(auth_handler.audit)):
    return {}
"#,
    )]);
    assert_eq!(
        shows(&rs),
        [
            "POST /a a auth=route rate=- public=-",
            "POST /b b auth=- rate=- public=-"
        ]
    );
}

#[test]
fn handler_that_checks_credentials_itself() {
    let rs = fastapi(&[(
        "main.py",
        r#"
from fastapi import FastAPI, Header, HTTPException
app = FastAPI()

@app.post("/a")
def a(authorization: str = Header(None)):
    if authorization != "Bearer secret":
        raise HTTPException(status_code=401)
    return {}

@app.post("/b")
def b(name: str):
    if name == "x":
        raise HTTPException(status_code=404)
    return {}
"#,
    )]);
    assert_eq!(
        shows(&rs),
        [
            "POST /a a auth=route rate=- public=-",
            "POST /b b auth=- rate=- public=-"
        ]
    );
}

#[test]
fn dependencies_checking_keys_through_checker_instances() {
    let rs = fastapi(&[(
        "main.py",
        r#"
from http import HTTPStatus
from fastapi import FastAPI, HTTPException, Request, Security
from fastapi.security import APIKeyHeader
app = FastAPI()
api_key_header = APIKeyHeader(name="X-API-KEY", auto_error=False)

class KeyChecker:
    def __init__(self, api_key=None):
        self._api_key = api_key

    def _extract(self, request):
        if not self._api_key:
            raise HTTPException(status_code=HTTPStatus.UNAUTHORIZED, detail="No key")
        return self._api_key

    async def __call__(self, request: Request):
        return self._extract(request)

async def require_admin_key(request: Request, api_key_header: str = Security(api_key_header)):
    check = KeyChecker(api_key=api_key_header)
    return await check(request)

async def optional_key(request: Request, api_key_header: str = Security(api_key_header)):
    return api_key_header

@app.post("/a")
async def a(key=Security(require_admin_key)):
    return {}

@app.post("/b")
async def b(key=Security(optional_key)):
    return {}
"#,
    )]);
    assert_eq!(
        shows(&rs),
        [
            "POST /a a auth=route rate=- public=-",
            "POST /b b auth=- rate=- public=-"
        ]
    );
}

#[test]
fn project_subclasses_of_routers_and_apps() {
    let rs = fastapi(&[
        (
            "srv/utilities.py",
            "from fastapi import APIRouter, FastAPI\n\nclass ProjectRouter(APIRouter):\n    pass\n\nclass ProjectApp(FastAPI):\n    pass\n",
        ),
        (
            "srv/flows.py",
            r#"
from srv.utilities import ProjectRouter
router: ProjectRouter = ProjectRouter(prefix="/flows", tags=["Flows"])

@router.post("/")
async def create_flow():
    return {}
"#,
        ),
        (
            "srv/server.py",
            r#"
from fastapi import Depends
from srv import flows
from srv.utilities import ProjectApp
API_ROUTERS = (flows.router,)

def create_app():
    api_app = ProjectApp()
    for router in API_ROUTERS:
        api_app.include_router(router, dependencies=[Depends(get_current_user)])
    return api_app
"#,
        ),
    ]);
    assert_eq!(
        shows(&rs),
        ["POST /flows/ create_flow auth=router rate=- public=-"]
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

#[test]
fn mount_alternatives_with_unknown_prefixes_are_dropped() {
    let rs = fastapi(&[(
        "main.py",
        r#"
from fastapi import FastAPI
app = FastAPI()
api = FastAPI()

@api.get("/x")
def x():
    return {}

if BASE_PATH:
    app.mount(BASE_PATH.value(), app=api)
else:
    app.mount("/api", app=api)
"#,
    )]);
    assert_eq!(shows(&rs), ["GET /api/x x auth=- rate=- public=-"]);
}
