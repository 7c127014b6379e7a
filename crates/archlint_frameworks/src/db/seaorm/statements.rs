//! sea-query statement builders read as schema parts: identifiers
//! (`Users::Table` is `users`, `Users::UserId` `user_id`, `Alias::new("x")`
//! `x`), column definitions (`ColumnDef::new(Users::Email).string()
//! .not_null().unique_key()` and the `sea_orm_migration::schema` helpers
//! such as `string_uniq(Users::Email)`), `Index::create()` and
//! `ForeignKey::create()`.
//!
//! An `Iden` enum may rename a variant with `#[iden = "..."]`; attributes on
//! enum variants are not in the facts, so the derived name is assumed (and
//! for `Table`, the `Iden` suffix convention, see [`table_iden`]).

use crate::db::diesel::chain::{Chain, first_arg, flatten, path_call, snake_case};
use crate::db::diesel::knowledge::MigrationNames;
use archlint_model::{Column, Expr, ExprKind, ForeignKey, Index, IndexColumn, IndexKind, Location};

/// An identifier of a table or column, as sea-query derives it.
pub fn iden(e: &Expr) -> Option<String> {
    let mut cur = e;
    for _ in 0..4 {
        match &cur.kind {
            ExprKind::Unary(x) => cur = x,
            ExprKind::Str(s) => return Some(s.clone()),
            ExprKind::Path(p) => {
                let segs: Vec<&str> = p.iter().map(String::as_str).collect();
                return match segs.as_slice() {
                    // An entity used as an identifier: its module names the table.
                    [.., m, "Entity"] => Some((*m).to_string()),
                    [.., e, "Table"] => Some(table_iden(e)),
                    [.., _, v] => Some(snake_case(v)),
                    _ => None,
                };
            }
            ExprKind::Call { .. } => {
                // `Alias::new("users")`, `Alias::new(String::from("users"))`.
                let (segs, args) = path_call(cur)?;
                if segs.ends_with(&["Alias", "new"]) {
                    cur = first_arg(args)?;
                    if let Some((inner, a)) = path_call(cur)
                        && inner.last() == Some(&"from")
                    {
                        cur = first_arg(a)?;
                    }
                } else {
                    return None;
                }
            }
            _ => return None,
        }
    }
    None
}

/// The table an `Iden` enum's `Table` variant names: the enum's name in
/// snake case, without the `Iden` suffix that sea-query's `#[enum_def]`
/// gives the enums it generates for a struct (`UserIden` for table `user`),
/// which hand-written migrations copy with a `#[iden = "user"]` rename.
fn table_iden(enum_name: &str) -> String {
    let base = match enum_name.strip_suffix("Iden") {
        Some(b) if !b.is_empty() => b,
        _ => enum_name,
    };
    snake_case(base)
}

/// Whether the chain starts with `<Type>::<method>()` (`Table::create()`).
pub fn starts_with(chain: &Chain, ty: &str, method: &str) -> bool {
    path_call(chain.root).is_some_and(|(segs, _)| segs.ends_with(&[ty, method]))
}

/// A column definition with the constraints declared on it.
pub struct ColumnDef {
    pub column: Column,
    pub primary_key: bool,
    pub unique: bool,
}

/// `ColumnDef::new(C).type().modifiers()` or a schema helper `string(C)`.
pub fn column_def(n: &MigrationNames, e: &Expr, at: Location) -> Option<ColumnDef> {
    let chain = flatten(e);
    let (segs, args) = path_call(chain.root)?;
    let name = iden(first_arg(args)?)?;
    let mut def = ColumnDef {
        column: Column {
            name,
            type_text: String::new(),
            nullable: true,
            declared_at: at,
        },
        primary_key: false,
        unique: false,
    };
    match segs.as_slice() {
        [.., "ColumnDef", "new" | "new_with_type"] => {}
        [helper] => {
            def.column.type_text = (*helper).to_string();
            def.primary_key = helper.starts_with(n.helper_pk_prefix.as_str());
            def.unique = helper.ends_with(n.helper_unique_suffix.as_str());
            def.column.nullable = helper.ends_with(n.helper_null_suffix.as_str());
        }
        _ => return None,
    }
    for l in &chain.links {
        let m = l.method;
        if n.not_null.matches(m) {
            def.column.nullable = false;
        } else if n.null.matches(m) {
            def.column.nullable = true;
        } else if n.primary_key.matches(m) {
            def.primary_key = true;
        } else if n.unique.matches(m) {
            def.unique = true;
        } else if !n.modifiers.matches(m) && def.column.type_text.is_empty() {
            def.column.type_text = m.to_string();
        }
    }
    if def.primary_key {
        def.column.nullable = false;
    }
    Some(def)
}

/// An index with the table it names (`Index::create().name(..).table(..).col(..)`).
pub struct IndexDef {
    pub table: Option<String>,
    pub index: Index,
    pub if_not_exists: bool,
}

/// `Index::create()...`; `None` when a part is not understood (an
/// expression column): a wrong index is worse than an unknown one.
pub fn index_def(n: &MigrationNames, e: &Expr, at: Location) -> Option<IndexDef> {
    let chain = flatten(e);
    if !starts_with(&chain, "Index", "create") {
        return None;
    }
    let mut def = IndexDef {
        table: None,
        index: Index {
            name: None,
            columns: Vec::new(),
            unique: false,
            partial: false,
            kind: IndexKind::Index,
            method: None,
            declared_at: at,
        },
        if_not_exists: false,
    };
    for l in &chain.links {
        match l.method {
            "name" => def.index.name = l.arg(0).and_then(iden),
            "table" => def.table = Some(iden(l.arg(0)?)?),
            "col" => {
                let c = l.arg(0)?;
                let c = match &c.kind {
                    // `(Users::Email, IndexOrder::Desc)`
                    ExprKind::Tuple(xs) => xs.first()?,
                    _ => c,
                };
                def.index.columns.push(IndexColumn::Column(iden(c)?));
            }
            "unique" => {
                def.index.unique = true;
                def.index.kind = IndexKind::Unique;
            }
            "primary" => {
                def.index.unique = true;
                def.index.kind = IndexKind::PrimaryKey;
            }
            "if_not_exists" => def.if_not_exists = true,
            "full_text" => def.index.method = Some("fulltext".into()),
            "index_type" => {
                def.index.method = l.arg(0).and_then(|t| t.last_name()).map(snake_case);
            }
            "and_where" | "cond_where" => def.index.partial = true,
            m if n.neutral.matches(m) => {}
            _ => return None,
        }
    }
    (!def.index.columns.is_empty()).then_some(def)
}

/// `ForeignKey::create().from(T, C).to(U, D)` (or `from_tbl/from_col/...`),
/// `TableForeignKey::new()...`: the referencing table and the key.
pub fn foreign_key_def(
    n: &MigrationNames,
    e: &Expr,
    at: Location,
) -> Option<(Option<String>, ForeignKey)> {
    let chain = flatten(e);
    if !(starts_with(&chain, "ForeignKey", "create")
        || starts_with(&chain, "TableForeignKey", "new"))
    {
        return None;
    }
    let mut from_table = None;
    let mut fk = ForeignKey {
        name: None,
        columns: Vec::new(),
        ref_table: String::new(),
        ref_columns: Vec::new(),
        implicit_index: None,
        declared_at: at,
    };
    for l in &chain.links {
        match l.method {
            "name" => fk.name = l.arg(0).and_then(iden),
            "from" => {
                from_table = Some(iden(l.arg(0)?)?);
                fk.columns.extend(idens(l.arg(1)?)?);
            }
            "to" => {
                fk.ref_table = iden(l.arg(0)?)?;
                fk.ref_columns.extend(idens(l.arg(1)?)?);
            }
            "from_tbl" => from_table = Some(iden(l.arg(0)?)?),
            "from_col" => fk.columns.push(iden(l.arg(0)?)?),
            "to_tbl" => fk.ref_table = iden(l.arg(0)?)?,
            "to_col" => fk.ref_columns.push(iden(l.arg(0)?)?),
            m if n.neutral.matches(m) => {}
            _ => return None,
        }
    }
    (!fk.columns.is_empty() && !fk.ref_table.is_empty()).then_some((from_table, fk))
}

/// One identifier or a tuple of them (`(Posts::A, Posts::B)`).
fn idens(e: &Expr) -> Option<Vec<String>> {
    match &e.kind {
        ExprKind::Tuple(xs) => xs.iter().map(iden).collect(),
        _ => Some(vec![iden(e)?]),
    }
}

/// The index behind a column's `primary_key()` or `unique_key()`.
pub fn column_index(def: &ColumnDef) -> Option<Index> {
    let kind = if def.primary_key {
        IndexKind::PrimaryKey
    } else if def.unique {
        IndexKind::Unique
    } else {
        return None;
    };
    Some(Index {
        name: None,
        columns: vec![IndexColumn::Column(def.column.name.clone())],
        unique: true,
        partial: false,
        kind,
        method: None,
        declared_at: def.column.declared_at.clone(),
    })
}
