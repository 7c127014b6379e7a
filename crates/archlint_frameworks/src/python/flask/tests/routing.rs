//! Applications, factories, blueprints and their prefixes, route decorators, `add_url_rule`, registration helpers.

use super::flask;
use crate::python::flask::testutil::{by_handler, shows};
use archlint_model::Route;

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
    // As the scan does: one wiring shared by the builders.
    let wiring = crate::python::flask::scope::Wiring::for_project(&index);
    let cx = Cx {
        index: &index,
        k: &k,
        py_wiring: wiring.as_ref(),
    };
    for (name, f) in [
        (
            "flask",
            crate::python::flask::routes as fn(&Cx, &mut Vec<Route>),
        ),
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
fn explicit_none_prefix_keeps_the_blueprint_prefix() {
    let rs = flask(&[(
        "app.py",
        r#"
from flask import Flask, Blueprint
app = Flask(__name__)
bp = Blueprint("b", __name__, url_prefix="/b")

@bp.get("/x")
def x():
    return ""

app.register_blueprint(bp, url_prefix=None)
"#,
    )]);
    assert_eq!(shows(&rs), ["GET /b/x x auth=- rate=- public=-"]);
}
