//! Applications, routers, `include_router`/`mount` prefixes, decorators, `add_api_route`, factories.

use super::fastapi;
use crate::python::flask::testutil::{by_handler, shows};
use archlint_model::Framework;

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

/// cadwyn's `VersionedAPIRouter` is an `APIRouter` and a `Cadwyn` application
/// (or a project subclass of it) a `FastAPI` one: prefixes and router
/// dependencies apply through them, and `generate_and_include_versioned_routers`
/// includes routers without a prefix.
#[test]
fn cadwyn_versioned_routers_and_applications() {
    let rs = fastapi(&[
        (
            "app/items.py",
            r#"
from fastapi import APIRouter
router = APIRouter()

@router.put("/{key}")
def put_item(key: str):
    return {}
"#,
        ),
        (
            "app/main.py",
            r#"
from cadwyn import Cadwyn, VersionedAPIRouter
from fastapi import APIRouter, FastAPI, Security
from app import items
from app.security import require_auth

api = APIRouter()
authed = VersionedAPIRouter(dependencies=[Security(require_auth)])
authed.include_router(items.router, prefix="/items")
api.include_router(authed)

class MyCadwyn(Cadwyn):
    pass

def create_app():
    versioned = MyCadwyn()
    versioned.generate_and_include_versioned_routers(api)
    app = FastAPI()
    app.mount("/execution", versioned)
    return app
"#,
        ),
    ]);
    assert_eq!(
        shows(&rs),
        ["PUT /execution/items/{key} put_item auth=router rate=- public=-"]
    );
}
