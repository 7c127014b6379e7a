//! Relations between the project's models: each relation field's target
//! model, and the reverse accessors Django adds to the target (`related_name`,
//! or `<model>_set`; the query name `related_query_name`, `related_name` or
//! `<model>`).

use super::models::{ModelId, Models, Reverse};
use super::state::RelKind;

/// Fills `models.reverse` from every concrete model's relation fields.
pub fn resolve(models: &mut Models) {
    let mut reverse: Vec<Vec<Reverse>> = vec![Vec::new(); models.list.len()];
    for (id, m) in models.list.iter().enumerate() {
        if m.options.is_abstract {
            continue;
        }
        let lower = m.name.to_lowercase();
        for (fi, f) in m.fields.iter().enumerate() {
            let Some(rel) = f.relation() else { continue };
            if rel.parent_link {
                continue;
            }
            let Some(target) = models.resolve(id, &rel.target) else {
                continue;
            };
            let fill = |s: &str| {
                s.replace("%(class)s", &lower)
                    .replace("%(app_label)s", &m.app)
                    .replace("%(model_name)s", &lower)
            };
            let related = rel.related_name.as_deref().map(fill);
            let hidden = related.as_deref().is_some_and(|r| r.ends_with('+'));
            let accessor = match (&related, hidden) {
                (_, true) => None,
                (Some(r), false) => Some(r.clone()),
                (None, false) if rel.kind == RelKind::OneToOne => Some(lower.clone()),
                (None, false) => Some(format!("{lower}_set")),
            };
            let query_name = rel
                .related_query_name
                .as_deref()
                .map(fill)
                .or_else(|| related.clone().filter(|_| !hidden))
                .unwrap_or_else(|| lower.clone());
            if let Some(list) = reverse.get_mut(target) {
                list.push(Reverse {
                    accessor,
                    query_name,
                    from: id,
                    field: fi,
                    kind: rel.kind,
                });
            }
        }
    }
    models.reverse = reverse;
}

impl Models {
    /// The reverse relation of model `id` reached by `name`, as an accessor
    /// (`order.items`) or, with `query`, as a lookup (`items__sku`).
    pub fn reverse_of(&self, id: ModelId, name: &str, query: bool) -> Option<&Reverse> {
        let id = self.concrete(id);
        self.reverse.get(id)?.iter().find(|r| {
            if query {
                r.query_name == name
            } else {
                r.accessor.as_deref() == Some(name)
            }
        })
    }
}
