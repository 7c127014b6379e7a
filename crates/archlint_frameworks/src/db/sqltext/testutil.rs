//! Test helpers for the raw SQL extractors: projects from source strings,
//! and the queries the raw extractors find in them (with real routes, so
//! handler parameters count as request input).

use crate::db::DbCx;
use crate::knowledge::Knowledge;
use archlint_model::{
    DbModel, Dialect, Language, ModuleName, Project, ProjectIndex, QueryFact, SourceFile,
};

/// A Python project; `shop/api/views.py` is module `shop.api.views`.
pub fn py_project(files: &[(&str, &str)]) -> Project {
    let mut ex = archlint_python::PythonExtractor::new();
    Project::new(
        files
            .iter()
            .map(|(path, src)| {
                let stem = path.trim_end_matches(".py");
                let is_package = stem.ends_with("__init__");
                let module = stem.trim_end_matches("/__init__").replace('/', ".");
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
            .collect(),
    )
}

/// A Rust crate named `app`; `src/a/b.rs` is `crate::a::b`.
pub fn rs_project(files: &[(&str, &str)]) -> Project {
    let mut ex = archlint_rust::RustExtractor::new();
    Project::new(
        files
            .iter()
            .map(|(path, src)| {
                let rel = path.trim_start_matches("src/").trim_end_matches(".rs");
                let rel = rel.trim_end_matches("/mod");
                let module = if rel == "main" || rel == "lib" {
                    "crate".to_string()
                } else {
                    format!("crate::{}", rel.replace('/', "::"))
                };
                SourceFile {
                    path: path.to_string(),
                    language: Language::Rust,
                    module: ModuleName {
                        module,
                        crate_name: "app".into(),
                        is_package: false,
                    },
                    facts: ex.extract(src.as_bytes()),
                }
            })
            .collect(),
    )
}

/// What the raw extractors add for a project (routes built for real).
pub fn raw_db(project: &Project) -> DbModel {
    let index = ProjectIndex::new(project);
    let k = Knowledge::builtin();
    let routes = crate::build_routes(&index, &k);
    let cx = DbCx {
        index: &index,
        k: &k,
        routes: &routes,
        handlers: routes
            .iter()
            .flat_map(|r| r.handler.funcs.iter().copied())
            .collect(),
        dialect: Dialect::Postgres,
    };
    let mut out = DbModel::default();
    crate::db::raw_python::collect(&cx, &mut out);
    crate::db::raw_rust::collect(&cx, &mut out);
    out.queries.sort_by_key(|q| (q.file, q.span));
    out
}

/// Queries of a one-file Python project.
pub fn py_queries(src: &str) -> Vec<QueryFact> {
    raw_db(&py_project(&[("app.py", src)])).queries
}

/// Queries of a one-file Rust crate.
pub fn rs_queries(src: &str) -> Vec<QueryFact> {
    raw_db(&rs_project(&[("src/main.rs", src)])).queries
}

/// The query whose span starts on `line`.
pub fn on_line(qs: &[QueryFact], line: u32) -> &QueryFact {
    qs.iter()
        .find(|q| q.span.start.line == line)
        .unwrap_or_else(|| panic!("no query on line {line}: {qs:#?}"))
}
