//! Model fields from their declaration: `models.ForeignKey(Customer,
//! on_delete=..., db_index=False)` in a model body or a migration's
//! `("customer", models.ForeignKey(..., to="shop.customer"))`.

use super::knowledge::names;
use super::state::{FieldDef, FieldKind, RelKind, Relation, Target};
use crate::routes::short;
use archlint_model::{ArgsExt, Expr, ExprKind, Location, ProjectIndex, Symbol};

/// Bound on project classes followed to classify a custom field class.
const MAX_FIELD_BASES: usize = 8;

/// What a field class is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Class {
    Column,
    Relation(RelKind),
    Virtual,
}

/// Classifies a field class by its last name (`ForeignKey`, `CharField`).
fn by_name(name: &str) -> Option<Class> {
    let f = &names().fields;
    if f.foreign_key.matches(name) {
        Some(Class::Relation(RelKind::ForeignKey))
    } else if f.one_to_one.matches(name) {
        Some(Class::Relation(RelKind::OneToOne))
    } else if f.many_to_many.matches(name) {
        Some(Class::Relation(RelKind::ManyToMany))
    } else if f.virtual_.matches(name) {
        Some(Class::Virtual)
    } else if name.ends_with("Field") {
        Some(Class::Column)
    } else {
        None
    }
}

/// Classifies a field class expression, following project subclasses
/// (`class MoneyAmount(models.DecimalField)`) a bounded number of steps.
fn classify(index: &ProjectIndex, file: u32, callee: &Expr) -> Option<Class> {
    let name = callee.last_name()?;
    if let Some(c) = by_name(name) {
        return Some(c);
    }
    let Some(Symbol::Class(mut c)) = index.resolve_expr(file, callee) else {
        return None;
    };
    for _ in 0..MAX_FIELD_BASES {
        let cls = index.project.class(c)?;
        let base = cls.bases.iter().find(|a| a.name.is_none())?;
        if let Some(k) = base.value.last_name().and_then(by_name) {
            return Some(k);
        }
        match index.resolve_expr(c.file, &base.value) {
            Some(Symbol::Class(b)) => c = b,
            _ => return None,
        }
    }
    None
}

/// A literal boolean keyword argument: `Some(value)`, `None` when absent,
/// `Some(default_unknown)` when present but not a literal.
fn flag(args: &[archlint_model::Arg], key: &str, unknown: bool) -> Option<bool> {
    let v = args.keyword(key)?;
    Some(match &v.kind {
        ExprKind::Bool(b) => *b,
        _ => unknown,
    })
}

/// The model a relation's `to` expression names.
pub fn target(index: &ProjectIndex, file: u32, e: &Expr) -> Target {
    match &e.kind {
        ExprKind::Str(s) if s == "self" => Target::SelfModel,
        ExprKind::Str(s) => match s.rsplit_once('.') {
            Some((app, model)) => Target::Label {
                app: Some(app.to_lowercase()),
                model: model.to_string(),
            },
            None => Target::Label {
                app: None,
                model: s.clone(),
            },
        },
        ExprKind::Call { func, .. } if func.last_name() == Some("get_user_model") => {
            Target::AuthUser
        }
        ExprKind::Name(n) | ExprKind::Attr(_, n) if n == "AUTH_USER_MODEL" => Target::AuthUser,
        ExprKind::Name(_) | ExprKind::Attr(..) => match index.resolve_expr(file, e) {
            Some(Symbol::Class(c)) => Target::Class(c),
            _ => Target::Unknown,
        },
        _ => Target::Unknown,
    }
}

/// A field from its declaring call, or `None` when the call is not a field
/// (a manager, a constant).
pub fn field_def(
    index: &ProjectIndex,
    file: u32,
    name: &str,
    call: &Expr,
    at: Location,
) -> Option<FieldDef> {
    let (callee, args) = call.as_call()?;
    let class = classify(index, file, callee)?;
    let kind = match class {
        Class::Column => FieldKind::Column,
        Class::Virtual => FieldKind::Virtual,
        Class::Relation(kind) => {
            let to = args.positional(0).or_else(|| args.keyword("to"));
            let text = |k: &str| args.keyword(k).and_then(Expr::as_str).map(str::to_string);
            FieldKind::Relation(Relation {
                kind,
                target: to.map_or(Target::Unknown, |t| target(index, file, t)),
                to_field: text("to_field"),
                related_name: text("related_name"),
                related_query_name: text("related_query_name"),
                through: args.keyword("through").map(|t| target(index, file, t)),
                m2m_table: if kind == RelKind::ManyToMany {
                    text("db_table")
                } else {
                    None
                },
                db_constraint: flag(args, "db_constraint", true).unwrap_or(true),
                parent_link: flag(args, "parent_link", false).unwrap_or(false),
            })
        }
    };
    let is_m2m = matches!(class, Class::Relation(RelKind::ManyToMany));
    // A flag we cannot read counts as set: it can only make us quieter.
    Some(FieldDef {
        name: name.to_string(),
        // `(choices)` marks a column limited to a few values.
        type_text: if args.keyword("choices").is_some() {
            format!("{}(choices)", short(callee))
        } else {
            short(callee)
        },
        db_column: args
            .keyword("db_column")
            .and_then(Expr::as_str)
            .map(str::to_string),
        null: flag(args, "null", true).unwrap_or(false),
        primary_key: flag(args, "primary_key", false).unwrap_or(false),
        unique: flag(args, "unique", true).unwrap_or(false)
            || matches!(class, Class::Relation(RelKind::OneToOne)),
        db_index: if is_m2m {
            None
        } else {
            flag(args, "db_index", true)
        },
        kind,
        at,
    })
}
