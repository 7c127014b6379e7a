//! Authentication evidence: decorators (by name and by what they do), hooks, public markers, checks in handlers.

use super::flask;
use crate::python::flask::testutil::{by_handler, shows};

#[test]
fn auth_decorator_above_the_route_decorator_does_not_apply() {
    let rs = flask(&[(
        "app.py",
        r#"
from flask import Flask
from flask_login import login_required
app = Flask(__name__)

@login_required
@app.post("/wrong")
def wrong_order():
    return ""
"#,
    )]);
    assert_eq!(
        shows(&rs),
        ["POST /wrong wrong_order auth=- rate=- public=-"]
    );
}

#[test]
fn auth_decorators_by_name_and_project_decorators() {
    let rs = flask(&[
        (
            "app/__init__.py",
            r#"
from flask import Flask, abort
from flask_httpauth import HTTPTokenAuth
from flask_security import roles_required
from .decorators import admin_only
app = Flask(__name__)
auth = HTTPTokenAuth()

@app.post("/a")
@auth.login_required
def a():
    return ""

@app.post("/b")
@roles_required("admin")
def b():
    return ""

@app.post("/c")
@admin_only
def c():
    return ""

@app.post("/d")
@cached
def d():
    return ""
"#,
        ),
        (
            "app/decorators.py",
            r#"
from functools import wraps
from flask import abort
from flask_login import current_user

def admin_only(f):
    @wraps(f)
    def wrapper(*args, **kwargs):
        if not current_user.is_admin:
            abort(403)
        return f(*args, **kwargs)
    return wrapper

def cached(f):
    return f
"#,
        ),
    ]);
    assert_eq!(
        shows(&rs),
        [
            "POST /a a auth=route rate=- public=-",
            "POST /b b auth=route rate=- public=-",
            "POST /c c auth=route rate=- public=-",
            "POST /d d auth=- rate=- public=-",
        ]
    );
}

#[test]
fn before_request_hooks_that_enforce_auth() {
    let rs = flask(&[(
        "app.py",
        r#"
from flask import Flask, Blueprint, g, abort, redirect, url_for
from flask_login import current_user
from flask_jwt_extended import verify_jwt_in_request
app = Flask(__name__)
admin = Blueprint("admin", __name__, url_prefix="/admin")
api = Blueprint("api", __name__, url_prefix="/api")
public = Blueprint("public", __name__)

@admin.before_request
def require_login():
    if not current_user.is_authenticated:
        return redirect(url_for("auth.login"))

def check_jwt():
    verify_jwt_in_request()

api.before_request(check_jwt)

@public.before_request
def open_db():
    g.db = connect()

@admin.get("/panel")
def panel():
    return ""

@api.post("/things")
def things():
    return ""

@public.get("/about")
def about():
    return ""

app.register_blueprint(admin)
app.register_blueprint(api)
app.register_blueprint(public)
"#,
    )]);
    assert_eq!(
        shows(&rs),
        [
            "GET /about about auth=- rate=- public=-",
            "GET /admin/panel panel auth=router rate=- public=-",
            "POST /api/things things auth=router rate=- public=-",
        ]
    );
    assert_eq!(
        by_handler(&rs, "panel").auth[0].what,
        "@admin.before_request require_login"
    );
    assert_eq!(
        by_handler(&rs, "things").auth[0].what,
        "api.before_request(check_jwt)"
    );
}

#[test]
fn app_hooks_and_before_app_request_cover_the_app() {
    let rs = flask(&[
        (
            "site/__init__.py",
            r#"
from flask import Flask
from .auth import bp as auth_bp
from .pages import bp as pages_bp

def create_app():
    app = Flask(__name__)
    app.register_blueprint(auth_bp)
    app.register_blueprint(pages_bp)
    return app
"#,
        ),
        (
            "site/auth.py",
            r#"
from flask import Blueprint, g, abort
bp = Blueprint("auth", __name__)

@bp.before_app_request
def load_user():
    if g.user is None:
        abort(401)
"#,
        ),
        (
            "site/pages.py",
            r#"
from flask import Blueprint
bp = Blueprint("pages", __name__)

@bp.post("/notes")
def add_note():
    return ""
"#,
        ),
        (
            "other.py",
            r#"
from flask import Flask, request, abort
other = Flask(__name__)

@other.before_request
def check():
    if request.headers.get("Authorization") != "secret":
        abort(401)

@other.put("/x")
def x():
    return ""
"#,
        ),
    ]);
    assert_eq!(
        shows(&rs),
        [
            "POST /notes add_note auth=app rate=- public=-",
            "PUT /x x auth=app rate=- public=-"
        ]
    );
}

#[test]
fn public_markers() {
    let rs = flask(&[(
        "app.py",
        r#"
from flask import Flask
from .markers import public
app = Flask(__name__)

@public
@app.get("/open")
def open_page():
    return ""
"#,
    )]);
    assert_eq!(
        shows(&rs),
        ["GET /open open_page auth=- rate=- public=route"]
    );
}

#[test]
fn handler_that_checks_credentials_itself() {
    let rs = flask(&[(
        "app.py",
        r#"
import os
from flask import Flask, abort, request
from flask_login import current_user
app = Flask(__name__)

def login_required(f):
    return f

@app.post("/key")
def with_key():
    if request.headers.get("X-Api-Key") != os.environ["KEY"]:
        abort(401)
    return ""

@app.post("/user")
def with_user():
    if not current_user.is_authenticated:
        return {"error": "login first"}, 401
    return ""

@app.post("/project-named")
@login_required
def project_named():
    return ""

@app.post("/maintenance")
def maintenance():
    if os.environ.get("MAINTENANCE"):
        abort(403)
    return ""
"#,
    )]);
    assert_eq!(
        shows(&rs),
        [
            "POST /key with_key auth=handler rate=- public=-",
            "POST /maintenance maintenance auth=- rate=- public=-",
            // A project decorator with an auth name counts by its name.
            "POST /project-named project_named auth=route rate=- public=-",
            "POST /user with_user auth=handler rate=- public=-",
        ]
    );
    assert_eq!(
        by_handler(&rs, "with_key").auth[0].what,
        "credential check in the handler"
    );
}

#[test]
fn flask_allows_requires_and_fresh_login_hooks() {
    let rs = flask(&[(
        "app.py",
        r#"
from flask import Blueprint, Flask, current_app
from flask.views import MethodView
from flask_allows import Allows, requires
from flask_login import login_fresh
app = Flask(__name__)
allows = Allows(identity_loader=lambda: None)
admin = Blueprint("admin", __name__)

@admin.before_request
def check_fresh_login():
    if not login_fresh():
        return current_app.login_manager.needs_refresh()

class Settings(MethodView):
    decorators = [allows.requires(IsAdmin)]

    def post(self):
        return ""

@app.post("/a")
@requires(IsAdmin)
def a():
    return ""

@app.post("/b")
@other.requires("x")
def b():
    return ""

admin.add_url_rule("/settings", view_func=Settings.as_view("settings"))
app.register_blueprint(admin, url_prefix="/admin")
"#,
    )]);
    assert_eq!(
        shows(&rs),
        [
            "POST /a a auth=route rate=- public=-",
            "POST /admin/settings Settings auth=class+router rate=- public=-",
            "POST /b b auth=- rate=- public=-",
        ]
    );
}

#[test]
fn hooks_protected_by_project_decorators_and_auth_exceptions() {
    let rs = flask(&[
        (
            "api/auth.py",
            r#"
from functools import wraps
from flask import request
from api.errors import AuthError

def verify_auth_token(token):
    if not token:
        raise AuthError("Authentication failure. Missing Authorization header.")
    return token

def check_auth_token():
    return verify_auth_token(request.headers.get("PI-Authorization"))

def needs_user(f):
    @wraps(f)
    def decorated_function(*args, **kwargs):
        check_auth_token()
        return f(*args, **kwargs)
    return decorated_function
"#,
        ),
        ("api/errors.py", "class AuthError(Exception):\n    pass\n"),
        (
            "api/views.py",
            r#"
from flask import Blueprint
from api.auth import needs_user
audit = Blueprint("audit", __name__, url_prefix="/audit")
info = Blueprint("info", __name__, url_prefix="/info")

@audit.before_request
@info.before_request
@needs_user
def before_user_request():
    pass

@audit.get("/")
def search_audit():
    return ""

@info.get("/rss")
def rss():
    return ""
"#,
        ),
    ]);
    assert_eq!(
        shows(&rs),
        [
            "GET /audit/ search_audit auth=router rate=- public=-",
            "GET /info/rss rss auth=router rate=- public=-"
        ]
    );
}
