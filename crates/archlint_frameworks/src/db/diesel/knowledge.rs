//! The diesel and sea-orm names of `rules/frameworks/db/rust-orm.toml`,
//! embedded at build time and parsed once. Shared with the sea-orm module.

use crate::names::NameSet;
use serde::Deserialize;
use std::sync::OnceLock;

const RUST_ORM_TOML: &str = include_str!("../../../../../rules/frameworks/db/rust-orm.toml");

/// Every name list of the file.
#[derive(Debug)]
pub struct OrmNames {
    pub diesel: DieselNames,
    pub barrel: BarrelNames,
    pub seaorm: SeaNames,
    pub migration: MigrationNames,
    pub response: ResponseNames,
}

/// Comparison methods by what they do to an index lookup (both ORMs).
#[derive(Debug)]
pub struct OpNames {
    pub and: NameSet,
    pub or: NameSet,
    pub eq: NameSet,
    pub range: NameSet,
    pub in_: NameSet,
    pub like: NameSet,
    pub is_null: NameSet,
    pub other: NameSet,
}

/// diesel names.
#[derive(Debug)]
pub struct DieselNames {
    pub crates: Vec<String>,
    pub all_rows: NameSet,
    pub one_row: NameSet,
    pub write: NameSet,
    pub limited: NameSet,
    pub insert: NameSet,
    pub update: NameSet,
    pub delete: NameSet,
    pub filter: NameSet,
    pub or_filter: NameSet,
    pub find: NameSet,
    pub order: NameSet,
    pub limit: NameSet,
    pub offset: NameSet,
    pub select: NameSet,
    pub group_by: NameSet,
    pub count: NameSet,
    pub join: NameSet,
    pub join_on: NameSet,
    pub on_conflict: NameSet,
    pub on_conflict_nothing: NameSet,
    pub neutral: NameSet,
    pub column_same: NameSet,
    pub direction: NameSet,
    pub ops: OpNames,
}

/// barrel migration names.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BarrelNames {
    pub crates: Vec<String>,
    #[serde(deserialize_with = "name_set")]
    pub create_table: NameSet,
    #[serde(deserialize_with = "name_set")]
    pub change_table: NameSet,
    #[serde(deserialize_with = "name_set")]
    pub drop_table: NameSet,
    #[serde(deserialize_with = "name_set")]
    pub rename_table: NameSet,
    #[serde(deserialize_with = "name_set")]
    pub inject: NameSet,
    #[serde(deserialize_with = "name_set")]
    pub add_column: NameSet,
    #[serde(deserialize_with = "name_set")]
    pub drop_column: NameSet,
    #[serde(deserialize_with = "name_set")]
    pub rename_column: NameSet,
    #[serde(deserialize_with = "name_set")]
    pub add_index: NameSet,
    #[serde(deserialize_with = "name_set")]
    pub add_foreign_key: NameSet,
    #[serde(deserialize_with = "name_set")]
    pub primary_type: NameSet,
    #[serde(deserialize_with = "name_set")]
    pub foreign_type: NameSet,
    #[serde(deserialize_with = "name_set")]
    pub index_type: NameSet,
    #[serde(deserialize_with = "name_set")]
    pub nullable: NameSet,
    #[serde(deserialize_with = "name_set")]
    pub primary: NameSet,
    #[serde(deserialize_with = "name_set")]
    pub unique: NameSet,
    #[serde(deserialize_with = "name_set")]
    pub indexed: NameSet,
}

fn name_set<'de, D: serde::Deserializer<'de>>(d: D) -> Result<NameSet, D::Error> {
    Vec::<String>::deserialize(d).map(NameSet::new)
}

/// sea-orm query names.
#[derive(Debug)]
pub struct SeaNames {
    pub crates: Vec<String>,
    pub find: NameSet,
    pub find_by_id: NameSet,
    pub insert: NameSet,
    pub update_one: NameSet,
    pub update_many: NameSet,
    pub delete_one: NameSet,
    pub delete_many: NameSet,
    pub all_rows: NameSet,
    pub one_row: NameSet,
    pub count: NameSet,
    pub paginate: NameSet,
    pub write: NameSet,
    pub model_insert: NameSet,
    pub model_update: NameSet,
    pub model_delete: NameSet,
    pub model_save: NameSet,
    pub filter: NameSet,
    pub order: NameSet,
    pub limit: NameSet,
    pub offset: NameSet,
    pub cursor: NameSet,
    pub select: NameSet,
    pub group_by: NameSet,
    pub related: NameSet,
    pub join_entity: NameSet,
    pub on_conflict: NameSet,
    pub neutral: NameSet,
    pub condition_all: NameSet,
    pub condition_any: NameSet,
    pub condition_add: NameSet,
    pub ops: OpNames,
}

/// sea-orm migration names.
#[derive(Debug)]
pub struct MigrationNames {
    pub create_table: NameSet,
    pub create_index: NameSet,
    pub alter_table: NameSet,
    pub drop_table: NameSet,
    pub drop_index: NameSet,
    pub rename_table: NameSet,
    pub create_foreign_key: NameSet,
    pub drop_foreign_key: NameSet,
    pub raw_sql: NameSet,
    pub down_fns: NameSet,
    pub not_null: NameSet,
    pub null: NameSet,
    pub primary_key: NameSet,
    pub unique: NameSet,
    pub modifiers: NameSet,
    pub neutral: NameSet,
    pub helper_pk_prefix: String,
    pub helper_null_suffix: String,
    pub helper_unique_suffix: String,
}

/// How handlers hand a query's rows back.
#[derive(Debug)]
pub struct ResponseNames {
    pub wrappers: NameSet,
    pub body_methods: NameSet,
    pub pass_through: NameSet,
    pub closure_runners: NameSet,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    diesel: RawDiesel,
    barrel: BarrelNames,
    seaorm: RawSea,
    response: RawResponse,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawOps {
    and: Vec<String>,
    or: Vec<String>,
    eq: Vec<String>,
    range: Vec<String>,
    #[serde(rename = "in")]
    in_: Vec<String>,
    like: Vec<String>,
    is_null: Vec<String>,
    other: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDiesel {
    crates: Vec<String>,
    all_rows: Vec<String>,
    one_row: Vec<String>,
    write: Vec<String>,
    limited: Vec<String>,
    insert: Vec<String>,
    update: Vec<String>,
    delete: Vec<String>,
    filter: Vec<String>,
    or_filter: Vec<String>,
    find: Vec<String>,
    order: Vec<String>,
    limit: Vec<String>,
    offset: Vec<String>,
    select: Vec<String>,
    group_by: Vec<String>,
    count: Vec<String>,
    join: Vec<String>,
    join_on: Vec<String>,
    on_conflict: Vec<String>,
    on_conflict_nothing: Vec<String>,
    neutral: Vec<String>,
    column_same: Vec<String>,
    direction: Vec<String>,
    ops: RawOps,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSea {
    crates: Vec<String>,
    find: Vec<String>,
    find_by_id: Vec<String>,
    insert: Vec<String>,
    update_one: Vec<String>,
    update_many: Vec<String>,
    delete_one: Vec<String>,
    delete_many: Vec<String>,
    all_rows: Vec<String>,
    one_row: Vec<String>,
    count: Vec<String>,
    paginate: Vec<String>,
    write: Vec<String>,
    model_insert: Vec<String>,
    model_update: Vec<String>,
    model_delete: Vec<String>,
    model_save: Vec<String>,
    filter: Vec<String>,
    order: Vec<String>,
    limit: Vec<String>,
    offset: Vec<String>,
    cursor: Vec<String>,
    select: Vec<String>,
    group_by: Vec<String>,
    related: Vec<String>,
    join_entity: Vec<String>,
    on_conflict: Vec<String>,
    neutral: Vec<String>,
    condition_all: Vec<String>,
    condition_any: Vec<String>,
    condition_add: Vec<String>,
    migration: RawMigration,
    ops: RawOps,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawMigration {
    create_table: Vec<String>,
    create_index: Vec<String>,
    alter_table: Vec<String>,
    drop_table: Vec<String>,
    drop_index: Vec<String>,
    rename_table: Vec<String>,
    create_foreign_key: Vec<String>,
    drop_foreign_key: Vec<String>,
    raw_sql: Vec<String>,
    down_fns: Vec<String>,
    not_null: Vec<String>,
    null: Vec<String>,
    primary_key: Vec<String>,
    unique: Vec<String>,
    modifiers: Vec<String>,
    neutral: Vec<String>,
    helper_pk_prefix: String,
    helper_null_suffix: String,
    helper_unique_suffix: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawResponse {
    wrappers: Vec<String>,
    body_methods: Vec<String>,
    pass_through: Vec<String>,
    closure_runners: Vec<String>,
}

fn set(v: Vec<String>) -> NameSet {
    NameSet::new(v)
}

impl From<RawOps> for OpNames {
    fn from(r: RawOps) -> Self {
        OpNames {
            and: set(r.and),
            or: set(r.or),
            eq: set(r.eq),
            range: set(r.range),
            in_: set(r.in_),
            like: set(r.like),
            is_null: set(r.is_null),
            other: set(r.other),
        }
    }
}

/// The parsed names (parsed on first use).
pub fn names() -> &'static OrmNames {
    static NAMES: OnceLock<OrmNames> = OnceLock::new();
    NAMES.get_or_init(|| parse(RUST_ORM_TOML))
}

fn parse(text: &str) -> OrmNames {
    // The embedded file is checked by a unit test; a broken one is a build defect.
    let raw: RawFile = toml::from_str(text).expect("embedded rust-orm.toml is valid");
    let d = raw.diesel;
    let s = raw.seaorm;
    let m = s.migration;
    let r = raw.response;
    OrmNames {
        diesel: DieselNames {
            crates: d.crates,
            all_rows: set(d.all_rows),
            one_row: set(d.one_row),
            write: set(d.write),
            limited: set(d.limited),
            insert: set(d.insert),
            update: set(d.update),
            delete: set(d.delete),
            filter: set(d.filter),
            or_filter: set(d.or_filter),
            find: set(d.find),
            order: set(d.order),
            limit: set(d.limit),
            offset: set(d.offset),
            select: set(d.select),
            group_by: set(d.group_by),
            count: set(d.count),
            join: set(d.join),
            join_on: set(d.join_on),
            on_conflict: set(d.on_conflict),
            on_conflict_nothing: set(d.on_conflict_nothing),
            neutral: set(d.neutral),
            column_same: set(d.column_same),
            direction: set(d.direction),
            ops: d.ops.into(),
        },
        barrel: raw.barrel,
        seaorm: SeaNames {
            crates: s.crates,
            find: set(s.find),
            find_by_id: set(s.find_by_id),
            insert: set(s.insert),
            update_one: set(s.update_one),
            update_many: set(s.update_many),
            delete_one: set(s.delete_one),
            delete_many: set(s.delete_many),
            all_rows: set(s.all_rows),
            one_row: set(s.one_row),
            count: set(s.count),
            paginate: set(s.paginate),
            write: set(s.write),
            model_insert: set(s.model_insert),
            model_update: set(s.model_update),
            model_delete: set(s.model_delete),
            model_save: set(s.model_save),
            filter: set(s.filter),
            order: set(s.order),
            limit: set(s.limit),
            offset: set(s.offset),
            cursor: set(s.cursor),
            select: set(s.select),
            group_by: set(s.group_by),
            related: set(s.related),
            join_entity: set(s.join_entity),
            on_conflict: set(s.on_conflict),
            neutral: set(s.neutral),
            condition_all: set(s.condition_all),
            condition_any: set(s.condition_any),
            condition_add: set(s.condition_add),
            ops: s.ops.into(),
        },
        migration: MigrationNames {
            create_table: set(m.create_table),
            create_index: set(m.create_index),
            alter_table: set(m.alter_table),
            drop_table: set(m.drop_table),
            drop_index: set(m.drop_index),
            rename_table: set(m.rename_table),
            create_foreign_key: set(m.create_foreign_key),
            drop_foreign_key: set(m.drop_foreign_key),
            raw_sql: set(m.raw_sql),
            down_fns: set(m.down_fns),
            not_null: set(m.not_null),
            null: set(m.null),
            primary_key: set(m.primary_key),
            unique: set(m.unique),
            modifiers: set(m.modifiers),
            neutral: set(m.neutral),
            helper_pk_prefix: m.helper_pk_prefix,
            helper_null_suffix: m.helper_null_suffix,
            helper_unique_suffix: m.helper_unique_suffix,
        },
        response: ResponseNames {
            wrappers: set(r.wrappers),
            body_methods: set(r.body_methods),
            pass_through: set(r.pass_through),
            closure_runners: set(r.closure_runners),
        },
    }
}

/// Whether a file imports from one of `crates` (`use diesel::prelude::*`).
pub fn imports_crate(facts: &archlint_model::FileFacts, crates: &[String]) -> bool {
    facts.imports.iter().any(|im| {
        let first = im.module.split("::").next().unwrap_or("");
        let first = if first.is_empty() {
            im.name.as_deref().unwrap_or("")
        } else {
            first
        };
        crates.iter().any(|c| c == first)
    })
}

/// Indices of the project's Rust files that import from one of `crates`.
pub fn rust_files_importing(project: &archlint_model::Project, crates: &[String]) -> Vec<u32> {
    project
        .files
        .iter()
        .enumerate()
        .filter(|(_, f)| {
            f.language == archlint_model::Language::Rust && imports_crate(&f.facts, crates)
        })
        .map(|(i, _)| i as u32)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every list in the file is sorted and free of duplicates.
    #[test]
    fn embedded_lists_parse_and_are_sorted() {
        let _ = parse(RUST_ORM_TOML);
        let value: toml::Value = toml::from_str(RUST_ORM_TOML).unwrap();
        let mut stack = vec![(String::new(), &value)];
        while let Some((path, v)) = stack.pop() {
            match v {
                toml::Value::Table(t) => {
                    for (k, v) in t {
                        stack.push((format!("{path}.{k}"), v));
                    }
                }
                toml::Value::Array(a) => {
                    let items: Vec<&str> = a.iter().filter_map(|x| x.as_str()).collect();
                    let mut sorted = items.clone();
                    sorted.sort_unstable();
                    sorted.dedup();
                    assert_eq!(items, sorted, "{path} is not sorted or has duplicates");
                }
                _ => {}
            }
        }
    }
}
