//! Dependencies as evidence: every level, parameters, aliases, sub-dependencies, classes, checks in handlers.

use super::fastapi;
use crate::python::flask::testutil::{by_handler, shows};
use archlint_model::Scope;

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
            "POST /a a auth=handler rate=- public=-",
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
