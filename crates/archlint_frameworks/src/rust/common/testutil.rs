//! Test helpers: a project from Rust source strings (`path => source`, module
//! names derived like the engine does for a crate named `app`), its routes,
//! and a compact view of them.

use crate::knowledge::Knowledge;
use crate::routes::Cx;
use archlint_model::{Language, ModuleName, Project, ProjectIndex, Route, Scope, SourceFile};
use archlint_rust::RustExtractor;

/// `src/handlers/users.rs` gives `crate::handlers::users`; `src/main.rs` `crate`.
fn module_of(path: &str) -> String {
    let rel = path.trim_start_matches("src/").trim_end_matches(".rs");
    let rel = rel.trim_end_matches("/mod");
    if rel == "main" || rel == "lib" {
        "crate".to_string()
    } else {
        format!("crate::{}", rel.replace('/', "::"))
    }
}

pub fn project(files: &[(&str, &str)]) -> Project {
    let mut ex = RustExtractor::new();
    Project::new(
        files
            .iter()
            .map(|(path, src)| SourceFile {
                path: path.to_string(),
                language: Language::Rust,
                module: ModuleName {
                    module: module_of(path),
                    crate_name: "app".into(),
                    is_package: false,
                },
                facts: ex.extract(src.as_bytes()),
            })
            .collect(),
    )
}

/// Routes of one framework module for the given files.
pub fn routes_of(files: &[(&str, &str)], f: fn(&Cx, &mut Vec<Route>)) -> Vec<Route> {
    let p = project(files);
    let index = ProjectIndex::new(&p);
    let k = Knowledge::builtin();
    let cx = Cx {
        index: &index,
        k: &k,
        py_wiring: None,
    };
    let mut out = Vec::new();
    f(&cx, &mut out);
    out.sort_by(|a, b| {
        (&a.path, a.methods, &a.handler.name).cmp(&(&b.path, b.methods, &b.handler.name))
    });
    out
}

/// `GET /p h` per route.
pub fn labels(routes: &[Route]) -> Vec<String> {
    routes
        .iter()
        .map(|r| format!("{} {} {}", r.methods.display(), r.path, r.handler.name))
        .collect()
}

/// The route with this path and handler name.
pub fn find<'r>(routes: &'r [Route], path: &str, handler: &str) -> &'r Route {
    routes
        .iter()
        .find(|r| r.path == path && r.handler.name == handler)
        .unwrap_or_else(|| panic!("no route {path} {handler} in {:?}", labels(routes)))
}

/// Scopes of the auth evidence of a route.
pub fn auth_scopes(r: &Route) -> Vec<Scope> {
    r.auth.iter().map(|e| e.scope).collect()
}

pub fn rate_scopes(r: &Route) -> Vec<Scope> {
    r.rate_limit.iter().map(|e| e.scope).collect()
}
