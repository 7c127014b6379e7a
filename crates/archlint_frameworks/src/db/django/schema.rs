//! The schema sources Django code declares. An app with migrations is
//! described by them (they are what the database has), one source per app
//! in its first migration's place, plus one per `RunSQL`; an app without
//! migrations by its models. Field locations point at `models.py` when the
//! model declares the field there: that is where a fix goes.

use super::migrations::Migrations;
use super::models::Models;
use super::state::{FieldDef, Target, default_table};
use super::tables::{Spec, Targets, create_table};
use archlint_model::{
    Constraint, Dialect, Location, Notification, NotificationKind, SchemaOp, SchemaSource,
};

/// Resolves relation targets against the migration states, then the models.
struct Resolver<'a> {
    mig: &'a Migrations,
    models: &'a Models,
    app: &'a str,
    own: &'a str,
}

impl Resolver<'_> {
    fn key(&self, t: &Target) -> Option<(String, String)> {
        match t {
            Target::SelfModel => Some((self.app.to_string(), self.own.to_lowercase())),
            Target::Label { app, model } => Some((
                app.clone().unwrap_or_else(|| self.app.to_string()),
                model.to_lowercase(),
            )),
            Target::AuthUser => Some(
                self.models
                    .auth_user
                    .clone()
                    .unwrap_or_else(|| ("auth".into(), "user".into())),
            ),
            Target::Class(c) => {
                let m = self.models.list.get(*self.models.by_class.get(c)?)?;
                Some((m.app.clone(), m.name.to_lowercase()))
            }
            Target::Unknown => None,
        }
    }
}

impl Targets for Resolver<'_> {
    fn table(&self, t: &Target) -> Option<String> {
        let key = self.key(t)?;
        if let Some(m) = self.mig.models.get(&key) {
            return Some(
                m.options
                    .db_table
                    .clone()
                    .unwrap_or_else(|| default_table(&key.0, &m.name)),
            );
        }
        if let Some(&id) = self.models.by_label.get(&key) {
            return Some(self.models.table(id));
        }
        Some(default_table(&key.0, &key.1))
    }

    fn model_name(&self, t: &Target) -> Option<String> {
        let key = self.key(t)?;
        Some(match self.mig.models.get(&key) {
            Some(m) => m.name.clone(),
            None => key.1,
        })
    }
}

/// Schema sources from migrations and models, and problems with `RunSQL` text.
pub fn sources(
    mig: &Migrations,
    models: &Models,
    dialect: Dialect,
) -> (Vec<SchemaSource>, Vec<Notification>) {
    let mut out = Vec::new();
    let mut problems = Vec::new();
    for (app, first) in &mig.apps {
        let mut ops = Vec::new();
        for ((a, key), m) in mig.models.range((app.clone(), String::new())..) {
            if a != app {
                break;
            }
            if m.options.proxy || m.options.unmanaged {
                continue;
            }
            // The model class, when the project declares it, gives field locations.
            let declared = models
                .by_label
                .get(&(app.clone(), key.clone()))
                .and_then(|&id| models.list.get(id));
            let fields: Vec<FieldDef> = m
                .fields
                .iter()
                .map(|f| {
                    let mut f = f.clone();
                    if let Some(d) = declared.and_then(|d| d.field(&f.name)) {
                        f.at = d.at.clone();
                        // Migrations may leave `choices` out; the model says it.
                        if d.type_text.ends_with("(choices)") && !f.type_text.ends_with("(choices)")
                        {
                            f.type_text = d.type_text.clone();
                        }
                    }
                    f
                })
                .collect();
            let mut options = m.options.clone();
            if let Some(d) = declared {
                for i in options
                    .indexes
                    .iter_mut()
                    .chain(options.constraints.iter_mut())
                {
                    if let Some(same) = d
                        .options
                        .indexes
                        .iter()
                        .chain(&d.options.constraints)
                        .find(|x| x.name.is_some() && x.name == i.name)
                    {
                        i.at = same.at.clone();
                    }
                }
            }
            let resolver = Resolver {
                mig,
                models,
                app,
                own: &m.name,
            };
            ops.extend(create_table(
                &Spec {
                    model: &m.name,
                    table: m
                        .options
                        .db_table
                        .clone()
                        .unwrap_or_else(|| default_table(app, &m.name)),
                    fields: &fields,
                    options: &options,
                    at: m.at.clone(),
                    partial: false,
                },
                &resolver,
            ));
        }
        out.push(SchemaSource::new(first.clone(), ops));
    }
    for sql in &mig.run_sql {
        let (mut ops, mut found) = archlint_sql::parse_schema(&sql.text, &sql.path, dialect);
        if sql.harvested {
            ops.retain(|op| matches!(op, SchemaOp::CreateIndex { .. }));
            found.clear();
        }
        for op in &mut ops {
            relocate(op, &sql.at);
        }
        for p in found {
            problems.push(Notification {
                kind: NotificationKind::SqlParse,
                level: archlint_model::Level::Note,
                path: Some(sql.path.clone()),
                span: Some(sql.at.span),
                message: format!(
                    "SQL statement in RunSQL not understood (skipped): {}",
                    p.message
                ),
            });
        }
        out.push(SchemaSource::new(sql.path.clone(), ops));
    }
    for (id, m) in models.list.iter().enumerate() {
        if !m.is_concrete() || m.options.unmanaged || mig.apps.contains_key(&m.app) {
            continue;
        }
        let resolver = Resolver {
            mig,
            models,
            app: &m.app,
            own: &m.name,
        };
        let ops = create_table(
            &Spec {
                model: &m.name,
                table: models.table(id),
                fields: &m.fields,
                options: &m.options,
                at: m.at.clone(),
                partial: !m.complete,
            },
            &resolver,
        );
        out.push(SchemaSource::new(m.at.path.clone(), ops));
    }
    (out, problems)
}

/// Points every location of an operation parsed from `RunSQL` text at the
/// string literal (positions inside the text would name the wrong lines).
fn relocate(op: &mut SchemaOp, at: &Location) {
    match op {
        SchemaOp::CreateTable {
            columns,
            indexes,
            foreign_keys,
            at: a,
            ..
        } => {
            *a = at.clone();
            columns.iter_mut().for_each(|c| c.declared_at = at.clone());
            indexes.iter_mut().for_each(|i| i.declared_at = at.clone());
            foreign_keys
                .iter_mut()
                .for_each(|f| f.declared_at = at.clone());
        }
        SchemaOp::AddColumn { column, at: a, .. } => {
            *a = at.clone();
            column.declared_at = at.clone();
        }
        SchemaOp::CreateIndex { index, at: a, .. } => {
            *a = at.clone();
            index.declared_at = at.clone();
        }
        SchemaOp::AddConstraint {
            constraint, at: a, ..
        } => {
            *a = at.clone();
            match constraint {
                Constraint::Index(i) => i.declared_at = at.clone(),
                Constraint::ForeignKey(f) => f.declared_at = at.clone(),
            }
        }
        SchemaOp::DropTable { at: a, .. }
        | SchemaOp::RenameTable { at: a, .. }
        | SchemaOp::DropColumn { at: a, .. }
        | SchemaOp::RenameColumn { at: a, .. }
        | SchemaOp::DropIndex { at: a, .. }
        | SchemaOp::RenameIndex { at: a, .. }
        | SchemaOp::RenameConstraint { at: a, .. }
        | SchemaOp::DropConstraint { at: a, .. }
        | SchemaOp::DropPrimaryKey { at: a, .. }
        | SchemaOp::Unparsed { at: a, .. } => *a = at.clone(),
    }
}
