//! Django migrations replayed into model states, per app in file-name order
//! (`0002_x` before `0010_y`): `CreateModel`, `DeleteModel`, `RenameModel`,
//! `AlterModelTable`, `AddField`, `AlterField`, `RemoveField`, `RenameField`,
//! `AddIndex`, `RemoveIndex`, `RenameIndex`, `AddConstraint`,
//! `RemoveConstraint`, `AlterUniqueTogether`, `AlterIndexTogether`, and the
//! state side of `SeparateDatabaseAndState`. The final state is what the
//! database has. `RunSQL` with literal SQL is parsed as a schema file of its
//! own, in its migration's place.

use super::apps::Apps;
use super::fields::field_def;
use super::options::index_def;
use super::state::{FieldDef, IndexPart, Options, Target};
use archlint_model::{
    Arg, ArgsExt, Expr, ExprKind, Language, Location, OrderKey, ProjectIndex, Span, StmtKind,
};
use std::collections::{BTreeMap, BTreeSet};

/// Bound on nested operation lists (`SeparateDatabaseAndState` in `RunSQL`...).
const MAX_NESTING: u32 = 4;

/// A model as the migrations leave it.
#[derive(Clone, Debug)]
pub struct MigModel {
    /// As written in `CreateModel(name=...)` (or the last `RenameModel`).
    pub name: String,
    pub fields: Vec<FieldDef>,
    pub options: Options,
    /// The `CreateModel` call.
    pub at: Location,
}

pub use super::runsql::RunSql;

/// What the migrations of the project say.
#[derive(Default)]
pub struct Migrations {
    /// Final model states by `(app, model lower-case)`.
    pub models: BTreeMap<(String, String), MigModel>,
    /// Apps with at least one migration, with their first migration's path.
    pub apps: BTreeMap<String, String>,
    pub run_sql: Vec<RunSql>,
}

/// One migration file.
pub(super) struct File<'p> {
    pub file: u32,
    pub path: &'p str,
    name: &'p str,
    app: String,
    operations: Vec<&'p Expr>,
    replaces: Vec<String>,
    /// `operations` is assigned in more than one branch (per database
    /// vendor, say): its raw SQL is for some database we cannot tell.
    pub conditional: bool,
}

pub(super) fn arg<'e>(args: &'e [Arg], name: &str, pos: usize) -> Option<&'e Expr> {
    args.keyword(name).or_else(|| args.positional(pos))
}

fn text<'e>(args: &'e [Arg], name: &str, pos: usize) -> Option<&'e str> {
    arg(args, name, pos).and_then(Expr::as_str)
}

fn list(e: &Expr) -> &[Expr] {
    super::options::items(e).unwrap_or(&[])
}

/// The migration files of the project: modules under a `migrations` package
/// with a `Migration` class holding `operations`.
fn files<'p>(index: &ProjectIndex<'p>, apps: &Apps) -> Vec<File<'p>> {
    let mut out = Vec::new();
    for (fi, file) in index.project.files.iter().enumerate() {
        if file.language != Language::Python {
            continue;
        }
        let module = &file.module.module;
        let Some((package, name)) = module.rsplit_once('.') else {
            continue;
        };
        if package.rsplit('.').next() != Some("migrations") {
            continue;
        }
        for class in &file.facts.classes {
            if class.name != "Migration" || class.parent.is_some() {
                continue;
            }
            let mut operations: Vec<&Expr> = Vec::new();
            let mut assigned = 0;
            let mut replaces = Vec::new();
            for s in &class.body {
                let StmtKind::Assign {
                    targets,
                    value,
                    augmented,
                    ..
                } = &s.kind
                else {
                    continue;
                };
                match targets.first().map(|t| &t.kind) {
                    Some(ExprKind::Name(n)) if n == "operations" => {
                        if !augmented {
                            assigned += 1;
                            operations.clear();
                        }
                        operations.extend(list(value));
                    }
                    Some(ExprKind::Name(n)) if n == "replaces" => {
                        for r in list(value) {
                            if let Some(m) = list(r).get(1).and_then(Expr::as_str) {
                                replaces.push(m.to_string());
                            }
                        }
                    }
                    _ => {}
                }
            }
            out.push(File {
                file: fi as u32,
                path: &file.path,
                name,
                app: apps.label_of(module),
                operations,
                replaces,
                conditional: assigned > 1,
            });
        }
    }
    out
}

pub(super) struct Replay<'a, 'p> {
    pub index: &'a ProjectIndex<'p>,
    pub out: Migrations,
}

impl Replay<'_, '_> {
    pub(super) fn loc(&self, file: u32, span: Span) -> Location {
        self.index.project.location(file, span)
    }

    fn model_mut(&mut self, app: &str, name: Option<&str>) -> Option<&mut MigModel> {
        let key = (app.to_string(), name?.to_lowercase());
        self.out.models.get_mut(&key)
    }

    fn field(&self, file: u32, name: &str, e: &Expr, at: Span) -> Option<FieldDef> {
        field_def(self.index, file, name, e, self.loc(file, at))
    }

    fn operation(&mut self, f: &File, op: &Expr, depth: u32) {
        let Some((callee, args)) = op.as_call() else {
            return;
        };
        let app = f.app.as_str();
        let file = f.file;
        match callee.last_name().unwrap_or("") {
            "CreateModel" => {
                let Some(name) = text(args, "name", 0) else {
                    return;
                };
                let mut fields = Vec::new();
                for item in arg(args, "fields", 1).map(list).unwrap_or(&[]) {
                    if let [n, v] = list(item)
                        && let Some(n) = n.as_str()
                        && let Some(fd) = self.field(file, n, v, item.span)
                    {
                        fields.push(fd);
                    }
                }
                let mut options = Options::default();
                if let Some(ExprKind::Dict(pairs)) = arg(args, "options", 2).map(|e| &e.kind) {
                    for (k, v) in pairs {
                        if let Some(k) = k.as_str() {
                            options.apply(self.index.project, file, k, v);
                        }
                    }
                }
                let at = self.loc(file, op.span);
                self.out.models.insert(
                    (app.to_string(), name.to_lowercase()),
                    MigModel {
                        name: name.to_string(),
                        fields,
                        options,
                        at,
                    },
                );
            }
            "DeleteModel" => {
                if let Some(n) = text(args, "name", 0) {
                    self.out.models.remove(&(app.to_string(), n.to_lowercase()));
                }
            }
            "RenameModel" => {
                let (Some(old), Some(new)) = (text(args, "old_name", 0), text(args, "new_name", 1))
                else {
                    return;
                };
                if let Some(mut m) = self
                    .out
                    .models
                    .remove(&(app.to_string(), old.to_lowercase()))
                {
                    m.name = new.to_string();
                    self.out
                        .models
                        .insert((app.to_string(), new.to_lowercase()), m);
                }
                rename_targets(&mut self.out.models, app, old, new);
            }
            "AlterModelTable" => {
                let table = text(args, "table", 1).map(str::to_string);
                if let Some(m) = self.model_mut(app, text(args, "name", 0)) {
                    m.options.db_table = table;
                }
            }
            "AlterModelOptions" => {
                let Some(ExprKind::Dict(pairs)) = arg(args, "options", 1).map(|e| &e.kind) else {
                    return;
                };
                let managed = pairs
                    .iter()
                    .find(|(k, _)| k.as_str() == Some("managed"))
                    .map(|(_, v)| matches!(v.kind, ExprKind::Bool(false)));
                if let (Some(m), Some(unmanaged)) =
                    (self.model_mut(app, text(args, "name", 0)), managed)
                {
                    m.options.unmanaged = unmanaged;
                }
            }
            "AlterUniqueTogether" | "AlterIndexTogether" => {
                let key = if callee.last_name() == Some("AlterUniqueTogether") {
                    "unique_together"
                } else {
                    "index_together"
                };
                let Some(value) = arg(args, key, 1) else {
                    return;
                };
                let project = self.index.project;
                if let Some(m) = self.model_mut(app, text(args, "name", 0)) {
                    m.options.apply(project, file, key, value);
                }
            }
            "AddField" | "AlterField" => {
                let (Some(name), Some(value)) = (text(args, "name", 1), arg(args, "field", 2))
                else {
                    return;
                };
                let Some(fd) = self.field(file, name, value, op.span) else {
                    return;
                };
                if let Some(m) = self.model_mut(app, text(args, "model_name", 0)) {
                    match m.fields.iter_mut().find(|x| x.name == name) {
                        Some(x) => *x = fd,
                        None => m.fields.push(fd),
                    }
                }
            }
            "RemoveField" => {
                let name = text(args, "name", 1).map(str::to_string);
                if let (Some(m), Some(name)) =
                    (self.model_mut(app, text(args, "model_name", 0)), name)
                {
                    m.fields.retain(|x| x.name != name);
                }
            }
            "RenameField" => {
                let (Some(old), Some(new)) = (text(args, "old_name", 1), text(args, "new_name", 2))
                else {
                    return;
                };
                if let Some(m) = self.model_mut(app, text(args, "model_name", 0)) {
                    rename_field(m, old, new);
                }
            }
            "AddIndex" | "AddConstraint" => {
                let key = if callee.last_name() == Some("AddIndex") {
                    "index"
                } else {
                    "constraint"
                };
                let Some(def) =
                    arg(args, key, 1).and_then(|e| index_def(self.index.project, file, e))
                else {
                    return;
                };
                if let Some(m) = self.model_mut(app, text(args, "model_name", 0)) {
                    if def.unique {
                        m.options.constraints.push(def);
                    } else {
                        m.options.indexes.push(def);
                    }
                }
            }
            "RemoveIndex" | "RemoveConstraint" => {
                let name = text(args, "name", 1).map(str::to_string);
                if let (Some(m), Some(name)) =
                    (self.model_mut(app, text(args, "model_name", 0)), name)
                {
                    let keep = |d: &super::state::IndexDef| d.name.as_deref() != Some(&name);
                    m.options.indexes.retain(keep);
                    m.options.constraints.retain(keep);
                }
            }
            "RenameIndex" => {
                let new = text(args, "new_name", 1).map(str::to_string);
                let old = args.keyword("old_name").and_then(Expr::as_str);
                let old_fields: Option<Vec<String>> = args.keyword("old_fields").map(|e| {
                    list(e)
                        .iter()
                        .filter_map(Expr::as_str)
                        .map(str::to_string)
                        .collect()
                });
                let Some(m) = self.model_mut(app, text(args, "model_name", 0)) else {
                    return;
                };
                if let Some(old) = old {
                    for d in &mut m.options.indexes {
                        if d.name.as_deref() == Some(old) {
                            d.name.clone_from(&new);
                        }
                    }
                } else if let Some(fields) = old_fields {
                    // An unnamed `index_together` group becomes a named index.
                    let parts: Vec<IndexPart> =
                        fields.iter().map(|f| IndexPart::Field(f.clone())).collect();
                    if let Some(pos) = m
                        .options
                        .index_together
                        .iter()
                        .position(|d| d.parts == parts)
                    {
                        let mut d = m.options.index_together.remove(pos);
                        d.name = new;
                        m.options.indexes.push(d);
                    }
                }
            }
            "RunSQL" => {
                if let Some(sql) = arg(args, "sql", 0) {
                    self.run_sql(f, sql);
                }
                if depth < MAX_NESTING {
                    for o in args.keyword("state_operations").map(list).unwrap_or(&[]) {
                        self.operation(f, o, depth + 1);
                    }
                }
            }
            "SeparateDatabaseAndState" if depth < MAX_NESTING => {
                // The state operations say what the tables end up as; only
                // raw SQL among the database operations adds to that.
                for o in arg(args, "state_operations", 1).map(list).unwrap_or(&[]) {
                    self.operation(f, o, depth + 1);
                }
                for o in arg(args, "database_operations", 0).map(list).unwrap_or(&[]) {
                    if o.as_call().and_then(|(c, _)| c.last_name()) == Some("RunSQL")
                        && let Some((_, a)) = o.as_call()
                        && let Some(sql) = arg(a, "sql", 0)
                    {
                        self.run_sql(f, sql);
                    }
                }
            }
            _ => {}
        }
    }
}

/// Points relation targets at a renamed model.
fn rename_targets(
    models: &mut BTreeMap<(String, String), MigModel>,
    app: &str,
    old: &str,
    new: &str,
) {
    for ((model_app, _), m) in models.iter_mut() {
        for f in &mut m.fields {
            if let super::state::FieldKind::Relation(r) = &mut f.kind
                && let Target::Label { app: a, model } = &mut r.target
                && model.eq_ignore_ascii_case(old)
                && a.as_deref().unwrap_or(model_app) == app
            {
                *model = new.to_string();
            }
        }
    }
}

fn rename_field(m: &mut MigModel, old: &str, new: &str) {
    for f in &mut m.fields {
        if f.name == old {
            f.name = new.to_string();
        }
    }
    let o = &mut m.options;
    for d in o
        .indexes
        .iter_mut()
        .chain(o.constraints.iter_mut())
        .chain(o.unique_together.iter_mut())
        .chain(o.index_together.iter_mut())
    {
        for p in &mut d.parts {
            if *p == IndexPart::Field(old.to_string()) {
                *p = IndexPart::Field(new.to_string());
            }
        }
    }
}

/// Replays every migration of the project.
pub fn replay(index: &ProjectIndex, apps: &Apps) -> Migrations {
    let mut all = files(index, apps);
    all.sort_by(|a, b| {
        (&a.app, OrderKey::from_path(a.path), a.path).cmp(&(
            &b.app,
            OrderKey::from_path(b.path),
            b.path,
        ))
    });
    let present: BTreeSet<(String, String)> = all
        .iter()
        .map(|f| (f.app.clone(), f.name.to_string()))
        .collect();
    let mut r = Replay {
        index,
        out: Migrations::default(),
    };
    for f in &all {
        // A squashed migration stands for the ones it replaces; when those
        // are still there, they are the history (and say the same).
        if !f.replaces.is_empty()
            && f.replaces
                .iter()
                .any(|m| present.contains(&(f.app.clone(), m.clone())))
        {
            continue;
        }
        r.out
            .apps
            .entry(f.app.clone())
            .or_insert_with(|| f.path.to_string());
        for op in &f.operations {
            r.operation(f, op, 0);
        }
        r.harvest(f);
    }
    r.out
}
