//! A model's table as schema operations: its columns, primary key, unique
//! and `db_index` columns, foreign keys (indexed by Django unless
//! `db_index=False`), `Meta` indexes and constraints, and the through table
//! of each auto-created many-to-many relation.

use super::state::{FieldDef, FieldKind, IndexDef, IndexPart, Options, RelKind, Target};
use archlint_model::{Column, ForeignKey, Index, IndexColumn, IndexKind, Location, SchemaOp};

/// Why Django indexes a foreign key by itself.
const FK_REASON: &str = "django ForeignKey";
const M2M_REASON: &str = "django ManyToManyField";

/// What the table builder needs to know about other models.
pub trait Targets {
    /// The table a relation target lives in.
    fn table(&self, t: &Target) -> Option<String>;
    /// The target model's name (for many-to-many column names).
    fn model_name(&self, t: &Target) -> Option<String>;
}

/// A model to build a table for.
pub struct Spec<'a> {
    pub model: &'a str,
    pub table: String,
    pub fields: &'a [FieldDef],
    pub options: &'a Options,
    pub at: Location,
    /// Fields come from bases we cannot see.
    pub partial: bool,
}

fn index(name: Option<String>, columns: Vec<IndexColumn>, kind: IndexKind, at: &Location) -> Index {
    Index {
        name,
        unique: matches!(kind, IndexKind::PrimaryKey | IndexKind::Unique),
        columns,
        partial: false,
        kind,
        method: None,
        declared_at: at.clone(),
    }
}

/// The column a field name in an index or group stands for.
fn column_of(fields: &[FieldDef], name: &str) -> String {
    fields
        .iter()
        .find(|f| f.name == name)
        .and_then(FieldDef::column)
        .unwrap_or_else(|| name.to_string())
}

fn declared(fields: &[FieldDef], d: &IndexDef, kind: IndexKind) -> Index {
    Index {
        name: d.name.clone(),
        columns: d
            .parts
            .iter()
            .map(|p| match p {
                IndexPart::Field(f) => IndexColumn::Column(column_of(fields, f)),
                IndexPart::Expression(e) => IndexColumn::Expression(e.clone()),
            })
            .collect(),
        unique: d.unique,
        partial: d.partial,
        kind,
        method: d.method.clone(),
        declared_at: d.at.clone(),
    }
}

/// The operations creating a model's table and its many-to-many tables.
pub fn create_table(spec: &Spec, targets: &dyn Targets) -> Vec<SchemaOp> {
    let mut columns = Vec::new();
    let mut indexes = Vec::new();
    let mut foreign_keys = Vec::new();
    let mut extra = Vec::new();
    if !spec.fields.iter().any(|f| f.primary_key) {
        columns.push(Column {
            name: "id".into(),
            type_text: "AutoField".into(),
            nullable: false,
            declared_at: spec.at.clone(),
        });
        indexes.push(index(
            None,
            vec![IndexColumn::Column("id".into())],
            IndexKind::PrimaryKey,
            &spec.at,
        ));
    }
    for f in spec.fields {
        if let FieldKind::Relation(r) = &f.kind
            && r.kind == RelKind::ManyToMany
        {
            if r.through.is_none() {
                extra.extend(through_table(spec, f, targets));
            }
            continue;
        }
        let Some(col) = f.column() else { continue };
        columns.push(Column {
            name: col.clone(),
            type_text: f.type_text.clone(),
            nullable: f.null && !f.primary_key,
            declared_at: f.at.clone(),
        });
        let one = || vec![IndexColumn::Column(col.clone())];
        if f.primary_key {
            indexes.push(index(None, one(), IndexKind::PrimaryKey, &f.at));
        } else if f.unique {
            indexes.push(index(None, one(), IndexKind::Unique, &f.at));
        }
        let relation = f.relation();
        if relation.is_none() && f.db_index == Some(true) && !f.unique && !f.primary_key {
            indexes.push(index(None, one(), IndexKind::Index, &f.at));
        }
        if let Some(r) = relation {
            let indexed = f.db_index != Some(false);
            if r.db_constraint {
                foreign_keys.push(ForeignKey {
                    name: None,
                    columns: vec![col.clone()],
                    ref_table: targets.table(&r.target).unwrap_or_default(),
                    ref_columns: r.to_field.iter().cloned().collect(),
                    implicit_index: indexed.then(|| FK_REASON.to_string()),
                    declared_at: f.at.clone(),
                });
            } else if indexed && !f.unique && !f.primary_key {
                indexes.push(index(
                    None,
                    one(),
                    IndexKind::Implicit(FK_REASON.into()),
                    &f.at,
                ));
            }
        }
    }
    let o = spec.options;
    for d in &o.unique_together {
        indexes.push(declared(spec.fields, d, IndexKind::Unique));
    }
    for d in &o.index_together {
        indexes.push(declared(spec.fields, d, IndexKind::Index));
    }
    for d in &o.indexes {
        indexes.push(declared(spec.fields, d, IndexKind::Index));
    }
    for d in &o.constraints {
        indexes.push(declared(spec.fields, d, IndexKind::Unique));
    }
    let mut ops = vec![SchemaOp::CreateTable {
        table: spec.table.clone(),
        if_not_exists: false,
        columns,
        indexes,
        foreign_keys,
        partial: spec.partial || o.unreadable,
        at: spec.at.clone(),
    }];
    ops.extend(extra);
    ops
}

/// The table Django creates for a many-to-many field without `through=`:
/// `<table>_<field>` with `id`, two indexed foreign keys and a unique pair.
fn through_table(spec: &Spec, f: &FieldDef, targets: &dyn Targets) -> Option<SchemaOp> {
    let r = f.relation()?;
    let target_name = targets.model_name(&r.target)?.to_lowercase();
    let own = spec.model.to_lowercase();
    let (a, b) = if target_name == own {
        (format!("from_{own}_id"), format!("to_{own}_id"))
    } else {
        (format!("{own}_id"), format!("{target_name}_id"))
    };
    let table = r
        .m2m_table
        .clone()
        .unwrap_or_else(|| format!("{}_{}", spec.table, f.name));
    let at = &f.at;
    let col = |name: &str| Column {
        name: name.to_string(),
        type_text: String::new(),
        nullable: false,
        declared_at: at.clone(),
    };
    let fk = |c: &str, to: Option<String>| ForeignKey {
        name: None,
        columns: vec![c.to_string()],
        ref_table: to.unwrap_or_default(),
        ref_columns: Vec::new(),
        implicit_index: Some(M2M_REASON.into()),
        declared_at: at.clone(),
    };
    Some(SchemaOp::CreateTable {
        table: table.clone(),
        if_not_exists: false,
        columns: vec![col("id"), col(&a), col(&b)],
        indexes: vec![
            index(
                None,
                vec![IndexColumn::Column("id".into())],
                IndexKind::PrimaryKey,
                at,
            ),
            index(
                None,
                vec![
                    IndexColumn::Column(a.clone()),
                    IndexColumn::Column(b.clone()),
                ],
                IndexKind::Unique,
                at,
            ),
        ],
        foreign_keys: vec![
            fk(&a, Some(spec.table.clone())),
            fk(&b, targets.table(&r.target)),
        ],
        partial: false,
        at: at.clone(),
    })
}
