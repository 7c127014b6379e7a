//! Class-based views: `MethodView`, `View`, Flask-RESTful and flask-restx resources.

use super::flask;
use crate::python::flask::testutil::{by_handler, shows};

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

#[test]
fn flask_appbuilder_views_and_apis() {
    let rs = flask(&[
        (
            "app/__init__.py",
            r#"
from flask import Flask
from flask_appbuilder import AppBuilder
from .views import ReportView, LedgerView, NotesApi, Unregistered

app = Flask(__name__)
appbuilder = AppBuilder(app)
appbuilder.add_view(ReportView, "Reports")
appbuilder.add_view_no_menu(LedgerView())
appbuilder.add_api(NotesApi)
"#,
        ),
        (
            "app/views.py",
            r#"
from flask_appbuilder import BaseView, expose, has_access
from flask_appbuilder.api import BaseApi, expose as api_expose, protect

class ReportView(BaseView):
    route_base = "/reports"

    @expose("/")
    @has_access
    def index(self):
        return ""

    @expose("/raw", methods=["GET", "POST"])
    @expose("/raw/<int:pk>")
    def raw(self, pk=None):
        return ""

class Audited(BaseView):
    @expose("/audit/")
    @has_access
    def audit(self):
        return ""

    @expose("/hidden/")
    def hidden(self):
        return ""

class LedgerView(Audited):
    def hidden(self):
        return "overridden without expose: not served"

class NotesApi(BaseApi):
    resource_name = "Notes"

    @api_expose("/<int:pk>", methods=("DELETE",))
    @protect()
    def delete(self, pk):
        return ""

class Unregistered(BaseView):
    @expose("/nowhere")
    def nowhere(self):
        return ""
"#,
        ),
    ]);
    assert_eq!(
        shows(&rs),
        [
            "DELETE /api/v1/notes/<int:pk> NotesApi.delete auth=route rate=- public=-",
            "GET /ledgerview/audit/ LedgerView.audit auth=route rate=- public=-",
            "GET /reports/ ReportView.index auth=route rate=- public=-",
            "GET,POST /reports/raw ReportView.raw auth=- rate=- public=-",
            "GET /reports/raw/<int:pk> ReportView.raw auth=- rate=- public=-",
        ]
    );
    let r = by_handler(&rs, "NotesApi.delete");
    assert_eq!(r.auth[0].what, "@protect()");
    assert_eq!(r.registration.as_ref().map(|l| l.span.start.line), Some(10));
    // Each FAB class is a blueprint of its own: siblings are judged per class.
    assert_ne!(by_handler(&rs, "ReportView.index").group, r.group);
}

#[test]
fn flask_appbuilder_limits_from_configuration() {
    // FAB's security manager builds the Flask-Limiter limiter itself: the
    // configuration's application limit covers every route.
    let files = [
        (
            "app/__init__.py",
            r#"
from flask import Flask
from flask_appbuilder import AppBuilder, BaseView, expose, has_access

app = Flask(__name__)
app.config.from_object("app.config")
appbuilder = AppBuilder(app)

class Home(BaseView):
    @expose("/")
    @has_access
    def index(self):
        return ""

appbuilder.add_view(Home, "Home")
"#,
        ),
        (
            "app/config.py",
            "RATELIMIT_APPLICATION = \"50 per second\"\n",
        ),
    ];
    let rs = flask(&files);
    assert_eq!(
        shows(&rs),
        ["GET /home/ Home.index auth=route rate=app public=-"]
    );
    // Without the setting, nothing limits it.
    let rs = flask(&files[..1]);
    assert_eq!(
        shows(&rs),
        ["GET /home/ Home.index auth=route rate=- public=-"]
    );
}
