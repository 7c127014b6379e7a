//! Applying one [`SchemaOp`] to the merged [`Schema`]. Every operation is
//! tolerant: migrations are read out of context (a table may come from a
//! Django model and its index from a `.sql` file), so an unknown target makes
//! a `partial` table or is ignored, never an error.
//!
//! Unnamed constraints and indexes get PostgreSQL's default names when a
//! later `DROP` names them (`users_pkey`, `users_email_key`,
//! `orders_user_id_fkey`, `users_email_idx`).

use super::{
    Column, Constraint, ForeignKey, Index, IndexColumn, IndexKind, Schema, SchemaOp, Table,
    table_key,
};
use crate::finding::Location;

pub(super) fn apply(schema: &mut Schema, op: &SchemaOp) {
    match op {
        SchemaOp::CreateTable {
            table,
            if_not_exists,
            columns,
            indexes,
            foreign_keys,
            partial,
            at,
        } => {
            let key = table_key(table);
            let t = match schema.tables.get_mut(&key) {
                // `IF NOT EXISTS` on a table already fully known is a no-op.
                Some(existing) if *if_not_exists && !existing.partial => return,
                Some(existing) => {
                    // A second full definition (a dump beside the migrations, or
                    // a table first seen through ALTER TABLE): union, so nothing
                    // known is lost.
                    existing.partial = existing.partial && *partial;
                    existing
                }
                None => schema.tables.entry(key).or_insert_with(|| Table {
                    name: table.clone(),
                    declared_at: at.clone(),
                    columns: Vec::new(),
                    primary_key: Vec::new(),
                    indexes: Vec::new(),
                    foreign_keys: Vec::new(),
                    partial: *partial,
                }),
            };
            for c in columns {
                add_column(t, c);
            }
            for i in indexes {
                add_index(t, i.clone());
            }
            for fk in foreign_keys {
                add_foreign_key(t, fk);
            }
        }
        SchemaOp::DropTable { table, .. } => drop_table(schema, table),
        SchemaOp::RenameTable { from, to, .. } => rename_table(schema, from, to),
        SchemaOp::AddColumn { table, column, at } => {
            add_column(table_or_partial(schema, table, at), column);
        }
        SchemaOp::DropColumn { table, column, .. } => {
            if let Some(t) = table_mut(schema, table) {
                drop_column(t, column);
            }
        }
        SchemaOp::RenameColumn {
            table, from, to, ..
        } => {
            if let Some(t) = table_mut(schema, table) {
                rename_column(t, from, to);
            }
        }
        SchemaOp::CreateIndex {
            table, index, at, ..
        } => {
            if let Some(name) = &index.name
                && find_index(schema, name, None).is_some()
            {
                // PostgreSQL refuses a second index of the same name, with or
                // without IF NOT EXISTS: keep the first.
                return;
            }
            add_index(table_or_partial(schema, table, at), index.clone());
        }
        SchemaOp::DropIndex { name, table, .. } => {
            if let Some((key, pos)) = find_index(schema, name, table.as_deref())
                && let Some(t) = schema.tables.get_mut(&key)
            {
                let removed = t.indexes.remove(pos);
                if removed.kind == IndexKind::PrimaryKey {
                    t.primary_key.clear();
                }
            }
        }
        SchemaOp::RenameIndex { from, to, .. } => {
            if let Some((key, pos)) = find_index(schema, from, None)
                && let Some(t) = schema.tables.get_mut(&key)
            {
                t.indexes[pos].name = Some(to.clone());
            }
        }
        SchemaOp::RenameConstraint {
            table, from, to, ..
        } => {
            if let Some(t) = table_mut(schema, table) {
                rename_constraint(t, from, to);
            }
        }
        SchemaOp::AddConstraint {
            table,
            constraint,
            at,
        } => {
            let t = table_or_partial(schema, table, at);
            match constraint {
                Constraint::Index(i) => add_index(t, i.clone()),
                Constraint::ForeignKey(fk) => add_foreign_key(t, fk),
            }
        }
        SchemaOp::DropConstraint { table, name, .. } => {
            if let Some(t) = table_mut(schema, table) {
                drop_constraint(t, name);
            }
        }
        SchemaOp::Unparsed { table, at } => table_or_partial(schema, table, at).partial = true,
        SchemaOp::DropPrimaryKey { table, .. } => {
            if let Some(t) = table_mut(schema, table) {
                t.indexes.retain(|i| i.kind != IndexKind::PrimaryKey);
                t.primary_key.clear();
            }
        }
    }
}

fn table_mut<'a>(schema: &'a mut Schema, name: &str) -> Option<&'a mut Table> {
    let key = resolve_key(schema, name)?;
    schema.tables.get_mut(&key)
}

/// The key under which `name` is stored, with [`Schema::table`]'s fallback
/// for unqualified names.
fn resolve_key(schema: &Schema, name: &str) -> Option<String> {
    let key = table_key(name);
    if schema.tables.contains_key(&key) {
        return Some(key);
    }
    let table = schema.table(name)?;
    Some(table_key(&table.name))
}

fn table_or_partial<'a>(schema: &'a mut Schema, name: &str, at: &Location) -> &'a mut Table {
    let key = resolve_key(schema, name).unwrap_or_else(|| table_key(name));
    schema.tables.entry(key).or_insert_with(|| Table {
        name: name.to_string(),
        declared_at: at.clone(),
        columns: Vec::new(),
        primary_key: Vec::new(),
        indexes: Vec::new(),
        foreign_keys: Vec::new(),
        partial: true,
    })
}

fn add_column(t: &mut Table, c: &Column) {
    if let Some(existing) = t
        .columns
        .iter_mut()
        .find(|e| e.name.eq_ignore_ascii_case(&c.name))
    {
        // A repeated definition refines the type and nullability but keeps
        // the first declaration site.
        existing.type_text.clone_from(&c.type_text);
        existing.nullable = c.nullable && existing.nullable;
    } else {
        t.columns.push(c.clone());
    }
}

fn add_index(t: &mut Table, index: Index) {
    let duplicate = t.indexes.iter().any(|i| {
        i.columns == index.columns
            && i.kind == index.kind
            && i.partial == index.partial
            && names_match(i.name.as_deref(), index.name.as_deref())
    });
    if duplicate {
        return;
    }
    if index.kind == IndexKind::PrimaryKey {
        t.indexes.retain(|i| i.kind != IndexKind::PrimaryKey);
        t.primary_key = index.column_names().map(str::to_string).collect();
        for c in &mut t.columns {
            if t.primary_key
                .iter()
                .any(|p| p.eq_ignore_ascii_case(&c.name))
            {
                c.nullable = false;
            }
        }
    }
    t.indexes.push(index);
}

fn names_match(a: Option<&str>, b: Option<&str>) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => a.eq_ignore_ascii_case(b),
        _ => true,
    }
}

fn add_foreign_key(t: &mut Table, fk: &ForeignKey) {
    let same = |e: &ForeignKey| {
        e.columns.len() == fk.columns.len()
            && e.columns
                .iter()
                .zip(&fk.columns)
                .all(|(a, b)| a.eq_ignore_ascii_case(b))
            && table_key(&e.ref_table) == table_key(&fk.ref_table)
    };
    if !t.foreign_keys.iter().any(same) {
        t.foreign_keys.push(fk.clone());
    }
    if let Some(reason) = &fk.implicit_index
        && !t.indexes.iter().any(|i| i.leads_with(&fk.columns))
    {
        t.indexes.push(Index {
            name: None,
            columns: fk
                .columns
                .iter()
                .cloned()
                .map(IndexColumn::Column)
                .collect(),
            unique: false,
            partial: false,
            kind: IndexKind::Implicit(reason.clone()),
            method: None,
            declared_at: fk.declared_at.clone(),
        });
    }
}

fn drop_table(schema: &mut Schema, name: &str) {
    let Some(key) = resolve_key(schema, name) else {
        return;
    };
    schema.tables.remove(&key);
    // Foreign keys into a dropped table are gone too (PostgreSQL needs CASCADE
    // for the drop to succeed, which removes them).
    for t in schema.tables.values_mut() {
        t.foreign_keys.retain(|fk| table_key(&fk.ref_table) != key);
    }
}

fn rename_table(schema: &mut Schema, from: &str, to: &str) {
    let Some(old_key) = resolve_key(schema, from) else {
        return;
    };
    let Some(mut table) = schema.tables.remove(&old_key) else {
        return;
    };
    // `ALTER TABLE s.a RENAME TO b` keeps the schema.
    let new_name = match (table.name.rsplit_once('.'), to.contains('.')) {
        (Some((schema_part, _)), false) => format!("{schema_part}.{to}"),
        _ => to.to_string(),
    };
    let new_key = table_key(&new_name);
    table.name = new_name.clone();
    for t in schema.tables.values_mut() {
        for fk in &mut t.foreign_keys {
            if table_key(&fk.ref_table) == old_key {
                fk.ref_table.clone_from(&new_name);
            }
        }
    }
    for fk in &mut table.foreign_keys {
        if table_key(&fk.ref_table) == old_key {
            fk.ref_table.clone_from(&new_name);
        }
    }
    schema.tables.insert(new_key, table);
}

fn drop_column(t: &mut Table, column: &str) {
    t.columns.retain(|c| !c.name.eq_ignore_ascii_case(column));
    // PostgreSQL and MySQL drop the indexes and constraints over the column.
    t.indexes
        .retain(|i| !i.columns.iter().any(|p| p.is_column(column)));
    t.foreign_keys
        .retain(|fk| !fk.columns.iter().any(|c| c.eq_ignore_ascii_case(column)));
    if t.primary_key.iter().any(|c| c.eq_ignore_ascii_case(column)) {
        t.primary_key.clear();
    }
}

fn rename_column(t: &mut Table, from: &str, to: &str) {
    let rename = |name: &mut String| {
        if name.eq_ignore_ascii_case(from) {
            *name = to.to_string();
        }
    };
    t.columns.iter_mut().for_each(|c| rename(&mut c.name));
    t.primary_key.iter_mut().for_each(rename);
    for i in &mut t.indexes {
        for part in &mut i.columns {
            if let IndexColumn::Column(c) = part {
                rename(c);
            }
        }
    }
    for fk in &mut t.foreign_keys {
        fk.columns.iter_mut().for_each(rename);
    }
}

fn drop_constraint(t: &mut Table, name: &str) {
    let table = base_name(&t.name).to_string();
    let before = t.indexes.len();
    t.indexes
        .retain(|i| !name.eq_ignore_ascii_case(&effective_index_name(&table, i)));
    if t.indexes.len() != before && !t.indexes.iter().any(|i| i.kind == IndexKind::PrimaryKey) {
        t.primary_key.clear();
    }
    t.foreign_keys.retain(|fk| {
        let effective = fk
            .name
            .clone()
            .unwrap_or_else(|| format!("{table}_{}_fkey", fk.columns.join("_")));
        !name.eq_ignore_ascii_case(&effective)
    });
}

fn rename_constraint(t: &mut Table, from: &str, to: &str) {
    let table = base_name(&t.name).to_string();
    for i in &mut t.indexes {
        if from.eq_ignore_ascii_case(&effective_index_name(&table, i)) {
            i.name = Some(to.to_string());
        }
    }
    for fk in &mut t.foreign_keys {
        let effective = fk
            .name
            .clone()
            .unwrap_or_else(|| format!("{table}_{}_fkey", fk.columns.join("_")));
        if from.eq_ignore_ascii_case(&effective) {
            fk.name = Some(to.to_string());
        }
    }
}

/// Finds the index named `name` (declared or PostgreSQL default name), in the
/// given table or in any table (key order, so the result is deterministic).
fn find_index(schema: &Schema, name: &str, table: Option<&str>) -> Option<(String, usize)> {
    let wanted = base_name(name);
    let candidates: Vec<(&String, &Table)> = match table {
        Some(t) => {
            let key = resolve_key(schema, t)?;
            schema.tables.get_key_value(&key).into_iter().collect()
        }
        None => schema.tables.iter().collect(),
    };
    candidates.into_iter().find_map(|(key, t)| {
        let table = base_name(&t.name);
        t.indexes
            .iter()
            .position(|i| index_named(table, i, wanted))
            .map(|pos| (key.clone(), pos))
    })
}

/// Whether `wanted` names index `i` of `table` ([`effective_index_name`]),
/// without building names that cannot match: every `CREATE`/`DROP INDEX` of
/// a long migration history looks through all indexes of all tables.
fn index_named(table: &str, i: &Index, wanted: &str) -> bool {
    if let Some(name) = &i.name {
        return base_name(name).eq_ignore_ascii_case(wanted);
    }
    // Default names start with `{table}_`.
    let prefix_ok = wanted
        .get(..table.len())
        .is_some_and(|p| p.eq_ignore_ascii_case(table))
        && wanted.as_bytes().get(table.len()) == Some(&b'_');
    prefix_ok && wanted.eq_ignore_ascii_case(&effective_index_name(table, i))
}

/// An index's name, or the name PostgreSQL would have given it.
fn effective_index_name(table: &str, i: &Index) -> String {
    if let Some(name) = &i.name {
        return base_name(name).to_string();
    }
    let cols: Vec<&str> = i.column_names().collect();
    match i.kind {
        IndexKind::PrimaryKey => format!("{table}_pkey"),
        IndexKind::Unique => format!("{table}_{}_key", cols.join("_")),
        IndexKind::Index | IndexKind::Implicit(_) => format!("{table}_{}_idx", cols.join("_")),
    }
}

/// The last component of a possibly schema-qualified name.
fn base_name(name: &str) -> &str {
    name.rsplit('.').next().unwrap_or(name)
}
