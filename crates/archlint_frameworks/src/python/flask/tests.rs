//! Unit tests of Flask route building, one per feature.

use super::testutil::{by_handler, run, shows};
use archlint_model::Route;

fn flask(files: &[(&str, &str)]) -> Vec<Route> {
    run(files, super::routes)
}

#[test]
fn module_level_app_routes_and_methods() {
    let rs = flask(&[(
        "app.py",
        r#"
from flask import Flask
app = Flask(__name__)

@app.route("/")
def index():
    return "hi"

@app.route("/orders", methods=["GET", "POST"])
def orders():
    return "x"

@app.post("/items")
def create_item():
    return "x"
"#,
    )]);
    assert_eq!(
        shows(&rs),
        [
            "GET / index auth=- rate=- public=-",
            "POST /items create_item auth=- rate=- public=-",
            "GET,POST /orders orders auth=- rate=- public=-",
        ]
    );
    assert_eq!(rs[0].group, "flask:app:app.py:app");
}

#[test]
fn factory_app_and_blueprint_registered_in_another_module() {
    let rs = flask(&[
        (
            "shop/__init__.py",
            r#"
from flask import Flask

def create_app():
    app = Flask(__name__)
    from .users import bp as users_bp
    app.register_blueprint(users_bp, url_prefix="/api/users")
    from . import orders
    app.register_blueprint(orders.bp)

    @app.route("/ping")
    def ping():
        return "pong"

    return app
"#,
        ),
        (
            "shop/users.py",
            r#"
from flask import Blueprint
bp = Blueprint("users", __name__, url_prefix="/users")

@bp.route("/<int:id>")
def get_user(id):
    return ""
"#,
        ),
        (
            "shop/orders.py",
            r#"
from flask import Blueprint
bp = Blueprint("orders", __name__, url_prefix="/orders")

@bp.route("/", methods=["POST"])
def create_order():
    return ""
"#,
        ),
    ]);
    assert_eq!(
        shows(&rs),
        [
            // The register-time prefix replaces the blueprint's own.
            "GET /api/users/<int:id> get_user auth=- rate=- public=-",
            // Without one, the blueprint's own applies.
            "POST /orders/ create_order auth=- rate=- public=-",
            "GET /ping ping auth=- rate=- public=-",
        ]
    );
    assert_eq!(
        by_handler(&rs, "ping").group,
        "flask:app:shop/__init__.py:create_app.app"
    );
    assert_eq!(
        by_handler(&rs, "get_user").group,
        "flask:blueprint:shop/users.py:bp"
    );
}

#[test]
fn nested_blueprints_chain_prefixes() {
    let rs = flask(&[(
        "app.py",
        r#"
from flask import Flask, Blueprint
app = Flask(__name__)
api = Blueprint("api", __name__, url_prefix="/api")
v1 = Blueprint("v1", __name__, url_prefix="/v1")
admin = Blueprint("admin", __name__)

@admin.get("/stats")
def stats():
    return ""

@v1.get("/things")
def things():
    return ""

v1.register_blueprint(admin, url_prefix="/admin")
api.register_blueprint(v1)
app.register_blueprint(api)
"#,
    )]);
    assert_eq!(
        shows(&rs),
        [
            "GET /api/v1/admin/stats stats auth=- rate=- public=-",
            "GET /api/v1/things things auth=- rate=- public=-"
        ]
    );
}

#[test]
fn unregistered_blueprint_keeps_its_prefix() {
    let rs = flask(&[(
        "bp.py",
        r#"
from flask import Blueprint
bp = Blueprint("x", __name__, url_prefix="/x")

@bp.delete("/<id>")
def remove(id):
    return ""
"#,
    )]);
    assert_eq!(shows(&rs), ["DELETE /x/<id> remove auth=- rate=- public=-"]);
}

#[test]
fn stacked_route_decorators_are_each_a_route() {
    let rs = flask(&[(
        "app.py",
        r#"
from flask import Flask
from flask_login import login_required
app = Flask(__name__)

@app.route("/a")
@app.route("/b", methods=["PUT"])
@login_required
def both():
    return ""
"#,
    )]);
    assert_eq!(
        shows(&rs),
        [
            "GET /a both auth=route rate=- public=-",
            "PUT /b both auth=route rate=- public=-"
        ]
    );
}

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
fn add_url_rule_forms() {
    let rs = flask(&[(
        "app.py",
        r#"
from flask import Flask
from flask_login import login_required
app = Flask(__name__)

def listing():
    return ""

def create():
    return ""

def secret():
    return ""

app.add_url_rule("/list", view_func=listing)
app.add_url_rule("/create", "create", create, methods=["POST"])
app.add_url_rule("/secret", view_func=login_required(secret), methods=["DELETE"])
"#,
    )]);
    assert_eq!(
        shows(&rs),
        [
            "POST /create create auth=- rate=- public=-",
            "GET /list listing auth=- rate=- public=-",
            "DELETE /secret secret auth=route rate=- public=-",
        ]
    );
    let r = by_handler(&rs, "create");
    assert_eq!(r.registration.as_ref().map(|l| l.span.start.line), Some(16));
    assert_eq!(r.handler.location.span.start.line, 9);
}

#[test]
fn method_view_classes() {
    let rs = flask(&[(
        "app.py",
        r#"
from flask import Blueprint
from flask.views import MethodView
from flask_login import login_required
bp = Blueprint("users", __name__, url_prefix="/users")

class BaseAPI(MethodView):
    def delete(self, id):
        return ""

class UserAPI(BaseAPI):
    decorators = [login_required]

    def get(self, id):
        return ""

    def put(self, id):
        return ""

class Limited(MethodView):
    methods = ["GET"]

    def get(self):
        return ""

    def post(self):
        return ""

bp.add_url_rule("/<int:id>", view_func=UserAPI.as_view("user"))
bp.add_url_rule("/limited", view_func=Limited.as_view("limited"))
"#,
    )]);
    assert_eq!(
        shows(&rs),
        [
            "GET,PUT,DELETE /users/<int:id> UserAPI auth=class rate=- public=-",
            "GET /users/limited Limited auth=- rate=- public=-",
        ]
    );
    let r = by_handler(&rs, "UserAPI");
    assert_eq!(r.handler.funcs.len(), 3);
    assert_eq!(r.handler.location.span.start.line, 11);
    assert_eq!(r.auth[0].what, "decorators = login_required");
}

#[test]
fn method_view_with_per_method_decorators_splits() {
    let rs = flask(&[(
        "app.py",
        r#"
from flask import Flask
from flask.views import MethodView
from flask_jwt_extended import jwt_required
app = Flask(__name__)

class ItemAPI(MethodView):
    def get(self):
        return ""

    @jwt_required()
    def post(self):
        return ""

app.add_url_rule("/items", view_func=ItemAPI.as_view("items"))
"#,
    )]);
    assert_eq!(
        shows(&rs),
        [
            "GET /items ItemAPI.get auth=- rate=- public=-",
            "POST /items ItemAPI.post auth=route rate=- public=-"
        ]
    );
}

#[test]
fn plain_view_with_dispatch_request() {
    let rs = flask(&[(
        "app.py",
        r#"
from flask import Flask
from flask.views import View
app = Flask(__name__)

class Upload(View):
    methods = ["GET", "POST"]

    def dispatch_request(self):
        return ""

app.add_url_rule("/upload", view_func=Upload.as_view("upload"))
"#,
    )]);
    assert_eq!(
        shows(&rs),
        ["GET,POST /upload Upload auth=- rate=- public=-"]
    );
    assert_eq!(rs[0].handler.funcs.len(), 1);
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
fn flask_limiter_route_blueprint_app_and_exempt() {
    let rs = flask(&[
        (
            "svc/extensions.py",
            r#"
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
limiter = Limiter(key_func=get_remote_address, default_limits=["200 per day"])
"#,
        ),
        (
            "svc/__init__.py",
            r#"
from flask import Flask, Blueprint
from .extensions import limiter

bp = Blueprint("b", __name__, url_prefix="/b")
limiter.limit("100/hour")(bp)

@bp.get("/x")
def in_bp():
    return ""

def create_app():
    app = Flask(__name__)
    limiter.init_app(app)
    app.register_blueprint(bp)

    @app.post("/login")
    @limiter.limit("5/minute")
    def login():
        return ""

    @app.get("/health")
    @limiter.exempt
    def health():
        return ""

    @app.get("/shared")
    @limiter.shared_limit("10/minute", scope="s")
    def shared():
        return ""

    return app
"#,
        ),
    ]);
    assert_eq!(
        shows(&rs),
        [
            "GET /b/x in_bp auth=- rate=app+router public=-",
            "GET /health health auth=- rate=- public=-",
            "POST /login login auth=- rate=app+route public=-",
            "GET /shared shared auth=- rate=app+route public=-",
        ]
    );
}

#[test]
fn limiter_constructed_with_the_app() {
    let rs = flask(&[
        (
            "a.py",
            r#"
from flask import Flask
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
app = Flask(__name__)
limiter = Limiter(get_remote_address, app=app, default_limits=["200 per day"])

@app.post("/a")
def a():
    return ""
"#,
        ),
        (
            "b.py",
            r#"
from flask import Flask
from flask_limiter import Limiter
app = Flask(__name__)
Limiter(app, default_limits=["1 per second"])

@app.post("/b")
def b():
    return ""
"#,
        ),
        (
            "c.py",
            r#"
from flask import Flask
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
app = Flask(__name__)
limiter = Limiter(get_remote_address, app=app)

@app.post("/c")
def c():
    return ""
"#,
        ),
    ]);
    // A limiter without default limits limits nothing app-wide.
    assert_eq!(
        shows(&rs),
        [
            "POST /a a auth=- rate=app public=-",
            "POST /b b auth=- rate=app public=-",
            "POST /c c auth=- rate=- public=-"
        ]
    );
}

#[test]
fn limiter_exempt_blueprint_and_config_default() {
    let rs = flask(&[(
        "app.py",
        r#"
from flask import Flask, Blueprint
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address

class Config:
    RATELIMIT_DEFAULT = "100/hour"

limiter = Limiter(key_func=get_remote_address)
app = Flask(__name__)
app.config.from_object(Config)
limiter.init_app(app)
hooks = Blueprint("hooks", __name__)
limiter.exempt(hooks)

@hooks.post("/hook")
def hook():
    return ""

@app.post("/a")
def a():
    return ""

app.register_blueprint(hooks)
"#,
    )]);
    assert_eq!(
        shows(&rs),
        [
            "POST /a a auth=- rate=app public=-",
            "POST /hook hook auth=- rate=- public=-"
        ]
    );
}

#[test]
fn blueprints_registered_through_helper_functions_and_loops() {
    let rs = flask(&[
        (
            "proj/app.py",
            r#"
from flask import Flask
from proj import views, admin

def register_blueprints(app):
    for bp in (views.bp, admin.bp):
        app.register_blueprint(bp, url_prefix="/p")

def register_hooks(app):
    @app.before_request
    def guard():
        from flask_login import current_user
        from flask import abort
        if not current_user.is_authenticated:
            abort(401)

def create_app():
    app = Flask(__name__)
    register_blueprints(app)
    register_hooks(app)
    return app
"#,
        ),
        (
            "proj/views.py",
            "from flask import Blueprint\nbp = Blueprint('v', __name__)\n@bp.get('/v')\ndef v():\n    return ''\n",
        ),
        (
            "proj/admin.py",
            "from flask import Blueprint\nbp = Blueprint('a', __name__)\n@bp.get('/a')\ndef a():\n    return ''\n",
        ),
    ]);
    assert_eq!(
        shows(&rs),
        [
            "GET /p/a a auth=app rate=- public=-",
            "GET /p/v v auth=app rate=- public=-"
        ]
    );
}

#[test]
fn fastapi_and_other_objects_are_not_flask() {
    let rs = flask(&[(
        "main.py",
        r#"
from fastapi import FastAPI
app = FastAPI()

@app.get("/items")
def items():
    return []
"#,
    )]);
    assert!(rs.is_empty(), "{:?}", shows(&rs));
}

#[test]
fn prefixes_from_settings_and_unknown_prefixes() {
    let rs = flask(&[(
        "app.py",
        r#"
from flask import Flask, Blueprint
API = "/api"
app = Flask(__name__)
bp = Blueprint("b", __name__, url_prefix=API + "/v2")
other = Blueprint("o", __name__, url_prefix=get_prefix())

@bp.get("/x")
def x():
    return ""

@other.get("/y")
def y():
    return ""
"#,
    )]);
    assert_eq!(
        shows(&rs),
        [
            "GET /api/v2/x x auth=- rate=- public=-",
            "GET <get_prefix()>/y y auth=- rate=- public=-"
        ]
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
            "POST /key with_key auth=route rate=- public=-",
            "POST /maintenance maintenance auth=- rate=- public=-",
            // A project decorator with an auth name counts by its name.
            "POST /project-named project_named auth=route rate=- public=-",
            "POST /user with_user auth=route rate=- public=-",
        ]
    );
    assert_eq!(
        by_handler(&rs, "with_key").auth[0].what,
        "credential check in the handler"
    );
}

#[test]
fn registration_helpers_are_read_per_call() {
    let rs = flask(&[
        (
            "forum/utils.py",
            r#"
def register_view(bp_or_app, routes, view_func, *args, **kwargs):
    for route in routes:
        bp_or_app.add_url_rule(route, view_func=view_func, *args, **kwargs)
"#,
        ),
        (
            "forum/views.py",
            r#"
from flask import Blueprint
from flask.views import MethodView
from forum.utils import register_view

class Topics(MethodView):
    def get(self):
        return ""

class NewTopic(MethodView):
    def post(self):
        return ""

def load_blueprints(app):
    forum = Blueprint("forum", __name__)
    register_view(forum, routes=["/topics", "/t"], view_func=Topics.as_view("topics"))
    register_view(forum, routes=["/topics/new"], view_func=NewTopic.as_view("new_topic"))
    app.register_blueprint(forum, url_prefix=app.config["FORUM_URL_PREFIX"])
"#,
        ),
        (
            "forum/config.py",
            "class DefaultConfig:\n    FORUM_URL_PREFIX = \"/forum\"\n",
        ),
    ]);
    assert_eq!(
        shows(&rs),
        [
            "GET /forum/t Topics auth=- rate=- public=-",
            "GET /forum/topics Topics auth=- rate=- public=-",
            "POST /forum/topics/new NewTopic auth=- rate=- public=-",
        ]
    );
    // The helper's call is the registration site.
    let new = by_handler(&rs, "NewTopic");
    assert_eq!(
        new.registration
            .as_ref()
            .map(|l| (l.path.as_str(), l.span.start.line)),
        Some(("forum/views.py", 17))
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
fn project_subclasses_of_flask_and_blueprint() {
    let rs = flask(&[(
        "app.py",
        r#"
import flask
from flask import Blueprint

class App(flask.Flask):
    pass

class ApiBlueprint(Blueprint):
    pass

app = App(__name__)
api = ApiBlueprint("api", __name__, url_prefix="/api")

@api.post("/x")
def x():
    return ""

app.register_blueprint(api)
"#,
    )]);
    assert_eq!(shows(&rs), ["POST /api/x x auth=- rate=- public=-"]);
    assert_eq!(rs[0].group, "flask:blueprint:app.py:api");
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

#[test]
fn paths_built_by_helpers_and_str_format() {
    let rs = flask(&[(
        "app.py",
        r#"
import os
from flask import Flask
app = Flask(__name__)
API_MAX_VERSION = 3

def _add_static_prefix(route):
    prefix = os.environ.get("STATIC_PREFIX")
    if prefix:
        return prefix.rstrip("/") + route
    return route

@app.route(_add_static_prefix("/health"))
def health():
    return "ok"

@app.route(_add_static_prefix("/version"))
def version():
    return "1"

@app.route("/api/<int(min=1, max={0}):ver>/action/<name>".format(API_MAX_VERSION), methods=["POST"])
def action(ver, name):
    return ""
"#,
    )]);
    assert_eq!(
        shows(&rs),
        [
            "POST /api/<int(min=1, max=3):ver>/action/<name> action auth=- rate=- public=-",
            "GET /health health auth=- rate=- public=-",
            "GET /version version auth=- rate=- public=-",
        ]
    );
}

/// Times Flask and FastAPI route building over a real tree:
/// `ARCHLINT_PERF_DIR=/path cargo test --release -p archlint_frameworks perf_route_building -- --ignored --nocapture`.
#[test]
#[ignore]
fn perf_route_building() {
    use crate::knowledge::Knowledge;
    use crate::routes::Cx;
    use archlint_model::{Language, ModuleName, Project, ProjectIndex, SourceFile};
    let Ok(root) = std::env::var("ARCHLINT_PERF_DIR") else {
        return;
    };
    let mut paths = Vec::new();
    let mut todo = vec![std::path::PathBuf::from(&root)];
    while let Some(d) = todo.pop() {
        let Ok(rd) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in rd.flatten() {
            let p = e.path();
            if p.is_dir() {
                todo.push(p);
            } else if p.extension().is_some_and(|x| x == "py") {
                paths.push(p);
            }
        }
    }
    paths.sort();
    let mut ex = archlint_python::PythonExtractor::new();
    let files: Vec<SourceFile> = paths
        .iter()
        .filter_map(|p| {
            let src = std::fs::read(p).ok()?;
            let rel = p
                .strip_prefix(&root)
                .ok()?
                .to_string_lossy()
                .replace('\\', "/");
            let stem = rel.trim_end_matches(".py");
            let is_package = stem.ends_with("__init__");
            let module = stem.trim_end_matches("/__init__").replace('/', ".");
            Some(SourceFile {
                path: rel.clone(),
                language: Language::Python,
                module: ModuleName {
                    module,
                    crate_name: String::new(),
                    is_package,
                },
                facts: ex.extract(&src),
            })
        })
        .collect();
    let n = files.len();
    let p = Project::new(files);
    let index = ProjectIndex::new(&p);
    let k = Knowledge::builtin();
    let cx = Cx {
        index: &index,
        k: &k,
    };
    for (name, f) in [
        ("flask", super::routes as fn(&Cx, &mut Vec<Route>)),
        ("fastapi", crate::python::fastapi::routes),
    ] {
        let t = std::time::Instant::now();
        let mut out = Vec::new();
        f(&cx, &mut out);
        println!(
            "{name}: {} routes from {n} files in {:?}",
            out.len(),
            t.elapsed()
        );
    }
}

#[test]
fn flask_restful_resources() {
    let rs = flask(&[
        (
            "svc/auth.py",
            r#"
from flask_restful import Resource
from flask_login import login_required

class AuthenticatedResource(Resource):
    method_decorators = [login_required]
"#,
        ),
        (
            "svc/certificates.py",
            r#"
from flask import Blueprint
from flask_restful import Api, Resource
from svc.auth import AuthenticatedResource
mod = Blueprint("certificates", __name__)
api = Api(mod, prefix="/v1")

class CertificatesList(AuthenticatedResource):
    def get(self):
        return []

    def post(self):
        return {}

class CertificateStats(Resource):
    method_decorators = {"delete": [login_required]}

    def get(self):
        return {}

    def delete(self):
        return {}

api.add_resource(CertificatesList, "/certificates", endpoint="certificates")
api.add_resource(CertificateStats, "/certificates/stats", "/stats")
"#,
        ),
        (
            "svc/factory.py",
            r#"
from flask import Flask
from svc.certificates import mod

def create_app():
    app = Flask(__name__)
    app.register_blueprint(mod, url_prefix="/api")
    return app
"#,
        ),
    ]);
    assert_eq!(
        shows(&rs),
        [
            "GET,POST /api/v1/certificates CertificatesList auth=class rate=- public=-",
            "GET /api/v1/certificates/stats CertificateStats.get auth=- rate=- public=-",
            "DELETE /api/v1/certificates/stats CertificateStats.delete auth=class rate=- public=-",
            "GET /api/v1/stats CertificateStats.get auth=- rate=- public=-",
            "DELETE /api/v1/stats CertificateStats.delete auth=class rate=- public=-",
        ]
    );
    assert_eq!(
        by_handler(&rs, "CertificatesList").group,
        "flask:api:svc/certificates.py:api"
    );
}

#[test]
fn flask_restx_namespaces() {
    let rs = flask(&[(
        "app.py",
        r#"
from flask import Blueprint, Flask
from flask_restx import Api, Namespace, Resource
from flask_jwt_extended import jwt_required

app = Flask(__name__)
bp = Blueprint("api", __name__, url_prefix="/api")
api = Api(bp, decorators=[jwt_required()])
users = Namespace("users", description="Users")
todos = api.namespace("todos", path="/tasks")

@users.route("/<int:id>")
class User(Resource):
    def get(self, id):
        return {}

@todos.route("/", "/all")
class TodoList(Resource):
    def post(self):
        return {}

api.add_namespace(users, path="/people")
app.register_blueprint(bp)

public_api = Api(app)

@public_api.route("/status")
class Status(Resource):
    def get(self):
        return {}
"#,
    )]);
    assert_eq!(
        shows(&rs),
        [
            "GET /api/people/<int:id> User auth=router rate=- public=-",
            "POST /api/tasks/ TodoList auth=router rate=- public=-",
            "POST /api/tasks/all TodoList auth=router rate=- public=-",
            "GET /status Status auth=- rate=- public=-",
        ]
    );
}
