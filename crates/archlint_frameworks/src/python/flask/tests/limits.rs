//! Flask-Limiter: route, blueprint and application limits, exemptions.

use super::flask;
use crate::python::flask::testutil::shows;

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
