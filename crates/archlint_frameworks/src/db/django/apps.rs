//! Django app labels: which app a models module or a migration belongs to.
//! The label is the app package's last component (`dcim` for
//! `netbox/dcim/models/devices.py`), unless an `AppConfig` in the package's
//! `apps.py` sets `label = "..."`.

use archlint_model::{ExprKind, Language, Project, StmtKind};
use std::collections::BTreeMap;

/// App labels by package path (dotted, as the project's module names).
#[derive(Default)]
pub struct Apps {
    labels: BTreeMap<String, String>,
}

impl Apps {
    /// Reads `label = "..."` from `AppConfig` subclasses in `apps.py` modules.
    pub fn collect(project: &Project) -> Apps {
        let mut labels = BTreeMap::new();
        for file in &project.files {
            if file.language != Language::Python {
                continue;
            }
            let Some(package) = file.module.module.strip_suffix(".apps") else {
                continue;
            };
            for class in &file.facts.classes {
                // `AppConfig`, or a project's or library's subclass of it.
                let is_config = class
                    .bases
                    .iter()
                    .any(|b| b.value.last_name().is_some_and(|n| n.ends_with("Config")));
                if !is_config || class.parent.is_some() {
                    continue;
                }
                for s in &class.body {
                    if let StmtKind::Assign { targets, value, .. } = &s.kind
                        && targets
                            .iter()
                            .any(|t| matches!(&t.kind, ExprKind::Name(n) if n == "label"))
                        && let Some(l) = value.as_str()
                    {
                        labels.insert(package.to_string(), l.to_lowercase());
                    }
                }
            }
        }
        Apps { labels }
    }

    /// The package of the app a module belongs to: the part before the
    /// first `models` or `migrations` component (`extras.models.models` is
    /// in `extras`), else the module's package.
    pub fn package_of(module: &str) -> String {
        let parts: Vec<&str> = module.split('.').collect();
        let at = parts
            .iter()
            .enumerate()
            .position(|(i, p)| i > 0 && (*p == "models" || *p == "migrations"))
            .unwrap_or(parts.len().saturating_sub(1));
        parts[..at.max(1).min(parts.len())].join(".")
    }

    /// The app label of a module.
    pub fn label_of(&self, module: &str) -> String {
        let package = Apps::package_of(module);
        if let Some(l) = self.labels.get(&package) {
            return l.clone();
        }
        package
            .rsplit('.')
            .next()
            .unwrap_or(&package)
            .to_lowercase()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_from_module_paths() {
        let apps = Apps::default();
        assert_eq!(apps.label_of("shop.models"), "shop");
        assert_eq!(apps.label_of("netbox.dcim.models.devices"), "dcim");
        assert_eq!(apps.label_of("dcim.migrations.0001_initial"), "dcim");
        assert_eq!(apps.label_of("shop.order"), "shop");
        assert_eq!(apps.label_of("models"), "models");
        assert_eq!(apps.label_of("nautobot.extras.models.models"), "extras");
    }
}
