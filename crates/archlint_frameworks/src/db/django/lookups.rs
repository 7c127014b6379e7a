//! Django field lookups (`email__iexact`, `customer__id`, `items__sku__in`,
//! `created__year__gte`) as column uses: the column compared, how, and the
//! joins a lookup through relations adds. `customer=x`, `customer_id=x` and
//! `customer__id=x` compare the `customer_id` column itself (Django does not
//! join for the target's primary key).

use super::knowledge::names;
use super::models::{ModelId, Models};
use super::state::{FieldDef, FieldKind, RelKind};
use archlint_model::{ColumnOp, ColumnUse, Expr, ExprKind, TableRef};

/// Bound on the relations one lookup may cross.
const MAX_HOPS: usize = 8;

/// What one lookup adds to a query's shape.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Lookup {
    pub filter: Option<ColumnUse>,
    pub joins: Vec<(ColumnUse, ColumnUse)>,
    pub tables: Vec<TableRef>,
}

/// A lookup that could not be read: the field is not known.
#[derive(Debug, PartialEq, Eq)]
pub struct Unknown;

/// How a condition is written around the lookup.
#[derive(Clone, Copy, Debug, Default)]
pub struct Context {
    /// Under `exclude()` or `~Q(...)`.
    pub negated: bool,
    /// Inside a combination of `Q` objects that may be an OR.
    pub in_or: bool,
}

fn col(table: &str, column: &str, op: ColumnOp) -> ColumnUse {
    ColumnUse::new(Some(table), column, op)
}

struct Walk<'m> {
    models: &'m Models,
    out: Lookup,
}

impl Walk<'_> {
    fn join(&mut self, a: (&str, &str), b: (&str, &str)) {
        self.out
            .joins
            .push((col(a.0, a.1, ColumnOp::Eq), col(b.0, b.1, ColumnOp::Eq)));
        if !self.out.tables.iter().any(|t| t.name == b.0) {
            self.out.tables.push(TableRef {
                name: b.0.to_string(),
                alias: None,
            });
        }
    }

    /// The field `name` of `model`, or of a multi-table parent (joining it).
    fn field(&mut self, model: ModelId, name: &str) -> Option<(ModelId, &FieldDef)> {
        let models = self.models;
        let mut cur = models.concrete(model);
        for _ in 0..MAX_HOPS {
            let m = models.list.get(cur)?;
            if let Some(f) = m.field(name) {
                return Some((cur, f));
            }
            let &parent = m.parents.first()?;
            let (t, pk) = (models.table(cur), models.pk_column(cur));
            let (pt, ppk) = (models.table(parent), models.pk_column(parent));
            self.join((&t, &pk), (&pt, &ppk));
            cur = parent;
        }
        None
    }
}

/// Whether `rest` ends a lookup path on a relation at the target's key
/// (`customer`, `customer__id`, `customer__pk`, `customer__in`).
fn at_key(models: &Models, target: Option<ModelId>, rest: &[&str]) -> bool {
    let lookups = &names().lookups;
    match rest.first() {
        None => true,
        Some(p) if lookups.is_known(p) => true,
        Some(p) => {
            let is_pk = *p == "pk"
                || match target.and_then(|t| models.pk_field(t)) {
                    Some(f) => f.name == *p,
                    // The implicit `id` (also when the target is outside the project).
                    None => *p == "id",
                };
            is_pk && rest.get(1).is_none_or(|q| lookups.is_known(q))
        }
    }
}

/// Resolves `key = value` on `model` (whose table is `table`).
pub fn lookup(
    models: &Models,
    model: ModelId,
    key: &str,
    value: &Expr,
    cx: Context,
) -> Result<Lookup, Unknown> {
    let parts: Vec<&str> = key.split("__").collect();
    let mut w = Walk {
        models,
        out: Lookup::default(),
    };
    let mut cur = model;
    let mut i = 0;
    for _ in 0..MAX_HOPS {
        let Some(&p) = parts.get(i) else {
            return Err(Unknown);
        };
        let table = models.table(cur);
        let rest = &parts[i + 1..];
        if p == "pk" {
            let pk = models.pk_column(cur);
            return terminal(&mut w, &table, &pk, rest, value, cx);
        }
        if let Some((owner, f)) = w.field(cur, p) {
            let f = f.clone();
            let table = models.table(owner);
            match &f.kind {
                FieldKind::Column => {
                    let c = f.column().ok_or(Unknown)?;
                    return terminal(&mut w, &table, &c, rest, value, cx);
                }
                FieldKind::Virtual => return Err(Unknown),
                FieldKind::Relation(r) => {
                    let target = models.resolve(owner, &r.target);
                    if r.kind == RelKind::ManyToMany {
                        let t = target.ok_or(Unknown)?;
                        let through = m2m_through(models, owner, &f, t).ok_or(Unknown)?;
                        let own_pk = models.pk_column(owner);
                        w.join((&table, &own_pk), (&through.0, &through.1));
                        if at_key(models, Some(t), rest) {
                            let rest = skip_key(rest);
                            return terminal(&mut w, &through.0, &through.2, rest, value, cx);
                        }
                        let (tt, tpk) = (models.table(t), models.pk_column(t));
                        w.join((&through.0, &through.2), (&tt, &tpk));
                        cur = t;
                        i += 1;
                        continue;
                    }
                    let c = f.column().ok_or(Unknown)?;
                    if r.to_field.is_none() && at_key(models, target, rest) {
                        return terminal(&mut w, &table, &c, skip_key(rest), value, cx);
                    }
                    let t = target.ok_or(Unknown)?;
                    let tt = models.table(t);
                    let tcol = match &r.to_field {
                        Some(tf) => models
                            .list
                            .get(t)
                            .and_then(|m| m.field(tf))
                            .and_then(FieldDef::column)
                            .unwrap_or_else(|| tf.clone()),
                        None => models.pk_column(t),
                    };
                    w.join((&table, &c), (&tt, &tcol));
                    cur = t;
                    i += 1;
                    continue;
                }
            }
        }
        // `customer_id`: the attribute name of a relation.
        if let Some(base) = p.strip_suffix("_id")
            && let Some((owner, f)) = w.field(cur, base)
            && f.is_single_relation()
        {
            let c = f.column().ok_or(Unknown)?;
            let table = models.table(owner);
            return terminal(&mut w, &table, &c, rest, value, cx);
        }
        if let Some(rev) = models.reverse_of(cur, p, true).cloned() {
            let from = models.list.get(rev.from).ok_or(Unknown)?;
            let f = from.fields.get(rev.field).ok_or(Unknown)?.clone();
            let pk = models.pk_column(cur);
            let ft = models.table(rev.from);
            if rev.kind == RelKind::ManyToMany {
                let through = m2m_through(models, rev.from, &f, cur).ok_or(Unknown)?;
                w.join((&table, &pk), (&through.0, &through.2));
                if at_key(models, Some(rev.from), rest) {
                    return terminal(&mut w, &through.0, &through.1, skip_key(rest), value, cx);
                }
                let fpk = models.pk_column(rev.from);
                w.join((&through.0, &through.1), (&ft, &fpk));
            } else {
                let fc = f.column().ok_or(Unknown)?;
                w.join((&table, &pk), (&ft, &fc));
                if at_key(models, Some(rev.from), rest) {
                    let fpk = models.pk_column(rev.from);
                    return terminal(&mut w, &ft, &fpk, skip_key(rest), value, cx);
                }
            }
            cur = rev.from;
            i += 1;
            continue;
        }
        return Err(Unknown);
    }
    Err(Unknown)
}

/// `rest` without a leading `id`/`pk` (already folded into the key column).
fn skip_key<'a, 'b>(rest: &'a [&'b str]) -> &'a [&'b str] {
    match rest.first() {
        Some(&p) if !names().lookups.is_known(p) => &rest[1..],
        _ => rest,
    }
}

/// The through table of a many-to-many field `f` declared on `owner` towards
/// `target`: (table, owner's column, target's column). `None` with `through=`.
fn m2m_through(
    models: &Models,
    owner: ModelId,
    f: &FieldDef,
    target: ModelId,
) -> Option<(String, String, String)> {
    let r = f.relation()?;
    if r.through.is_some() {
        return None;
    }
    let own = models.list.get(owner)?.name.to_lowercase();
    let other = models.list.get(target)?.name.to_lowercase();
    let table = r
        .m2m_table
        .clone()
        .unwrap_or_else(|| format!("{}_{}", models.table(owner), f.name));
    Some(if own == other {
        (table, format!("from_{own}_id"), format!("to_{own}_id"))
    } else {
        (table, format!("{own}_id"), format!("{other}_id"))
    })
}

/// The comparison at the end of a lookup path: transforms then a lookup.
fn terminal(
    w: &mut Walk,
    table: &str,
    column: &str,
    rest: &[&str],
    value: &Expr,
    cx: Context,
) -> Result<Lookup, Unknown> {
    let l = &names().lookups;
    let (lookup, transforms) = match rest.split_last() {
        Some((last, before))
            if l.is_known(last)
                && !l.transforms.matches(last)
                && !l.range_transforms.matches(last) =>
        {
            (*last, before)
        }
        _ => ("exact", rest),
    };
    let mut expr: Option<String> = None;
    let mut ranged = false;
    for t in transforms {
        if l.range_transforms.matches(t) && expr.is_none() && !ranged {
            // `created__year=2024` is `created BETWEEN ...`: the column itself.
            ranged = true;
        } else {
            // Transforms Django knows and JSON keys alike wrap the column.
            let inner = expr.take().unwrap_or_else(|| column.to_string());
            expr = Some(format!("{t}({inner})"));
        }
    }
    let is_none = matches!(value.kind, ExprKind::NoneLit);
    let mut op = if l.eq.matches(lookup) {
        if is_none {
            ColumnOp::IsNull
        } else {
            ColumnOp::Eq
        }
    } else if l.eq_upper.matches(lookup) {
        expr = Some(format!("upper({})", expr.as_deref().unwrap_or(column)));
        ColumnOp::Eq
    } else if l.in_.matches(lookup) {
        ColumnOp::In
    } else if l.range.matches(lookup) {
        ColumnOp::Range
    } else if l.is_null.matches(lookup) {
        match value.kind {
            ExprKind::Bool(true) => ColumnOp::IsNull,
            _ => ColumnOp::Other,
        }
    } else if l.like.matches(lookup) {
        ColumnOp::Like
    } else if l.like_upper.matches(lookup) {
        expr = Some(format!("upper({})", expr.as_deref().unwrap_or(column)));
        ColumnOp::Like
    } else {
        ColumnOp::Other
    };
    if ranged && op == ColumnOp::Eq {
        op = ColumnOp::Range;
    }
    // `field=F("other")`: compared with another column of the same row.
    if value.as_call().and_then(|(f, _)| f.last_name()) == Some("F") || cx.negated {
        op = ColumnOp::Other;
    }
    let mut out = std::mem::take(&mut w.out);
    out.filter = Some(ColumnUse {
        table: Some(table.to_string()),
        column: column.to_string(),
        op,
        expr,
        in_or: cx.in_or,
    });
    Ok(out)
}
