//! The Django ORM vocabulary, from `rules/frameworks/db/django.toml`:
//! field classes, queryset methods, lookups and DRF list views by name.

use crate::names::NameSet;
use serde::Deserialize;
use std::sync::OnceLock;

const DJANGO_TOML: &str = include_str!("../../../../../rules/frameworks/db/django.toml");

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFields {
    foreign_key: Vec<String>,
    one_to_one: Vec<String>,
    many_to_many: Vec<String>,
    #[serde(rename = "virtual")]
    virtual_: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawQuerysets {
    chain: Vec<String>,
    rows: Vec<String>,
    mapping: Vec<String>,
    single: Vec<String>,
    insert: Vec<String>,
    update: Vec<String>,
    delete: Vec<String>,
    filtering: Vec<String>,
    negating: Vec<String>,
    instance: Vec<String>,
    eager: Vec<String>,
    cached: Vec<String>,
    plain_values: Vec<String>,
    columns: Vec<String>,
    aggregate: Vec<String>,
    ordering: Vec<String>,
    annotations: Vec<String>,
    empty: Vec<String>,
    managers: Vec<String>,
    get_shortcuts: Vec<String>,
    list_shortcuts: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLookups {
    eq: Vec<String>,
    eq_upper: Vec<String>,
    #[serde(rename = "in")]
    in_: Vec<String>,
    is_null: Vec<String>,
    like: Vec<String>,
    like_upper: Vec<String>,
    range: Vec<String>,
    range_transforms: Vec<String>,
    transforms: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDrf {
    list_views: Vec<String>,
    list_overrides: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawReturns {
    wrappers: Vec<String>,
    hooks: Vec<String>,
    consumers: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Raw {
    fields: RawFields,
    querysets: RawQuerysets,
    lookups: RawLookups,
    drf: RawDrf,
    returns: RawReturns,
}

/// Field classes by role.
pub struct Fields {
    pub foreign_key: NameSet,
    pub one_to_one: NameSet,
    pub many_to_many: NameSet,
    pub virtual_: NameSet,
}

/// Queryset and manager methods by role.
pub struct Querysets {
    pub chain: NameSet,
    pub rows: NameSet,
    pub mapping: NameSet,
    pub single: NameSet,
    pub insert: NameSet,
    pub update: NameSet,
    pub delete: NameSet,
    pub filtering: NameSet,
    pub negating: NameSet,
    pub instance: NameSet,
    pub eager: NameSet,
    pub cached: NameSet,
    pub plain_values: NameSet,
    pub columns: NameSet,
    pub aggregate: NameSet,
    pub ordering: NameSet,
    pub annotations: NameSet,
    pub empty: NameSet,
    pub managers: NameSet,
    pub get_shortcuts: NameSet,
    pub list_shortcuts: NameSet,
}

/// Lookups and transforms by what they do to the column.
pub struct Lookups {
    pub eq: NameSet,
    pub eq_upper: NameSet,
    pub in_: NameSet,
    pub is_null: NameSet,
    pub like: NameSet,
    pub like_upper: NameSet,
    pub range: NameSet,
    pub range_transforms: NameSet,
    pub transforms: NameSet,
}

impl Lookups {
    /// Whether `name` is a lookup or transform Django knows (not a field).
    pub fn is_known(&self, name: &str) -> bool {
        [
            &self.eq,
            &self.eq_upper,
            &self.in_,
            &self.is_null,
            &self.like,
            &self.like_upper,
            &self.range,
            &self.range_transforms,
            &self.transforms,
        ]
        .iter()
        .any(|s| s.matches(name))
    }
}

/// Everything the Django database extractor recognises by name.
pub struct DjangoNames {
    pub fields: Fields,
    pub qs: Querysets,
    pub lookups: Lookups,
    pub list_views: NameSet,
    /// Methods whose override leaves a list's pagination unknown.
    pub list_overrides: Vec<String>,
    pub wrappers: NameSet,
    pub hooks: NameSet,
    pub consumers: NameSet,
}

/// The embedded vocabulary, parsed once.
pub fn names() -> &'static DjangoNames {
    static NAMES: OnceLock<DjangoNames> = OnceLock::new();
    NAMES.get_or_init(|| {
        // Checked by a unit test: a broken embedded file is a build defect.
        let raw: Raw = toml::from_str(DJANGO_TOML).expect("embedded django.toml is valid");
        let f = raw.fields;
        let q = raw.querysets;
        let l = raw.lookups;
        DjangoNames {
            fields: Fields {
                foreign_key: NameSet::new(f.foreign_key),
                one_to_one: NameSet::new(f.one_to_one),
                many_to_many: NameSet::new(f.many_to_many),
                virtual_: NameSet::new(f.virtual_),
            },
            qs: Querysets {
                chain: NameSet::new(q.chain),
                rows: NameSet::new(q.rows),
                mapping: NameSet::new(q.mapping),
                single: NameSet::new(q.single),
                insert: NameSet::new(q.insert),
                update: NameSet::new(q.update),
                delete: NameSet::new(q.delete),
                filtering: NameSet::new(q.filtering),
                negating: NameSet::new(q.negating),
                instance: NameSet::new(q.instance),
                eager: NameSet::new(q.eager),
                cached: NameSet::new(q.cached),
                plain_values: NameSet::new(q.plain_values),
                columns: NameSet::new(q.columns),
                aggregate: NameSet::new(q.aggregate),
                ordering: NameSet::new(q.ordering),
                annotations: NameSet::new(q.annotations),
                empty: NameSet::new(q.empty),
                managers: NameSet::new(q.managers),
                get_shortcuts: NameSet::new(q.get_shortcuts),
                list_shortcuts: NameSet::new(q.list_shortcuts),
            },
            lookups: Lookups {
                eq: NameSet::new(l.eq),
                eq_upper: NameSet::new(l.eq_upper),
                in_: NameSet::new(l.in_),
                is_null: NameSet::new(l.is_null),
                like: NameSet::new(l.like),
                like_upper: NameSet::new(l.like_upper),
                range: NameSet::new(l.range),
                range_transforms: NameSet::new(l.range_transforms),
                transforms: NameSet::new(l.transforms),
            },
            list_views: NameSet::new(raw.drf.list_views),
            list_overrides: raw.drf.list_overrides,
            wrappers: NameSet::new(raw.returns.wrappers),
            hooks: NameSet::new(raw.returns.hooks),
            consumers: NameSet::new(raw.returns.consumers),
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_vocabulary_parses_and_is_sorted() {
        let n = names();
        assert!(n.fields.foreign_key.matches("ForeignKey"));
        assert!(n.qs.chain.matches("filter"));
        assert!(n.lookups.is_known("iexact"));
        let value: toml::Table = toml::from_str(DJANGO_TOML).unwrap();
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
                    assert_eq!(items, sorted, "django.toml: {key} is not sorted");
                }
                _ => {}
            }
        }
    }
}
