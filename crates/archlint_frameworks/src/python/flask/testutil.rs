//! Test helpers shared by the Flask and FastAPI/Starlette unit tests: build a
//! project from source strings, run a framework's `routes`, and render routes
//! compactly for assertions.

use crate::knowledge::Knowledge;
use crate::routes::Cx;
use archlint_model::{Evidence, Language, ModuleName, Project, ProjectIndex, Route, SourceFile};
use archlint_python::PythonExtractor;

/// A project of Python files (`path`, `source`); every directory is a package.
pub(crate) fn project(files: &[(&str, &str)]) -> Project {
    let mut ex = PythonExtractor::new();
    let files = files
        .iter()
        .map(|(path, src)| {
            let stem = path.trim_end_matches(".py");
            let is_package = stem.ends_with("__init__");
            let module = stem
                .trim_end_matches("/__init__")
                .trim_end_matches("__init__")
                .replace('/', ".");
            SourceFile {
                path: path.to_string(),
                language: Language::Python,
                module: ModuleName {
                    module,
                    crate_name: String::new(),
                    is_package,
                },
                facts: ex.extract(src.as_bytes()),
            }
        })
        .collect();
    Project::new(files)
}

/// Runs one framework's route builder over the files.
pub(crate) fn run(files: &[(&str, &str)], f: fn(&Cx, &mut Vec<Route>)) -> Vec<Route> {
    let p = project(files);
    let index = ProjectIndex::new(&p);
    let k = Knowledge::builtin();
    // As the scan does: one wiring shared by the builders.
    let wiring = crate::python::flask::scope::Wiring::for_project(&index);
    let cx = Cx {
        index: &index,
        k: &k,
        py_wiring: wiring.as_ref(),
    };
    let mut out = Vec::new();
    f(&cx, &mut out);
    out.sort_by(|a, b| {
        (&a.path, a.methods, &a.handler.name).cmp(&(&b.path, b.methods, &b.handler.name))
    });
    out
}

fn scopes(ev: &[Evidence]) -> String {
    let mut v: Vec<&str> = ev.iter().map(|e| e.scope.as_str()).collect();
    v.sort_unstable();
    v.dedup();
    v.join("+")
}

/// `GET,POST /path handler auth=route+app rate=- public=-`.
pub(crate) fn show(r: &Route) -> String {
    let or_dash = |s: String| if s.is_empty() { "-".to_string() } else { s };
    format!(
        "{} {} {} auth={} rate={} public={}",
        r.methods.names().join(","),
        r.path,
        r.handler.name,
        or_dash(scopes(&r.auth)),
        or_dash(scopes(&r.rate_limit)),
        or_dash(scopes(&r.public)),
    )
}

pub(crate) fn shows(rs: &[Route]) -> Vec<String> {
    rs.iter().map(show).collect()
}

/// The route whose handler is `handler` (the first, for class views split by method).
pub(crate) fn by_handler<'r>(rs: &'r [Route], handler: &str) -> &'r Route {
    rs.iter()
        .find(|r| r.handler.name == handler)
        .unwrap_or_else(|| panic!("no route for {handler}: {:#?}", shows(rs)))
}
