//! Route attributes shared by actix-web and rocket: `#[get("/p")]`,
//! `#[actix_web::post("/p")]`, `#[route("/p", method = "GET", method = "POST")]`
//! (actix), `#[route(GET, uri = "/p")]` (rocket), `#[delete("/<id>")]`.

use archlint_model::{ArgsExt, ExprKind, Function, MethodSet, Span};

/// One route an attribute declares.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AttrRoute {
    pub methods: MethodSet,
    pub path: String,
    pub span: Span,
    /// actix's `wrap = "Middleware::new()"`: a middleware on this route only.
    pub wrap: Option<String>,
}

const METHOD_ATTRS: [&str; 9] = [
    "get", "post", "put", "patch", "delete", "head", "options", "trace", "connect",
];

/// The routes a function's attributes declare (several with actix's `#[routes]`).
pub fn route_attrs(func: &Function) -> Vec<AttrRoute> {
    let mut out = Vec::new();
    for d in &func.decorators {
        let Some((callee, args)) = d.as_call() else {
            continue;
        };
        let name = match &callee.kind {
            ExprKind::Name(n) => n.as_str(),
            ExprKind::Path(segs) if segs.len() == 2 => match segs.first().map(String::as_str) {
                Some("actix_web" | "rocket") => segs.last().map(String::as_str).unwrap_or(""),
                _ => continue,
            },
            _ => continue,
        };
        if METHOD_ATTRS.contains(&name) {
            let (Some(path), Some(m)) = (
                args.positional(0).and_then(|a| a.as_str()),
                MethodSet::parse(name),
            ) else {
                continue;
            };
            out.push(AttrRoute {
                methods: m,
                path: path.to_string(),
                span: d.span,
                wrap: wrap_arg(args),
            });
        } else if name == "route" {
            let mut methods = MethodSet::EMPTY;
            let mut path = None;
            for a in args {
                match (a.name.as_deref(), &a.value.kind) {
                    (None, ExprKind::Str(s)) if path.is_none() => path = Some(s.clone()),
                    (Some("uri" | "path"), ExprKind::Str(s)) => path = Some(s.clone()),
                    (None | Some("method"), ExprKind::Name(m) | ExprKind::Str(m)) => {
                        if let Some(m) = MethodSet::parse(m) {
                            methods = methods.union(m);
                        }
                    }
                    _ => {}
                }
            }
            if let Some(path) = path {
                let methods = if methods.is_empty() {
                    MethodSet::ANY
                } else {
                    methods
                };
                out.push(AttrRoute {
                    methods,
                    path,
                    span: d.span,
                    wrap: wrap_arg(args),
                });
            }
        }
    }
    out
}

fn wrap_arg(args: &[archlint_model::Arg]) -> Option<String> {
    args.keyword("wrap")
        .and_then(|w| w.as_str())
        .map(str::to_string)
}
