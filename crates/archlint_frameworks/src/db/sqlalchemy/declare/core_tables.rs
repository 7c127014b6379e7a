//! Core tables (`users = Table("users", metadata, ...)`), models mapped onto
//! them, module-level `Index(...)` over model attributes, and foreign keys
//! resolved once every model is known.

use super::super::columns::{FkTarget, column_spec};
use super::super::models::{ColumnDecl, CoreTable, Registry, ResolvedFk, TableItemDecl};
use super::super::values::{call_in, kw_truthy, str_value};
use super::Builder;
use archlint_model::schema::table_key;
use archlint_model::visit::walk_expr;
use archlint_model::{ArgsExt, Expr, ExprKind, ProjectIndex, StmtKind};
use rustc_hash::FxHashSet as HashSet;

impl<'p> Builder<'_, 'p> {
    pub(super) fn table_expr_name(&self, file: u32, e: &Expr) -> Option<String> {
        if let Some(args) = call_in(e, &self.n.models.tables) {
            return str_value(self.index, file, args.positional(0)?);
        }
        self.core_table_of(file, e).map(|t| t.name.clone())
    }

    pub(super) fn core_table_of(&self, file: u32, e: &Expr) -> Option<&CoreTable> {
        self.reg.core_of(self.index, file, e)
    }

    /// Module-level `name = Table("t", metadata, Column(...), ...)`.
    pub(super) fn core_tables(&mut self, file: u32) {
        let project = self.project();
        let Some(f) = project.file(file) else { return };
        for (si, s) in f.facts.module_stmts.iter().enumerate() {
            let StmtKind::Assign { value, targets, .. } = &s.kind else {
                continue;
            };
            if !targets.iter().any(|t| matches!(t.kind, ExprKind::Name(_))) {
                continue;
            }
            let Some(args) = call_in(value, &self.n.models.tables) else {
                continue;
            };
            let Some(name) = args
                .positional(0)
                .and_then(|a| str_value(self.index, file, a))
            else {
                continue;
            };
            let reflected = kw_truthy(args, "autoload_with") || kw_truthy(args, "autoload");
            let mut cols = Vec::new();
            let mut items = Vec::new();
            for a in args.iter().filter(|a| a.name.is_none()).skip(1) {
                if let Some(spec) = column_spec(&self.n.models, self.index, file, &a.value) {
                    let Some(cname) = spec.name.clone() else {
                        continue;
                    };
                    cols.push(ColumnDecl {
                        attr: cname.clone(),
                        column: cname,
                        spec,
                        file,
                        at: a.value.span,
                    });
                } else if matches!(a.value.kind, ExprKind::Call { .. }) {
                    items.push(TableItemDecl {
                        expr: &a.value,
                        file,
                        model: None,
                    });
                }
            }
            self.reg.core.insert(
                (file, si as u32),
                CoreTable {
                    name: name.clone(),
                    columns: cols.iter().map(|c| c.column.clone()).collect(),
                },
            );
            let decl = self.table_decl(&name, file, value.span);
            decl.partial |= reflected;
            for c in cols {
                if !decl
                    .columns
                    .iter()
                    .any(|x| x.column.eq_ignore_ascii_case(&c.column))
                {
                    decl.columns.push(c);
                }
            }
            decl.items.extend(items);
        }
    }

    /// `registry.map_imperatively(User, users_table, properties={...})` /
    /// `mapper(User, users_table)` at module level: the class maps the Core
    /// table's columns (and the given relationships).
    pub(super) fn imperative(&mut self, file: u32) {
        let project = self.project();
        let Some(f) = project.file(file) else { return };
        for s in &f.facts.module_stmts {
            let e = match &s.kind {
                StmtKind::Expr(e) | StmtKind::Assign { value: e, .. } => e,
                StmtKind::Return(_) => continue,
            };
            let Some(args) = call_in(e, &self.n.models.imperative) else {
                continue;
            };
            let (Some(class_e), Some(table_e)) = (args.positional(0), args.positional(1)) else {
                continue;
            };
            let Some(archlint_model::Symbol::Class(c)) = self.index.resolve_expr(file, class_e)
            else {
                continue;
            };
            if self.reg.by_class.contains_key(&c) {
                continue;
            }
            let Some(core) = self.reg.core_of(self.index, file, table_e).cloned() else {
                continue;
            };
            let Some(class) = project.class(c) else {
                continue;
            };
            let primary_key: Vec<String> = self
                .reg
                .table_decl_columns(&core.name)
                .into_iter()
                .filter(|col| col.spec.primary_key)
                .map(|col| col.column.clone())
                .collect();
            let id = self.reg.models.len();
            self.reg.models.push(super::super::models::Model {
                class: c,
                name: class.name.clone(),
                table: Some(core.name.clone()),
                attrs: core
                    .columns
                    .iter()
                    .map(|col| (col.clone(), (Some(core.name.clone()), col.clone())))
                    .collect(),
                relationships: std::collections::BTreeMap::new(),
                primary_key,
            });
            self.reg.by_class.insert(c, id);
            self.reg
                .by_name
                .entry(class.name.clone())
                .or_default()
                .push(id);
            self.memo.insert(c, Some(id));
            if let Some(ExprKind::Dict(kvs)) = args.keyword("properties").map(|p| &p.kind) {
                for (k, v) in kvs {
                    let Some(attr) = k.as_str() else { continue };
                    if let ExprKind::Call { func, args: rargs } = &v.kind
                        && func
                            .last_name()
                            .is_some_and(|n| self.n.models.relationships.matches(n))
                    {
                        self.pending_rel(id, file, attr.to_string(), rargs, None);
                    }
                }
            }
        }
    }

    /// Module-level `Index("ix", User.a, User.b)` in files with models.
    pub(super) fn module_indexes(&mut self, skip_files: &HashSet<u32>) {
        let project = self.project();
        let files: Vec<u32> = {
            let mut v: Vec<u32> = self.reg.models.iter().map(|m| m.class.file).collect();
            v.sort_unstable();
            v.dedup();
            v
        };
        for file in files {
            if skip_files.contains(&file) {
                continue;
            }
            let Some(f) = project.file(file) else {
                continue;
            };
            for s in &f.facts.module_stmts {
                let e = match &s.kind {
                    StmtKind::Expr(e) => e,
                    StmtKind::Assign { value, .. } => value,
                    StmtKind::Return(_) => continue,
                };
                let Some(args) = call_in(e, &self.n.models.indexes) else {
                    continue;
                };
                // The table is that of the first column expression's model.
                let model = args
                    .iter()
                    .filter(|a| a.name.is_none())
                    .skip(1)
                    .find_map(|a| {
                        let mut found = None;
                        walk_expr(&a.value, |x| {
                            if found.is_none()
                                && let ExprKind::Attr(owner, _) = &x.kind
                            {
                                found = self.reg.model_of(self.index, file, owner);
                            }
                        });
                        found
                    });
                let Some(model) = model else { continue };
                let Some(table) = self.reg.table_of(model).map(str::to_string) else {
                    continue;
                };
                let key = table_key(&table);
                if let Some(&i) = self.reg.table_keys.get(&key)
                    && let Some(decl) = self.reg.tables.get_mut(i)
                {
                    decl.items.push(TableItemDecl {
                        expr: e,
                        file,
                        model: Some(model),
                    });
                }
            }
        }
    }

    /// Resolves every declared foreign key to (table, column) pairs.
    pub(super) fn resolve_fks(&mut self) {
        let mut out = Vec::new();
        for t in &self.reg.tables {
            for c in &t.columns {
                for fk in &c.spec.fks {
                    if let Some((rt, rc)) = resolve_fk_target(&self.reg, self.index, c.file, fk) {
                        out.push(ResolvedFk {
                            table: t.name.clone(),
                            column: c.column.clone(),
                            ref_table: rt,
                            ref_column: rc,
                        });
                    }
                }
            }
        }
        self.reg.fks = out;
    }
}

/// Where a foreign key points, as (table, column).
pub fn resolve_fk_target(
    reg: &Registry,
    index: &ProjectIndex,
    file: u32,
    fk: &FkTarget,
) -> Option<(String, String)> {
    match fk {
        FkTarget::Text(t, c) => Some((t.clone(), c.clone())),
        FkTarget::Expr(e) => {
            let ExprKind::Attr(owner, attr) = &e.kind else {
                return None;
            };
            if let Some(m) = reg.model_of(index, file, owner) {
                let (t, c) = reg.column(m, attr)?;
                return Some((t?.to_string(), c.to_string()));
            }
            // `users.c.id`
            if let ExprKind::Attr(table, c) = &owner.kind
                && c == "c"
                && let Some(core) = reg.core_of(index, file, table)
            {
                return Some((core.name.clone(), attr.clone()));
            }
            None
        }
    }
}
