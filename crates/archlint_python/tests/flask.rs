//! Flask: decorated routes, blueprints, `add_url_rule`, `MethodView` classes.

mod common;
use archlint_model::{ArgsExt, Container, ParamKind};
use common::*;

const APP: &str = r#"
from flask import Flask, Blueprint
from flask.views import MethodView
from flask_login import login_required

app = Flask(__name__)
bp = Blueprint("admin", __name__, url_prefix="/admin")

@app.route("/orders", methods=["POST"])
@login_required
def create_order():
    return "ok"

@bp.get("/users/<int:user_id>")
def get_user(user_id):
    return str(user_id)

class UserAPI(MethodView):
    decorators = [login_required]
    init_every_request = False

    def get(self, user_id):
        return "u"

    def post(self):
        return "p"

app.add_url_rule("/users/<int:user_id>", view_func=UserAPI.as_view("user_api"))
app.register_blueprint(bp, url_prefix="/x")
"#;

#[test]
fn route_decorator_with_methods() {
    let f = facts(APP);
    let create = func(&f, "create_order");
    assert_eq!(create.decorators.len(), 2);
    let (callee, args) = call(&create.decorators[0]);
    assert_eq!(callee, "app.route");
    assert_eq!(str_of(args.positional(0).unwrap()), "/orders");
    assert_eq!(show(args.keyword("methods").unwrap()), r#"["POST"]"#);
    assert_eq!(dotted(&create.decorators[1]), "login_required");
    assert_eq!(create.container, Container::Module);
    // The span starts at the first decorator; the name span is the identifier.
    assert_eq!(create.span.start.line, 9);
    assert_eq!(create.name_span.start.line, 11);
    assert_eq!(
        (create.name_span.start.col, create.name_span.end.col),
        (5, 17)
    );
    assert_eq!(show_stmts(&create.body), [r#"return "ok""#]);
}

#[test]
fn blueprint_and_registration() {
    let f = facts(APP);
    let bp = assigned(&f.module_stmts, "bp");
    let (callee, args) = call(bp);
    assert_eq!(callee, "Blueprint");
    assert_eq!(str_of(args.keyword("url_prefix").unwrap()), "/admin");

    let get = func(&f, "get_user");
    assert_eq!(
        show(&get.decorators[0]),
        r#"bp.get("/users/<int:user_id>")"#
    );
    assert_eq!(get.params[0].name, "user_id");
    assert_eq!(get.params[0].kind, ParamKind::Normal);

    let stmts = show_stmts(&f.module_stmts);
    assert!(
        stmts.contains(&r#"app.register_blueprint(bp, url_prefix="/x")"#.to_string()),
        "{stmts:?}"
    );
    assert!(
        stmts.contains(
            &r#"app.add_url_rule("/users/<int:user_id>", view_func=UserAPI.as_view("user_api"))"#
                .to_string()
        ),
        "{stmts:?}"
    );
}

#[test]
fn method_view_class() {
    let f = facts(APP);
    let api = class(&f, "UserAPI");
    assert_eq!(api.bases.len(), 1);
    assert_eq!(dotted(&api.bases[0].value), "MethodView");
    assert_eq!(show(assigned(&api.body, "decorators")), "[login_required]");
    assert_eq!(show(assigned(&api.body, "init_every_request")), "false");

    let idx = f.classes.iter().position(|c| c.name == "UserAPI").unwrap() as u32;
    let methods: Vec<_> = f
        .functions
        .iter()
        .filter(|m| m.container == Container::Class(idx))
        .collect();
    assert_eq!(
        methods.iter().map(|m| m.name.as_str()).collect::<Vec<_>>(),
        ["get", "post"]
    );
    assert_eq!(methods[0].params[0].kind, ParamKind::SelfParam);
    assert_eq!(methods[0].params[1].kind, ParamKind::Normal);
    assert_eq!(methods[1].params.len(), 1);
    // Methods are not part of the class body statements.
    assert_eq!(api.body.len(), 2);
}
