//! SQLAlchemy (1.x and 2.0, sync and async), Flask-SQLAlchemy and Alembic:
//! declarative models and Core tables as schema, Alembic migrations in
//! revision order, ORM queries normalised to a [`archlint_model::QueryShape`],
//! and relationship lazy loads inside loops.
//!
//! When a table is created by Alembic migrations, the migrations describe it
//! (they are what the database has) and its model only maps classes and
//! attributes to it; other model tables are declared from the models.

mod alembic;
mod columns;
mod declare;
mod knowledge;
mod models;
mod query;
mod tables;
mod values;

#[cfg(test)]
mod tests;

use super::DbCx;
use archlint_model::schema::{OrderKey, table_key};
use archlint_model::{DbModel, SchemaSource};
use std::collections::BTreeMap;

/// Adds what this module finds to `out`.
pub fn collect(cx: &DbCx, out: &mut DbModel) {
    let n = knowledge::names();
    let migration_files = alembic::migration_files(cx.index, n);
    // Migrations and their helper modules describe history: their model
    // classes are not the schema and their queries are one-off.
    let mut history = migration_files.clone();
    for (fi, f) in cx.index.project.files.iter().enumerate() {
        if f.path
            .split('/')
            .rev()
            .skip(1)
            .any(|dir| n.alembic.directories.matches(dir))
        {
            history.insert(fi as u32);
        }
    }
    let reg = declare::build(cx.index, n, &history);
    let migrations = alembic::collect(cx.index, n, &migration_files, cx.dialect);
    // Model tables, one source per file, before every migration. A table
    // the migrations rename or drop away, but a model still maps, was
    // brought back in a way they do not show (`Model.__table__.create` or
    // `create_all` in a migration, raw SQL): the model describes it, after
    // them, as partly known.
    // Only a table one model alone maps: two declarations (an old script's
    // model next to the current one) say nothing sure about what is there.
    let mut mapped: BTreeMap<String, usize> = BTreeMap::new();
    for decl in &reg.tables {
        *mapped.entry(table_key(&decl.name)).or_default() += 1;
    }
    let mut per_file: BTreeMap<(bool, u32), Vec<archlint_model::SchemaOp>> = BTreeMap::new();
    for decl in &reg.tables {
        let key = table_key(&decl.name);
        let alive = migrations.alive.contains(&key);
        if migrations.created.contains(&key) && alive {
            continue;
        }
        let after = !alive
            && mapped.get(&key) == Some(&1)
            && (migrations.created.contains(&key) || migrations.removed.contains(&key));
        let mut op = tables::create_table(&reg, cx.index, &n.models, decl);
        // Which indexes the re-created table got is not sure either: the
        // table is known, its lookups are not judged.
        if after && let archlint_model::SchemaOp::CreateTable { partial, .. } = &mut op {
            *partial = true;
        }
        per_file.entry((after, decl.file)).or_default().push(op);
    }
    for ((after, file), ops) in per_file {
        let path = cx
            .index
            .project
            .file(file)
            .map(|f| f.path.clone())
            .unwrap_or_default();
        out.sources.push(SchemaSource {
            order: if after {
                migrations.after.clone()
            } else {
                OrderKey::default()
            },
            path,
            ops,
        });
    }
    out.sources.extend(migrations.sources);
    if !reg.is_empty() {
        query::collect(cx.index, &reg, n, &history, &mut out.queries);
    }
}
