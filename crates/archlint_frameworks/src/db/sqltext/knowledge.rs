//! The raw-SQL vocabulary of `rules/frameworks/db/raw.toml`: SQL keywords,
//! execution APIs, database handle names and request-input names, embedded
//! at build time and parsed once.

use crate::names::NameSet;
use serde::Deserialize;
use std::sync::OnceLock;

const RAW_TOML: &str = include_str!("../../../../../rules/frameworks/db/raw.toml");

/// SQL text recognition.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SqlNames {
    /// First words of SQL text, upper-case.
    pub keywords: Vec<String>,
    /// Parameters named like SQL text.
    #[serde(deserialize_with = "set")]
    pub sql_params: NameSet,
    /// Quoting and escaping calls: last names, or resolved paths (with a dot).
    pub sanitizers: Vec<String>,
}

impl SqlNames {
    /// Whether a call to `func` (resolved to `path` when known) quotes or escapes its argument.
    pub fn is_sanitizer(&self, last: &str, path: Option<&str>) -> bool {
        self.sanitizers.iter().any(|s| {
            if s.contains('.') {
                path.is_some_and(|p| p == s)
            } else {
                s == last
            }
        })
    }
}

/// Python raw SQL APIs.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PythonNames {
    #[serde(deserialize_with = "set")]
    pub methods: NameSet,
    #[serde(deserialize_with = "set")]
    pub text_only_methods: NameSet,
    pub sql_keywords: Vec<String>,
    pub param_keywords: Vec<String>,
    #[serde(deserialize_with = "set")]
    pub all_rows_methods: NameSet,
    #[serde(deserialize_with = "set")]
    pub fetch_all: NameSet,
    #[serde(deserialize_with = "set")]
    pub result_pass: NameSet,
    pub text_wrappers: Vec<String>,
    #[serde(deserialize_with = "set")]
    pub receivers: NameSet,
    pub handle_functions: Vec<String>,
    #[serde(deserialize_with = "set")]
    pub handle_methods: NameSet,
    #[serde(deserialize_with = "set")]
    pub handle_types: NameSet,
    #[serde(deserialize_with = "set")]
    pub migration_receivers: NameSet,
    #[serde(deserialize_with = "set")]
    pub manager_attrs: NameSet,
    #[serde(deserialize_with = "set")]
    pub request_names: NameSet,
    #[serde(deserialize_with = "set")]
    pub request_attrs: NameSet,
    #[serde(deserialize_with = "set")]
    pub harmless_calls: NameSet,
    #[serde(deserialize_with = "set")]
    pub pass_through_calls: NameSet,
    #[serde(deserialize_with = "set")]
    pub harmless_types: NameSet,
    /// Attribute paths (`_meta.db_table`) that read model metadata.
    pub model_metadata: Vec<String>,
    #[serde(deserialize_with = "set")]
    pub statement_builders: NameSet,
    #[serde(deserialize_with = "set")]
    pub dependency_calls: NameSet,
}

/// Rust raw SQL APIs.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RustNames {
    #[serde(deserialize_with = "set")]
    pub sqlx_macros: NameSet,
    #[serde(deserialize_with = "set")]
    pub sqlx_file_macros: NameSet,
    #[serde(deserialize_with = "set")]
    pub sqlx_functions: NameSet,
    #[serde(deserialize_with = "set")]
    pub diesel_functions: NameSet,
    pub crates: Vec<String>,
    #[serde(deserialize_with = "set")]
    pub executors: NameSet,
    #[serde(deserialize_with = "set")]
    pub all_rows_executors: NameSet,
    #[serde(deserialize_with = "set")]
    pub bind_methods: NameSet,
    #[serde(deserialize_with = "set")]
    pub client_methods: NameSet,
    #[serde(deserialize_with = "set")]
    pub all_rows_client_methods: NameSet,
    #[serde(deserialize_with = "set")]
    pub prepare_methods: NameSet,
    #[serde(deserialize_with = "set")]
    pub statement_methods: NameSet,
    #[serde(deserialize_with = "set")]
    pub all_rows_statement_methods: NameSet,
    #[serde(deserialize_with = "set")]
    pub receivers: NameSet,
    #[serde(deserialize_with = "set")]
    pub handle_types: NameSet,
    #[serde(deserialize_with = "set")]
    pub extractors: NameSet,
    #[serde(deserialize_with = "set")]
    pub non_input: NameSet,
    #[serde(deserialize_with = "set")]
    pub harmless_types: NameSet,
    #[serde(deserialize_with = "set")]
    pub harmless_methods: NameSet,
}

/// Everything in `raw.toml`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawKnowledge {
    pub sql: SqlNames,
    pub python: PythonNames,
    pub rust: RustNames,
}

fn set<'de, D: serde::Deserializer<'de>>(d: D) -> Result<NameSet, D::Error> {
    let v: Vec<String> = Vec::deserialize(d)?;
    Ok(NameSet::new(v))
}

/// The embedded vocabulary. A broken file (caught by a unit test) yields
/// empty lists rather than a panic.
pub fn raw() -> &'static RawKnowledge {
    static RAW: OnceLock<RawKnowledge> = OnceLock::new();
    RAW.get_or_init(|| toml::from_str(RAW_TOML).unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn raw_toml_parses_and_is_sorted() {
        let parsed: Result<RawKnowledge, _> = toml::from_str(RAW_TOML);
        assert!(parsed.is_ok(), "{parsed:?}");
        let value: toml::Table = toml::from_str(RAW_TOML).unwrap();
        let mut stack: Vec<(String, &toml::Value)> =
            value.iter().map(|(k, v)| (k.clone(), v)).collect();
        while let Some((key, v)) = stack.pop() {
            match v {
                toml::Value::Table(t) => {
                    stack.extend(t.iter().map(|(k, v)| (format!("{key}.{k}"), v)))
                }
                toml::Value::Array(a) => {
                    let items: Vec<&str> = a.iter().filter_map(|x| x.as_str()).collect();
                    let mut sorted = items.clone();
                    sorted.sort();
                    assert_eq!(items, sorted, "raw.toml: {key} is not sorted");
                }
                _ => {}
            }
        }
        assert!(raw().python.methods.matches("execute"));
        assert!(raw().rust.sqlx_macros.matches("query_as"));
    }
}
