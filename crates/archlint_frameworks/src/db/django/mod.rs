//! Django's part of the database model.
//!
//! - Schema: models (`models.py`) and migrations, lowered to the same
//!   model states ([`state`], [`fields`], [`options`]) and then to tables
//!   ([`tables`]). Migrations are preferred for the apps that have them
//!   ([`migrations`], [`runsql`], [`schema`]).
//! - Queries: ORM chains ([`chain`], [`eval`], [`conditions`], [`lookups`],
//!   custom [`managers`]) in every body ([`scope`], [`orm`], [`tree`]) and
//!   lazy relation loads in loops ([`lazy`]).
//! - DRF list endpoints and their pagination ([`drf`]).
//!
//! The vocabulary (field classes, queryset methods, lookups, DRF views) is
//! data: `rules/frameworks/db/django.toml` ([`knowledge`]).

mod apps;
mod chain;
mod conditions;
mod drf;
mod eval;
mod fields;
mod knowledge;
mod lazy;
mod lookups;
mod managers;
mod migrations;
mod models;
mod options;
mod orm;
mod relations;
mod runsql;
mod schema;
mod scope;
mod settings;
mod state;
mod tables;
#[cfg(test)]
mod tests;
mod tree;

use super::DbCx;
use archlint_model::{DbModel, FileFacts, FuncRef, Language};
use rayon::prelude::*;
use scope::{Ctx, Scope};

/// Adds Django's schema sources, ORM queries and DRF list views to `out`.
pub fn collect(cx: &DbCx, out: &mut DbModel) {
    let project = cx.index.project;
    if !project.files.iter().any(|f| f.language == Language::Python) {
        return;
    }
    let apps = apps::Apps::collect(project);
    let settings = settings::Settings::collect(project);
    let mut models = models::collect(cx.index, &apps);
    models.auth_user = settings.auth_user.clone();
    relations::resolve(&mut models);
    let mig = migrations::replay(cx.index, &apps);
    let (sources, problems) = schema::sources(&mig, &models, cx.dialect);
    out.sources.extend(sources);
    out.problems.extend(problems);
    if !models.list.is_empty() {
        let ctx = Ctx {
            index: cx.index,
            models: &models,
        };
        // Each file's queries depend only on the shared model: read the files
        // in parallel, merge in file order.
        let per_file: Vec<Vec<archlint_model::QueryFact>> = project
            .files
            .par_iter()
            .enumerate()
            .filter(|(_, file)| file.language == Language::Python)
            .map(|(fi, file)| {
                let mut queries = Vec::new();
                file_queries(&ctx, fi as u32, &file.facts, &mut queries);
                queries
            })
            .collect();
        out.queries.extend(per_file.into_iter().flatten());
    }
    drf::list_views(cx.index, &settings, &mut out.list_views);
}

/// The ORM queries and lazy loads of one file's functions, classes and module body.
fn file_queries(ctx: &Ctx, fi: u32, facts: &FileFacts, out: &mut Vec<archlint_model::QueryFact>) {
    for (i, f) in facts.functions.iter().enumerate() {
        let fref = FuncRef {
            file: fi,
            func: i as u32,
        };
        let s = Scope::new(
            ctx,
            fi,
            Some(fref),
            Some(&f.name),
            &f.body,
            &f.loops,
            &f.params,
        );
        orm::queries(&s, out);
        lazy::lazy_loads(&s, out);
    }
    for class in &facts.classes {
        let s = Scope::new(ctx, fi, None, None, &class.body, &[], &[]);
        orm::queries(&s, out);
    }
    let s = Scope::new(
        ctx,
        fi,
        None,
        None,
        &facts.module_stmts,
        &facts.module_loops,
        &[],
    );
    orm::queries(&s, out);
    lazy::lazy_loads(&s, out);
}
