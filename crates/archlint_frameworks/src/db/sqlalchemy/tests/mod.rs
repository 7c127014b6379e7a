//! Unit tests of the SQLAlchemy module, one file per concept, on projects
//! built from source strings.

mod alembic;
mod lazy;
mod models;
mod queries;

use crate::db::DbCx;
use crate::knowledge::Knowledge;
use archlint_model::{
    DbModel, Dialect, Language, ModuleName, Project, ProjectIndex, Schema, SourceFile,
};
use archlint_python::PythonExtractor;

/// A project of Python files (`path`, `source`); every directory is a package.
pub(super) fn project(files: &[(&str, &str)]) -> Project {
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

/// Runs this module's `collect` (with routes from the Flask and FastAPI
/// builders, for handlers) and merges the schema as `build_db` does.
pub(super) fn run(files: &[(&str, &str)]) -> DbModel {
    let p = project(files);
    let index = ProjectIndex::new(&p);
    let k = Knowledge::builtin();
    let routes = crate::build_routes(&index, &k);
    let handlers = routes
        .iter()
        .flat_map(|r| r.handler.funcs.iter().copied())
        .collect();
    let cx = DbCx {
        index: &index,
        k: &k,
        routes: &routes,
        handlers,
        dialect: Dialect::Postgres,
    };
    let mut m = DbModel::default();
    super::collect(&cx, &mut m);
    m.sources
        .sort_by(|a, b| (&a.order, &a.path).cmp(&(&b.order, &b.path)));
    m.schema = Schema::from_sources(&m.sources);
    m.queries
        .sort_by(|a, b| (a.file, a.span, &a.api).cmp(&(b.file, b.span, &b.api)));
    m
}

/// `table: col, col | idx(a,b) uniq(c) pk(id) | fk(col->t.c)` summaries of
/// every table, for compact assertions.
pub(super) fn tables(m: &DbModel) -> Vec<String> {
    m.schema
        .tables
        .values()
        .map(|t| {
            let cols: Vec<&str> = t.columns.iter().map(|c| c.name.as_str()).collect();
            let idx: Vec<String> = t
                .indexes
                .iter()
                .map(|i| {
                    let kind = match i.kind {
                        archlint_model::IndexKind::PrimaryKey => "pk",
                        archlint_model::IndexKind::Unique => "uniq",
                        archlint_model::IndexKind::Index if i.unique => "uidx",
                        archlint_model::IndexKind::Index => "idx",
                        archlint_model::IndexKind::Implicit(_) => "implicit",
                    };
                    let cols: Vec<String> = i
                        .columns
                        .iter()
                        .map(|c| match c {
                            archlint_model::IndexColumn::Column(c) => c.clone(),
                            archlint_model::IndexColumn::Expression(e) => format!("<{e}>"),
                        })
                        .collect();
                    format!("{kind}({})", cols.join(","))
                })
                .collect();
            let fks: Vec<String> = t
                .foreign_keys
                .iter()
                .map(|f| {
                    format!(
                        "fk({}->{}.{})",
                        f.columns.join(","),
                        f.ref_table,
                        f.ref_columns.join(",")
                    )
                })
                .collect();
            format!(
                "{}{}: {} | {} | {}",
                t.name,
                if t.partial { " (partial)" } else { "" },
                cols.join(", "),
                idx.join(" "),
                fks.join(" ")
            )
        })
        .collect()
}
