//! barrel migrations (run with refinery, next to diesel queries, as in
//! pict-rs): `m.create_table("hashes", |t| { t.add_column("hash",
//! types::text().primary(true)); t.add_index("ix", types::index(["a"])); })`,
//! `change_table`, `drop_table`, `rename_table`, and SQL passed through
//! `inject_custom` (a whole statement, or one column's definition inside a
//! table). One [`SchemaSource`] per file, ordered by its path
//! (`V0001__create_hashes.rs`).

use super::chain::{first_arg, flatten, path_call};
use super::inline_sql::schema_in_literal;
use super::knowledge::{BarrelNames, imports_crate, names};
use crate::db::DbCx;
use archlint_model::visit::walk_stmts;
use archlint_model::{
    Column, Constraint, DbModel, Expr, ExprKind, ForeignKey, Index, IndexColumn, IndexKind,
    Location, SchemaOp, SchemaSource, Span, StmtKind,
};

/// Adds the schema of every file importing barrel.
pub fn collect(cx: &DbCx, out: &mut DbModel) {
    let n = &names().barrel;
    for (fi, file) in cx.index.project.files.iter().enumerate() {
        if file.language != archlint_model::Language::Rust || !imports_crate(&file.facts, &n.crates)
        {
            continue;
        }
        let mut b = Barrel {
            cx,
            n,
            file: fi as u32,
            path: &file.path,
            ops: Vec::new(),
        };
        for func in &file.facts.functions {
            let mut calls = Vec::new();
            // Table closures are read with their `create_table`/`change_table`.
            let mut closures: Vec<Span> = Vec::new();
            walk_stmts(&func.body, |e| {
                if let Some((f, args)) = e.as_call()
                    && let ExprKind::Attr(_, m) = &f.kind
                    && !closures.iter().any(|c| c.contains(&e.span))
                {
                    if n.create_table.matches(m) || n.change_table.matches(m) {
                        closures.extend(args.iter().filter_map(|a| {
                            matches!(a.value.kind, ExprKind::Lambda { .. }).then_some(a.value.span)
                        }));
                    }
                    calls.push((m.as_str(), args, e.span));
                }
            });
            for (m, args, span) in calls {
                b.migration_call(m, args, span);
            }
        }
        if !b.ops.is_empty() {
            out.sources
                .push(SchemaSource::new(file.path.clone(), b.ops));
        }
    }
}

struct Barrel<'a, 'c, 'p> {
    cx: &'a DbCx<'c, 'p>,
    n: &'a BarrelNames,
    file: u32,
    path: &'a str,
    ops: Vec<SchemaOp>,
}

/// A string argument (looking through `.trim()` and the like).
fn text(e: &Expr) -> Option<(&str, Span)> {
    let mut cur = e;
    for _ in 0..4 {
        match &cur.kind {
            ExprKind::Str(s) => return Some((s, cur.span)),
            ExprKind::Unary(x) => cur = x,
            ExprKind::Call { func, args } if args.is_empty() => match &func.kind {
                ExprKind::Attr(recv, _) => cur = recv,
                _ => return None,
            },
            _ => return None,
        }
    }
    None
}

/// `["a", "b"]`, `&["a"]`, `vec!["a"]`, or one `"a"`.
fn names_of(e: &Expr) -> Option<Vec<String>> {
    let mut cur = e;
    if let ExprKind::Unary(x) = &cur.kind {
        cur = x;
    }
    match &cur.kind {
        ExprKind::List(xs) | ExprKind::Tuple(xs) => xs
            .iter()
            .map(|x| text(x).map(|(s, _)| s.to_string()))
            .collect(),
        _ => Some(vec![text(cur)?.0.to_string()]),
    }
}

/// A `types::...()` column type with its modifiers.
struct TypeDef {
    type_text: String,
    nullable: bool,
    primary: bool,
    unique: bool,
    indexed: bool,
    /// `types::foreign("users", "id")`.
    references: Option<(String, Vec<String>)>,
    /// `types::index(["a", "b"])`.
    index: Option<Vec<String>>,
}

impl Barrel<'_, '_, '_> {
    fn loc(&self, span: Span) -> Location {
        self.cx.index.project.location(self.file, span)
    }

    /// `m.<method>(args)` at `span`.
    fn migration_call(&mut self, m: &str, args: &[archlint_model::Arg], span: Span) {
        let n = self.n;
        let at = self.loc(span);
        let arg = |i: usize| {
            args.iter()
                .filter(|a| a.name.is_none())
                .nth(i)
                .map(|a| &a.value)
        };
        if n.inject.matches(m) && args.len() == 1 {
            if let Some((sql, lit)) = arg(0).and_then(text) {
                let ops = schema_in_literal(sql, lit, self.path, self.cx.dialect);
                self.ops.extend(ops);
            }
            return;
        }
        let Some(table) = arg(0).and_then(text).map(|(s, _)| s.to_string()) else {
            return;
        };
        let body = match arg(1).map(|a| &a.kind) {
            Some(ExprKind::Lambda { params, body }) => params.first().map(|p| (p.as_str(), body)),
            _ => None,
        };
        if n.create_table.matches(m) {
            if let Some((t, body)) = body {
                self.create_table(table, m.ends_with("if_not_exists"), t, body, at);
            }
        } else if n.change_table.matches(m) {
            if let Some((t, body)) = body {
                self.change_table(&table, t, body, at);
            }
        } else if n.drop_table.matches(m) && args.len() == 1 {
            self.ops.push(SchemaOp::DropTable { table, at });
        } else if n.rename_table.matches(m)
            && let Some((to, _)) = arg(1).and_then(text)
        {
            self.ops.push(SchemaOp::RenameTable {
                from: table,
                to: to.to_string(),
                at,
            });
        }
    }

    /// The `t.<op>(args)` calls of a table closure, with their spans.
    fn table_calls<'e>(
        t: &str,
        body: &'e [archlint_model::Stmt],
    ) -> Vec<(&'e str, &'e [archlint_model::Arg], Span)> {
        let mut out = Vec::new();
        for s in body {
            let (StmtKind::Expr(e) | StmtKind::Return(e)) = &s.kind else {
                continue;
            };
            if let Some((f, args)) = e.as_call()
                && let ExprKind::Attr(recv, m) = &f.kind
                && matches!(&recv.kind, ExprKind::Name(x) if x == t)
            {
                out.push((m.as_str(), args, e.span));
            }
        }
        out
    }

    fn create_table(
        &mut self,
        table: String,
        if_not_exists: bool,
        t: &str,
        body: &[archlint_model::Stmt],
        at: Location,
    ) {
        let (mut columns, mut indexes, mut fks) = (Vec::new(), Vec::new(), Vec::new());
        let mut partial = false;
        for (m, args, span) in Self::table_calls(t, body) {
            let n = self.n;
            let here = self.loc(span);
            if n.add_column.matches(m) {
                match self.column(args, here) {
                    Some((c, ix, fk)) => {
                        indexes.extend(ix);
                        fks.extend(fk);
                        columns.push(c);
                    }
                    None => partial = true,
                }
            } else if n.add_index.matches(m) {
                match self.index(args, here) {
                    Some(i) => indexes.push(i),
                    None => partial = true,
                }
            } else if n.add_foreign_key.matches(m) {
                match foreign_key(args, here) {
                    Some(fk) => fks.push(fk),
                    None => partial = true,
                }
            } else if n.inject.matches(m) {
                // One column's SQL: read as the only column of a table.
                let Some((frag, lit)) = args.first().and_then(|a| text(&a.value)) else {
                    partial = true;
                    continue;
                };
                let sql = format!("CREATE TABLE {table} (\n{frag}\n)");
                let ops = schema_in_literal(&sql, lit, self.path, self.cx.dialect);
                match ops.into_iter().next() {
                    Some(SchemaOp::CreateTable {
                        columns: c,
                        indexes: i,
                        foreign_keys: f,
                        partial: false,
                        ..
                    }) => {
                        let fix = |mut l: Location| {
                            l.span = span;
                            l
                        };
                        columns.extend(c.into_iter().map(|mut c| {
                            c.declared_at = fix(c.declared_at);
                            c
                        }));
                        indexes.extend(i.into_iter().map(|mut i| {
                            i.declared_at = fix(i.declared_at);
                            i
                        }));
                        fks.extend(f.into_iter().map(|mut k| {
                            k.declared_at = fix(k.declared_at);
                            k
                        }));
                    }
                    _ => partial = true,
                }
            } else {
                partial = true;
            }
        }
        for fk in &mut fks {
            if let [c] = fk.columns.as_slice()
                && let Some(col) = columns
                    .iter()
                    .find(|x: &&Column| x.name.eq_ignore_ascii_case(c))
            {
                fk.declared_at = col.declared_at.clone();
            }
        }
        self.ops.push(SchemaOp::CreateTable {
            table,
            if_not_exists,
            columns,
            indexes,
            foreign_keys: fks,
            partial,
            at,
        });
    }

    fn change_table(&mut self, table: &str, t: &str, body: &[archlint_model::Stmt], at: Location) {
        let mut understood = true;
        for (m, args, span) in Self::table_calls(t, body) {
            let n = self.n;
            let here = self.loc(span);
            let table = table.to_string();
            let arg = |i: usize| {
                args.get(i)
                    .and_then(|a| text(&a.value))
                    .map(|(s, _)| s.to_string())
            };
            if n.add_column.matches(m) {
                match self.column(args, here) {
                    Some((column, ix, fk)) => {
                        self.ops.push(SchemaOp::AddColumn {
                            table: table.clone(),
                            column,
                            at: at.clone(),
                        });
                        if let Some(i) = ix {
                            self.ops.push(SchemaOp::AddConstraint {
                                table: table.clone(),
                                constraint: Constraint::Index(i),
                                at: at.clone(),
                            });
                        }
                        if let Some(k) = fk {
                            self.ops.push(SchemaOp::AddConstraint {
                                table: table.clone(),
                                constraint: Constraint::ForeignKey(k),
                                at: at.clone(),
                            });
                        }
                    }
                    None => understood = false,
                }
            } else if n.add_index.matches(m) {
                match self.index(args, here) {
                    Some(index) => self.ops.push(SchemaOp::CreateIndex {
                        table,
                        index,
                        if_not_exists: false,
                        at: at.clone(),
                    }),
                    None => understood = false,
                }
            } else if n.add_foreign_key.matches(m) {
                match foreign_key(args, here) {
                    Some(k) => self.ops.push(SchemaOp::AddConstraint {
                        table,
                        constraint: Constraint::ForeignKey(k),
                        at: at.clone(),
                    }),
                    None => understood = false,
                }
            } else if n.drop_column.matches(m) {
                match arg(0) {
                    Some(column) => self.ops.push(SchemaOp::DropColumn {
                        table,
                        column,
                        at: at.clone(),
                    }),
                    None => understood = false,
                }
            } else if n.rename_column.matches(m) {
                match (arg(0), arg(1)) {
                    (Some(from), Some(to)) => self.ops.push(SchemaOp::RenameColumn {
                        table,
                        from,
                        to,
                        at: at.clone(),
                    }),
                    _ => understood = false,
                }
            } else {
                understood = false;
            }
        }
        if !understood {
            self.ops.push(SchemaOp::Unparsed {
                table: table.to_string(),
                at,
            });
        }
    }

    /// `t.add_column("name", types::text().nullable(false).unique(true))`:
    /// the column, its primary key/unique/plain index and foreign key.
    fn column(
        &self,
        args: &[archlint_model::Arg],
        at: Location,
    ) -> Option<(Column, Option<Index>, Option<ForeignKey>)> {
        let name = text(&args.first()?.value)?.0.to_string();
        let ty = self.type_def(&args.get(1)?.value)?;
        let column = Column {
            name: name.clone(),
            type_text: ty.type_text,
            nullable: ty.nullable && !ty.primary,
            declared_at: at.clone(),
        };
        let kind = if ty.primary {
            Some(IndexKind::PrimaryKey)
        } else if ty.unique {
            Some(IndexKind::Unique)
        } else if ty.indexed {
            Some(IndexKind::Index)
        } else {
            None
        };
        let index = kind.map(|kind| Index {
            name: None,
            columns: vec![IndexColumn::Column(name.clone())],
            unique: kind != IndexKind::Index,
            partial: false,
            kind,
            method: None,
            declared_at: at.clone(),
        });
        let fk = ty.references.map(|(ref_table, ref_columns)| ForeignKey {
            name: None,
            columns: vec![name],
            ref_table,
            ref_columns,
            implicit_index: None,
            declared_at: at,
        });
        Some((column, index, fk))
    }

    /// `t.add_index("name", types::index(["a", "b"]).unique(true))`.
    fn index(&self, args: &[archlint_model::Arg], at: Location) -> Option<Index> {
        let name = text(&args.first()?.value)?.0.to_string();
        let ty = self.type_def(&args.get(1)?.value)?;
        let columns = ty.index?;
        Some(Index {
            name: Some(name),
            columns: columns.into_iter().map(IndexColumn::Column).collect(),
            unique: ty.unique,
            partial: false,
            kind: if ty.unique {
                IndexKind::Unique
            } else {
                IndexKind::Index
            },
            method: None,
            declared_at: at,
        })
    }

    /// `types::text().nullable(true).unique(true)` and friends. barrel
    /// columns are NOT NULL unless `.nullable(true)`.
    fn type_def(&self, e: &Expr) -> Option<TypeDef> {
        let n = self.n;
        let chain = flatten(e);
        let (segs, args) = path_call(chain.root)?;
        let (&ty, _) = segs.split_last()?;
        let mut def = TypeDef {
            type_text: ty.to_string(),
            nullable: false,
            primary: n.primary_type.matches(ty),
            unique: false,
            indexed: false,
            references: None,
            index: None,
        };
        if n.foreign_type.matches(ty) {
            let table = text(first_arg(args)?)?.0.to_string();
            let cols = args
                .get(1)
                .and_then(|a| names_of(&a.value))
                .unwrap_or_default();
            def.references = Some((table, cols));
        } else if n.index_type.matches(ty) {
            def.index = Some(names_of(first_arg(args)?)?);
        }
        for l in &chain.links {
            let on = !matches!(l.arg(0).map(|a| &a.kind), Some(ExprKind::Bool(false)));
            if n.nullable.matches(l.method) {
                def.nullable = on;
            } else if n.primary.matches(l.method) {
                def.primary = on;
            } else if n.unique.matches(l.method) {
                def.unique = on;
            } else if n.indexed.matches(l.method) {
                def.indexed = on;
            }
        }
        Some(def)
    }
}

/// `t.add_foreign_key(&["hash"], "hashes", &["hash"])`.
fn foreign_key(args: &[archlint_model::Arg], at: Location) -> Option<ForeignKey> {
    let columns = names_of(&args.first()?.value)?;
    let ref_table = text(&args.get(1)?.value)?.0.to_string();
    let ref_columns = args
        .get(2)
        .and_then(|a| names_of(&a.value))
        .unwrap_or_default();
    Some(ForeignKey {
        name: None,
        columns,
        ref_table,
        ref_columns,
        implicit_index: None,
        declared_at: at,
    })
}
