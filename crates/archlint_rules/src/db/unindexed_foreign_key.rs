//! `db/unindexed-foreign-key`: a foreign key no index leads with.
//! Documentation: `rules/db/unindexed-foreign-key.md`.

use super::{finding_at, related};
use crate::{Context, Rule, meta};
use archlint_model::{Confidence, Finding, Level, RuleMeta};

const DOC: &str = include_str!("../../../../rules/db/unindexed-foreign-key.md");

pub struct UnindexedForeignKey {
    meta: RuleMeta,
}

impl UnindexedForeignKey {
    pub fn new() -> Self {
        UnindexedForeignKey {
            meta: meta::parse(DOC),
        }
    }
}

impl Default for UnindexedForeignKey {
    fn default() -> Self {
        Self::new()
    }
}

impl Rule for UnindexedForeignKey {
    fn meta(&self) -> &RuleMeta {
        &self.meta
    }

    fn check(&self, cx: &Context, out: &mut Vec<Finding>) {
        for (table, fk) in cx.db.schema.foreign_keys_without_index() {
            let cols = fk.columns.join(", ");
            let target = if fk.ref_columns.is_empty() {
                fk.ref_table.clone()
            } else {
                format!("{}({})", fk.ref_table, fk.ref_columns.join(", "))
            };
            let message = format!(
                "foreign key {}({cols}) -> {target} has no index leading with it: joins from {} and deletes of its rows scan {}",
                table.name, fk.ref_table, table.name
            );
            let mut f = finding_at(
                &self.meta.id,
                Level::Warning,
                Confidence::High,
                fk.declared_at.clone(),
                message,
                format!("{}({cols})", table.name.to_ascii_lowercase()),
            );
            if table.declared_at != fk.declared_at {
                f.related.push(related(
                    table.declared_at.clone(),
                    format!("table {} declared here", table.name),
                ));
            }
            f.properties.insert("table".into(), table.name.clone());
            f.properties.insert("columns".into(), cols.clone());
            out.push(f);
        }
    }
}
