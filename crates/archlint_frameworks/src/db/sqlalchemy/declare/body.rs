//! Reading a class body: `__tablename__`, `__table__`, `__abstract__`,
//! `__table_args__`, class-level `Index(...)`, columns (`Column`,
//! `mapped_column`, `name: Mapped[X]` alone) with their `Mapped[...]` type and
//! nullability, and relationship attributes.

use super::super::columns::{ColumnSpec, FkTarget, column_spec};
use super::super::models::ColumnDecl;
use super::super::values::{call_in, kw_bool, split_column_ref, str_value};
use super::{Body, Builder};
use archlint_model::ArgsExt;
use archlint_model::{ClassRef, Expr, ExprKind, StmtKind};

impl<'p> Builder<'_, 'p> {
    /// Whether the class body declares columns with SQLAlchemy's own
    /// `Column`/`mapped_column` (`sa.Column`, `db.Column`, imported names).
    pub(super) fn sqlalchemy_columns(&self, c: ClassRef) -> bool {
        let Some(class) = self.project().class(c) else {
            return false;
        };
        class.body.iter().any(|s| match &s.kind {
            StmtKind::Assign { value, .. } => match &value.kind {
                ExprKind::Call { func, .. } => {
                    func.last_name()
                        .is_some_and(|n| self.n.models.columns.matches(n))
                        && (super::super::values::from_sqlalchemy(self.index, self.n, c.file, func)
                            || matches!(&func.kind, ExprKind::Attr(recv, _)
                                if self.is_extension(c.file, recv)))
                }
                _ => false,
            },
            _ => false,
        })
    }

    /// Reads the statements of a class body; `sqlmodel` reads SQLModel
    /// fields (every annotated attribute) as columns.
    pub(super) fn read_body(&self, c: ClassRef, sqlmodel: bool) -> Body<'p> {
        let mut out = Body::default();
        let Some(class) = self.project().class(c) else {
            return out;
        };
        let m = &self.n.models;
        for s in &class.body {
            if let StmtKind::Assign { value: v, .. } | StmtKind::Expr(v) = &s.kind
                && call_in(v, &m.indexes).is_some()
            {
                out.indexes.push(v);
                continue;
            }
            let StmtKind::Assign {
                targets,
                value,
                annotation,
                ..
            } = &s.kind
            else {
                continue;
            };
            let [target] = targets.as_slice() else {
                continue;
            };
            let ExprKind::Name(attr) = &target.kind else {
                continue;
            };
            match attr.as_str() {
                "__tablename__" => {
                    out.tablename = Some(str_value(self.index, c.file, value));
                    continue;
                }
                "__table__" => {
                    out.table_expr = Some(value);
                    continue;
                }
                "__abstract__" => {
                    out.abstract_ = matches!(value.kind, ExprKind::Bool(true));
                    continue;
                }
                "__table_args__" => {
                    out.table_args = Some(value);
                    continue;
                }
                _ => {}
            }
            if sqlmodel {
                if let Some(ann) = annotation {
                    self.sqlmodel_field(c, s, attr, value, ann, &mut out);
                }
                continue;
            }
            if let Some(mut spec) = column_spec(m, self.index, c.file, value) {
                // 2.0: the `Mapped[...]` annotation gives the type and nullability.
                if let Some(inner) = annotation.as_ref().and_then(|a| self.mapped_inner(a)) {
                    if spec.type_text.is_empty() {
                        spec.type_text = super::super::values::type_text(inner);
                    }
                    if spec.nullable.is_none() {
                        spec.nullable = Some(optional(inner));
                    }
                }
                out.columns.push(ColumnDecl {
                    column: spec.name.clone().unwrap_or_else(|| attr.clone()),
                    attr: attr.clone(),
                    spec,
                    file: c.file,
                    at: s.span,
                });
                continue;
            }
            if let ExprKind::Call { func, args } = &value.kind
                && func.last_name().is_some_and(|n| m.relationships.matches(n))
            {
                out.rels.push((attr.clone(), args, annotation.as_deref()));
                continue;
            }
            // 2.0: `name: Mapped[str]` alone declares a column.
            if matches!(&value.kind, ExprKind::Other(xs) if xs.is_empty())
                && let Some(ann) = annotation
                && self.mapped_column_annotation(ann)
            {
                out.columns.push(ColumnDecl {
                    attr: attr.clone(),
                    column: attr.clone(),
                    spec: match self.mapped_inner(ann) {
                        Some(inner) => ColumnSpec {
                            type_text: super::super::values::type_text(inner),
                            nullable: Some(optional(inner)),
                            ..Default::default()
                        },
                        None => ColumnSpec::default(),
                    },
                    file: c.file,
                    at: s.span,
                });
            }
        }
        out
    }

    /// `Mapped[X]` where X is a plain type, not a related class (which
    /// would need `relationship()`).
    pub(super) fn mapped_column_annotation(&self, ann: &Expr) -> bool {
        let ExprKind::Subscript(head, _) = &ann.kind else {
            return false;
        };
        head.last_name()
            .is_some_and(|n| self.n.models.mapped.matches(n))
            && mapped_target(ann).is_none()
    }

    /// A SQLModel attribute: a relationship (`Relationship(...)`), or a
    /// column (`Field(...)` options, `sa_column=Column(...)`, or a default).
    fn sqlmodel_field(
        &self,
        c: ClassRef,
        s: &'p archlint_model::Stmt,
        attr: &str,
        value: &'p Expr,
        ann: &'p Expr,
        out: &mut Body<'p>,
    ) {
        let m = &self.n.models;
        if attr.starts_with('_') || ann.last_name() == Some("ClassVar") {
            return;
        }
        if let ExprKind::Subscript(head, _) = &ann.kind
            && head.last_name() == Some("ClassVar")
        {
            return;
        }
        if let ExprKind::Call { func, args } = &value.kind
            && func.last_name().is_some_and(|n| m.relationships.matches(n))
        {
            out.rels.push((attr.to_string(), args, Some(ann)));
            return;
        }
        let mut spec = ColumnSpec::default();
        if let Some(args) = call_in(value, &m.fields) {
            if let Some(col) = args
                .keyword("sa_column")
                .and_then(|sa| column_spec(m, self.index, c.file, sa))
            {
                spec = col;
            } else {
                spec.primary_key = kw_bool(args, "primary_key").unwrap_or(false);
                spec.index = kw_bool(args, "index").unwrap_or(false);
                spec.unique = kw_bool(args, "unique").unwrap_or(false);
                spec.nullable = kw_bool(args, "nullable");
                if let Some((t, col)) = args
                    .keyword("foreign_key")
                    .and_then(|f| str_value(self.index, c.file, f))
                    .and_then(|f| split_column_ref(&f))
                {
                    spec.fks.push(FkTarget::Text(t, col));
                }
            }
        }
        if spec.type_text.is_empty() {
            spec.type_text = super::super::values::type_text(ann);
        }
        if spec.nullable.is_none() {
            spec.nullable = Some(optional(ann));
        }
        out.columns.push(ColumnDecl {
            column: spec.name.clone().unwrap_or_else(|| attr.to_string()),
            attr: attr.to_string(),
            spec,
            file: c.file,
            at: s.span,
        });
    }

    /// `X` of a `Mapped[X]` annotation.
    pub(super) fn mapped_inner<'e>(&self, ann: &'e Expr) -> Option<&'e Expr> {
        let ExprKind::Subscript(head, idx) = &ann.kind else {
            return None;
        };
        if !head
            .last_name()
            .is_some_and(|n| self.n.models.mapped.matches(n))
        {
            return None;
        }
        idx.first()
    }
}

/// Whether a mapped type admits `None`: `Optional[X]`, `X | None`, `Union[X, None]`.
fn optional(t: &Expr) -> bool {
    match &t.kind {
        ExprKind::Subscript(head, idx) => match head.last_name() {
            Some("Optional") => true,
            Some("Union") => idx.iter().any(|x| matches!(x.kind, ExprKind::NoneLit)),
            _ => false,
        },
        ExprKind::Binary(_, l, r) => {
            matches!(l.kind, ExprKind::NoneLit) || matches!(r.kind, ExprKind::NoneLit)
        }
        ExprKind::Str(s) => s.contains("None") || s.starts_with("Optional["),
        _ => false,
    }
}

/// The related class of a `Mapped[...]` annotation.
pub enum MappedTarget<'e> {
    /// A forward reference (`"User"`).
    Name(String),
    /// A class expression inside a collection (`list[Order]`).
    Expr(&'e Expr),
}

/// The related class named in a `Mapped[...]` annotation: `Mapped["User"]`,
/// `Mapped[list["Order"]]`, `Mapped[Optional["User"]]`, `Mapped[List[Order]]`.
/// `None` for plain types (`Mapped[int]`, `Mapped[Optional[str]]`,
/// `Mapped[str | None]`).
pub fn mapped_target(ann: &Expr) -> Option<MappedTarget<'_>> {
    let ExprKind::Subscript(_, idx) = &ann.kind else {
        return None;
    };
    target_in(idx.first()?, false)
}

/// The related class of a SQLModel relationship's annotation: `Team | None`,
/// `Optional["Team"]`, `list["Hero"]`, `"Team"`, `Team`.
pub fn annotation_target(ann: &Expr) -> Option<MappedTarget<'_>> {
    let mut cur = ann;
    for _ in 0..4 {
        match &cur.kind {
            // `Team | None`
            ExprKind::Binary(_, l, r) => {
                cur = if matches!(l.kind, ExprKind::NoneLit) {
                    r
                } else {
                    l
                };
            }
            _ => break,
        }
    }
    target_in(cur, true)
}

/// The class named inside a type: a forward reference, or a class inside a
/// collection (any class when `bare` allows it).
fn target_in(start: &Expr, bare: bool) -> Option<MappedTarget<'_>> {
    let mut cur = start;
    let mut collection = bare;
    for _ in 0..4 {
        match &cur.kind {
            ExprKind::Str(s) => {
                let s = s.trim();
                let first = s.split('|').next().unwrap_or(s).trim();
                let name = first
                    .trim_start_matches("Optional[")
                    .trim_start_matches("List[")
                    .trim_start_matches("list[")
                    .trim_start_matches("Set[")
                    .trim_start_matches("set[")
                    .trim_end_matches(']')
                    .trim_matches(|c| c == '"' || c == '\'');
                return name
                    .chars()
                    .next()
                    .is_some_and(char::is_uppercase)
                    .then(|| MappedTarget::Name(name.to_string()));
            }
            ExprKind::Subscript(head, inner) => {
                let h = head.last_name()?;
                match h {
                    "List" | "list" | "Set" | "set" | "Sequence" | "WriteOnlyMapped"
                    | "DynamicMapped" => collection = true,
                    "Optional" | "Mapped" => {}
                    _ => return None,
                }
                cur = inner.first()?;
            }
            ExprKind::Name(_) | ExprKind::Attr(..) if collection => {
                return Some(MappedTarget::Expr(cur));
            }
            _ => return None,
        }
    }
    None
}
