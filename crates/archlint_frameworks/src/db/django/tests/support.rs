//! Test helpers: a project from `(path, source)` pairs and its database model.

use crate::db::DbCx;
use crate::knowledge::Knowledge;
use archlint_model::{
    DbModel, Dialect, Language, ModuleName, Project, ProjectIndex, QueryFact, Schema, SourceFile,
};
use archlint_python::PythonExtractor;

/// A project from Python sources; module names follow the paths.
pub fn project(files: &[(&str, &str)]) -> Project {
    let mut ex = PythonExtractor::new();
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

/// Django's database model of a project, with the schema merged.
pub fn db(files: &[(&str, &str)]) -> DbModel {
    let project = project(files);
    let index = ProjectIndex::new(&project);
    let k = Knowledge::builtin();
    let cx = DbCx {
        index: &index,
        k: &k,
        routes: &[],
        handlers: Default::default(),
        dialect: Dialect::Postgres,
    };
    let mut m = DbModel::default();
    super::super::collect(&cx, &mut m);
    m.sources
        .sort_by(|a, b| (&a.order, &a.path).cmp(&(&b.order, &b.path)));
    m.schema = Schema::from_sources(&m.sources);
    m.queries.sort_by_key(|a| (a.file, a.span));
    m
}

/// The queries with this API.
pub fn by_api<'m>(m: &'m DbModel, api: &str) -> Vec<&'m QueryFact> {
    m.queries.iter().filter(|q| q.api == api).collect()
}

/// The only query with this API.
pub fn one<'m>(m: &'m DbModel, api: &str) -> &'m QueryFact {
    let found = by_api(m, api);
    assert_eq!(
        found.len(),
        1,
        "queries {api}: {:#?}",
        m.queries.iter().map(|q| &q.api).collect::<Vec<_>>()
    );
    found[0]
}

/// `table.column:op[:expr][:or]` for each filter of a query's shape.
pub fn filters(q: &QueryFact) -> Vec<String> {
    let Some(s) = &q.shape else {
        return vec!["<no shape>".into()];
    };
    s.filters
        .iter()
        .map(|f| {
            let mut out = format!(
                "{}.{}:{:?}",
                f.table.as_deref().unwrap_or("?"),
                f.column,
                f.op
            );
            if let Some(e) = &f.expr {
                out.push_str(&format!(":{e}"));
            }
            if f.in_or {
                out.push_str(":or");
            }
            out
        })
        .collect()
}

/// Index column lists of a table, `a,b` each, in declaration order.
pub fn indexes(m: &DbModel, table: &str) -> Vec<String> {
    let t = m.schema.table(table).unwrap_or_else(|| {
        panic!(
            "no table {table}: {:?}",
            m.schema.tables.keys().collect::<Vec<_>>()
        )
    });
    t.indexes
        .iter()
        .map(|i| {
            i.columns
                .iter()
                .map(|c| match c {
                    archlint_model::IndexColumn::Column(c) => c.clone(),
                    archlint_model::IndexColumn::Expression(e) => format!("({e})"),
                })
                .collect::<Vec<_>>()
                .join(",")
        })
        .collect()
}
