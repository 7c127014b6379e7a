//! Alembic migrations: the operations of each revision's `upgrade()`
//! (`op.create_table`, `op.create_index`, `op.add_column`, `op.execute` with
//! DDL text, `batch_alter_table` blocks...) as schema sources, ordered by the
//! revision chain (`revision` / `down_revision`) rather than by file name.
//! `downgrade()` is ignored.

mod create;
mod inline;
mod ops;

use super::knowledge::SaNames;
use super::values::{str_list, str_value};
use archlint_model::schema::{OrderKey, table_key};
use archlint_model::{Dialect, ExprKind, ProjectIndex, SchemaOp, SchemaSource, StmtKind};
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use std::collections::{BTreeMap, BTreeSet};

/// One migration file.
struct Migration {
    file: u32,
    revision: Option<String>,
    parents: Vec<String>,
}

/// The Alembic migration files of the project (module-level `revision` and
/// `down_revision`).
pub fn migration_files(index: &ProjectIndex, n: &SaNames) -> HashSet<u32> {
    index
        .project
        .files
        .iter()
        .enumerate()
        .filter(|(_, f)| f.language == archlint_model::Language::Python)
        .filter(|(fi, _)| read_migration(index, n, *fi as u32).is_some())
        .map(|(fi, _)| fi as u32)
        .collect()
}

fn read_migration(index: &ProjectIndex, n: &SaNames, file: u32) -> Option<Migration> {
    let facts = &index.project.file(file)?.facts;
    let mut revision = None;
    let mut parents = None;
    for s in &facts.module_stmts {
        let StmtKind::Assign { targets, value, .. } = &s.kind else {
            continue;
        };
        for t in targets {
            let ExprKind::Name(name) = &t.kind else {
                continue;
            };
            if n.alembic.revision.matches(name) {
                revision = str_value(index, file, value);
            } else if n.alembic.down_revision.matches(name) {
                parents = Some(match &value.kind {
                    ExprKind::NoneLit => Vec::new(),
                    _ => str_list(index, file, value).unwrap_or_default(),
                });
            }
        }
    }
    // Both names must be there: `revision` alone is too common a word.
    let parents = parents?;
    revision.as_ref()?;
    Some(Migration {
        file,
        revision,
        parents,
    })
}

/// What the migrations declare: one source per migration in chain order,
/// and the tables they create.
pub struct Migrations {
    pub sources: Vec<SchemaSource>,
    /// Keys of the tables the migrations create or rename into existence.
    pub created: BTreeSet<String>,
    /// Keys of the tables that exist after the last migration.
    pub alive: BTreeSet<String>,
    /// Keys of the tables some migration renames away or drops.
    pub removed: BTreeSet<String>,
    /// An order after every migration.
    pub after: OrderKey,
}

/// Reads every migration's `upgrade()`.
pub fn collect(
    index: &ProjectIndex,
    n: &SaNames,
    files: &HashSet<u32>,
    dialect: Dialect,
) -> Migrations {
    let keep = dialect_filter(index, n, files, dialect);
    let mut migs: Vec<Migration> = files
        .iter()
        .filter(|f| keep(**f))
        .filter_map(|&f| read_migration(index, n, f))
        .collect();
    migs.sort_by_key(|m| m.file);
    let order = chain_order(index, &migs);
    let mut out = Migrations {
        sources: Vec::new(),
        created: BTreeSet::new(),
        alive: BTreeSet::new(),
        removed: BTreeSet::new(),
        after: OrderKey::from_path(&format!("alembic/{:06}", order.len() + 1)),
    };
    for (seq, mi) in order.into_iter().enumerate() {
        let Some(m) = migs.get(mi) else { continue };
        let ops = ops::upgrade_ops(index, n, m.file, dialect);
        for op in &ops {
            // Tables the migrations bring into being (created, or renamed
            // into their current name) are described by them alone.
            match op {
                SchemaOp::CreateTable { table, .. } => {
                    out.created.insert(table_key(table));
                    out.alive.insert(table_key(table));
                }
                SchemaOp::RenameTable { from, to, .. } => {
                    out.created.insert(table_key(to));
                    out.alive.remove(&table_key(from));
                    out.removed.insert(table_key(from));
                    out.alive.insert(table_key(to));
                }
                SchemaOp::DropTable { table, .. } => {
                    out.alive.remove(&table_key(table));
                    out.removed.insert(table_key(table));
                }
                _ => {}
            }
        }
        let path = index
            .project
            .file(m.file)
            .map(|f| f.path.clone())
            .unwrap_or_default();
        out.sources.push(SchemaSource {
            order: OrderKey::from_path(&format!("alembic/{:06}", seq + 1)),
            path,
            ops,
        });
    }
    out
}

/// Projects with one revision chain per database (`versions/postgresql`,
/// `versions/sqlite`): only the configured dialect's chain describes the
/// database. Files outside such directories are always kept.
fn dialect_filter<'a>(
    index: &'a ProjectIndex,
    n: &'a SaNames,
    files: &HashSet<u32>,
    dialect: Dialect,
) -> impl Fn(u32) -> bool + 'a {
    let a = &n.alembic;
    let of = move |f: u32| -> Option<Dialect> {
        let path = &index.project.file(f)?.path;
        path.split('/').rev().skip(1).find_map(|dir| {
            if a.dialect_directories_postgres.matches(dir) {
                Some(Dialect::Postgres)
            } else if a.dialect_directories_mysql.matches(dir) {
                Some(Dialect::Mysql)
            } else if a.dialect_directories_sqlite.matches(dir) {
                Some(Dialect::Sqlite)
            } else {
                None
            }
        })
    };
    let present: BTreeSet<Dialect> = files.iter().filter_map(|&f| of(f)).collect();
    let choose = present.len() > 1 && present.contains(&dialect);
    move |f: u32| !choose || of(f).is_none_or(|d| d == dialect)
}

/// Indices into `migs` in revision order: parents before children, ties by
/// file path; anything outside the chain (or in a cycle) after, by path.
fn chain_order(index: &ProjectIndex, migs: &[Migration]) -> Vec<usize> {
    let path = |i: usize| {
        migs.get(i)
            .and_then(|m| index.project.file(m.file))
            .map(|f| f.path.as_str())
            .unwrap_or("")
    };
    let by_rev: HashMap<&str, usize> = migs
        .iter()
        .enumerate()
        .filter_map(|(i, m)| m.revision.as_deref().map(|r| (r, i)))
        .collect();
    let mut waiting: Vec<usize> = vec![0; migs.len()];
    let mut children: Vec<Vec<usize>> = vec![Vec::new(); migs.len()];
    for (i, m) in migs.iter().enumerate() {
        for p in &m.parents {
            if let Some(&pi) = by_rev.get(p.as_str())
                && pi != i
            {
                waiting[i] += 1;
                children[pi].push(i);
            }
        }
    }
    let mut ready: BTreeMap<(&str, usize), ()> = (0..migs.len())
        .filter(|&i| waiting[i] == 0)
        .map(|i| ((path(i), i), ()))
        .collect();
    let mut out = Vec::with_capacity(migs.len());
    let mut done = vec![false; migs.len()];
    while let Some(((_, i), ())) = ready.pop_first() {
        out.push(i);
        done[i] = true;
        for &c in &children[i] {
            waiting[c] = waiting[c].saturating_sub(1);
            if waiting[c] == 0 && !done[c] {
                ready.insert((path(c), c), ());
            }
        }
    }
    let mut rest: Vec<usize> = (0..migs.len()).filter(|&i| !done[i]).collect();
    rest.sort_by_key(|&i| path(i));
    out.extend(rest);
    out
}
