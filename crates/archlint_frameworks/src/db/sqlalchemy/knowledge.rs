//! The SQLAlchemy, Flask-SQLAlchemy and Alembic vocabulary, from
//! `rules/frameworks/db/sqlalchemy.toml`, parsed once.

use crate::names::NameSet;
use serde::Deserialize;
use std::sync::OnceLock;

const SQLALCHEMY_TOML: &str = include_str!("../../../../../rules/frameworks/db/sqlalchemy.toml");

/// Names recognised in model declarations.
#[derive(Debug, Default)]
pub struct Models {
    pub declarative_classes: NameSet,
    pub declarative_paths: NameSet,
    pub sqlmodel_paths: NameSet,
    pub fields: NameSet,
    pub base_factories: NameSet,
    pub base_decorators: NameSet,
    pub extensions: NameSet,
    pub extension_names: NameSet,
    pub extension_model: NameSet,
    pub columns: NameSet,
    pub column_wrappers: NameSet,
    pub relationships: NameSet,
    pub backrefs: NameSet,
    pub mapped: NameSet,
    pub tables: NameSet,
    pub imperative: NameSet,
    pub indexes: NameSet,
    pub unique_constraints: NameSet,
    pub primary_key_constraints: NameSet,
    pub foreign_key_constraints: NameSet,
    pub foreign_keys: NameSet,
    pub text: NameSet,
}

/// Names recognised in queries.
#[derive(Debug, Default)]
pub struct Queries {
    pub select: NameSet,
    pub update: NameSet,
    pub delete: NameSet,
    pub insert: NameSet,
    pub modules: Vec<String>,
    pub session_query: NameSet,
    pub model_query: NameSet,
    pub session_receivers: NameSet,
    pub execute: NameSet,
    pub execute_single: NameSet,
    pub session_get: NameSet,
    pub extension_paginate: NameSet,
    pub extension_single: NameSet,
    pub extension_get: NameSet,
    pub filter: NameSet,
    pub filter_by: NameSet,
    pub join: NameSet,
    pub order_by: NameSet,
    pub group_by: NameSet,
    pub having: NameSet,
    pub limit: NameSet,
    pub offset: NameSet,
    pub slice: NameSet,
    pub options: NameSet,
    pub select_from: NameSet,
    pub neutral: NameSet,
    pub subquery: NameSet,
    pub query_rows: NameSet,
    pub query_first: NameSet,
    pub query_single: NameSet,
    pub query_count: NameSet,
    pub query_get: NameSet,
    pub query_paginate: NameSet,
    pub query_update: NameSet,
    pub query_delete: NameSet,
    pub result_rows: NameSet,
    pub result_single: NameSet,
    pub result_pass: NameSet,
    pub response_wrappers: NameSet,
    pub order_modifiers: NameSet,
    pub and_: NameSet,
    pub or_: NameSet,
    pub not_: NameSet,
    pub eq_methods: NameSet,
    pub in_methods: NameSet,
    pub like_methods: NameSet,
    pub case_insensitive: NameSet,
    pub range_methods: NameSet,
    pub func: NameSet,
    pub aliased: NameSet,
}

/// Names about relationship loading.
#[derive(Debug, Default)]
pub struct Loading {
    pub eager_options: NameSet,
    pub path_options: NameSet,
    pub no_query_options: NameSet,
    pub other_options: NameSet,
    pub lazy: NameSet,
    pub query_valued: NameSet,
    pub write_methods: NameSet,
}

/// Names recognised in Alembic migrations.
#[derive(Debug, Default)]
pub struct Alembic {
    pub directories: NameSet,
    pub dialect_directories_mysql: NameSet,
    pub dialect_directories_postgres: NameSet,
    pub dialect_directories_sqlite: NameSet,
    pub revision: NameSet,
    pub down_revision: NameSet,
    pub upgrade: NameSet,
    pub op: NameSet,
    pub batch: NameSet,
    pub name_wrappers: NameSet,
}

/// Everything this module recognises by name.
#[derive(Debug, Default)]
pub struct SaNames {
    pub models: Models,
    pub queries: Queries,
    pub loading: Loading,
    pub alembic: Alembic,
    /// Every method a query can start from when called: `session.query`,
    /// `select`-like statements, `session.execute`/`get` and the
    /// Flask-SQLAlchemy shortcuts (derived from `queries`).
    pub call_starts: NameSet,
}

/// Deserialises a TOML table of string lists into a struct of [`NameSet`]s,
/// refusing unknown and missing keys.
macro_rules! name_table {
    ($raw:ident => $out:ident { $($field:ident),* $(,)? } $(extra { $($xf:ident : $xt:ty),* })?) => {
        #[derive(Deserialize)]
        #[serde(deny_unknown_fields)]
        struct $raw {
            $($field: Vec<String>,)*
            $($($xf: $xt,)*)?
        }
        impl From<$raw> for $out {
            fn from(r: $raw) -> Self {
                $out {
                    $($field: NameSet::new(r.$field),)*
                    $($($xf: r.$xf,)*)?
                }
            }
        }
    };
}

name_table!(RawModels => Models {
    declarative_classes, declarative_paths, sqlmodel_paths, fields, base_factories, base_decorators, extensions, extension_names,
    extension_model, columns, column_wrappers, relationships, backrefs, mapped, tables, imperative,
    indexes, unique_constraints, primary_key_constraints, foreign_key_constraints,
    foreign_keys, text,
});

name_table!(RawQueries => Queries {
    select, update, delete, insert, session_query, model_query, session_receivers,
    execute, execute_single, session_get, extension_paginate, extension_single,
    extension_get, filter, filter_by, join, order_by, group_by, having, limit, offset,
    slice, options, select_from, neutral, subquery, query_rows, query_first, query_single,
    query_count, query_get, query_paginate, query_update, query_delete, result_rows,
    result_single, result_pass, response_wrappers, order_modifiers, and_, or_, not_,
    eq_methods, in_methods, like_methods, case_insensitive, range_methods, func, aliased,
} extra { modules: Vec<String> });

name_table!(RawLoading => Loading {
    eager_options, path_options, no_query_options, other_options, lazy, query_valued,
    write_methods,
});

name_table!(RawAlembic => Alembic {
    directories, dialect_directories_mysql, dialect_directories_postgres,
    dialect_directories_sqlite, revision, down_revision, upgrade, op, batch, name_wrappers,
});

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawAll {
    models: RawModels,
    queries: RawQueries,
    loading: RawLoading,
    alembic: RawAlembic,
}

fn parse(text: &str) -> Result<SaNames, toml::de::Error> {
    let raw: RawAll = toml::from_str(text)?;
    let queries: Queries = raw.queries.into();
    let q = &queries;
    let call_starts = NameSet::union([
        &q.session_query,
        &q.select,
        &q.update,
        &q.delete,
        &q.insert,
        &q.execute,
        &q.session_get,
        &q.extension_get,
        &q.extension_paginate,
        &q.extension_single,
    ]);
    Ok(SaNames {
        models: raw.models.into(),
        queries,
        loading: raw.loading.into(),
        alembic: raw.alembic.into(),
        call_starts,
    })
}

/// The embedded vocabulary. A broken file is caught by this module's test;
/// at run time it degrades to recognising nothing rather than panicking.
pub fn names() -> &'static SaNames {
    static NAMES: OnceLock<SaNames> = OnceLock::new();
    NAMES.get_or_init(|| parse(SQLALCHEMY_TOML).unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_vocabulary_parses_and_lists_are_sorted() {
        let n = parse(SQLALCHEMY_TOML).expect("sqlalchemy.toml parses");
        assert!(n.models.columns.matches("mapped_column"));
        assert!(n.queries.session_receivers.matches("AsyncSession"));
        assert!(n.loading.eager_options.matches("selectinload"));
        // Every list is sorted (the style of rules/).
        let value: toml::Value = toml::from_str(SQLALCHEMY_TOML).expect("toml");
        for (section, table) in value.as_table().into_iter().flatten() {
            for (key, list) in table.as_table().into_iter().flatten() {
                let items: Vec<&str> = list
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(|v| v.as_str())
                    .collect();
                let mut sorted = items.clone();
                sorted.sort_unstable();
                assert_eq!(items, sorted, "[{section}] {key} is not sorted");
            }
        }
    }
}
