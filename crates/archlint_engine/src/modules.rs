//! Where each file sits in its language's module system: Python dotted module
//! names from package directories (`__init__.py`), Rust `crate::a::b` paths
//! from the nearest Cargo.toml's `src/` directory.

use archlint_model::{Language, ModuleName};
use rustc_hash::FxHashMap as HashMap;
use std::path::{Path, PathBuf};

/// Computes module names with caches for directory lookups.
#[derive(Default)]
pub struct ModuleNamer {
    is_package: HashMap<PathBuf, bool>,
    crate_of_dir: HashMap<PathBuf, Option<(PathBuf, String)>>,
}

impl ModuleNamer {
    pub fn name(&mut self, abs: &Path, language: Language) -> ModuleName {
        match language {
            Language::Python => self.python(abs),
            Language::Rust => self.rust(abs),
        }
    }

    fn python(&mut self, abs: &Path) -> ModuleName {
        let stem = abs
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or("")
            .to_string();
        let is_init = stem == "__init__";
        let mut parts: Vec<String> = Vec::new();
        if !is_init {
            parts.push(stem);
        }
        let mut dir = abs.parent();
        // Bounded: real package nesting is shallow; stop at 64 levels regardless.
        for _ in 0..64 {
            let Some(d) = dir else { break };
            if !self.dir_is_package(d) {
                break;
            }
            parts.push(
                d.file_name()
                    .and_then(|s| s.to_str())
                    .unwrap_or("")
                    .to_string(),
            );
            dir = d.parent();
        }
        parts.reverse();
        ModuleName {
            module: parts.join("."),
            crate_name: String::new(),
            is_package: is_init,
        }
    }

    fn dir_is_package(&mut self, d: &Path) -> bool {
        if let Some(&b) = self.is_package.get(d) {
            return b;
        }
        let b = d.join("__init__.py").is_file();
        self.is_package.insert(d.to_path_buf(), b);
        b
    }

    fn rust(&mut self, abs: &Path) -> ModuleName {
        let Some((crate_dir, name)) = abs.parent().and_then(|d| self.crate_of(d)) else {
            // No Cargo.toml above: treat the file's directory as a crate root.
            let stem = abs.file_stem().and_then(|s| s.to_str()).unwrap_or("");
            let module = if matches!(stem, "main" | "lib" | "mod") {
                "crate".to_string()
            } else {
                format!("crate::{stem}")
            };
            return ModuleName {
                module,
                crate_name: String::new(),
                is_package: false,
            };
        };
        let src = crate_dir.join("src");
        let rel = abs.strip_prefix(&src).unwrap_or(abs);
        let comps: Vec<String> = rel
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect();
        let (crate_name, segs): (String, Vec<String>) = match comps.as_slice() {
            [f] if f == "lib.rs" => (name, vec![]),
            [f] if f == "main.rs" => {
                // A binary next to a library is its own crate that uses the library by name.
                if src.join("lib.rs").is_file() {
                    (format!("{name}#main"), vec![])
                } else {
                    (name, vec![])
                }
            }
            [b, f] if b == "bin" => (f.trim_end_matches(".rs").to_string(), vec![]),
            [b, d, f] if b == "bin" && f == "main.rs" => (d.clone(), vec![]),
            _ => {
                let mut segs: Vec<String> = comps.clone();
                if let Some(last) = segs.pop()
                    && last != "mod.rs"
                {
                    segs.push(last.trim_end_matches(".rs").to_string());
                }
                (name, segs)
            }
        };
        let mut module = String::from("crate");
        for s in segs {
            module.push_str("::");
            module.push_str(&s);
        }
        ModuleName {
            module,
            crate_name,
            is_package: false,
        }
    }

    /// The nearest enclosing crate directory and its name.
    fn crate_of(&mut self, dir: &Path) -> Option<(PathBuf, String)> {
        let mut chain = Vec::new();
        let mut cur = Some(dir);
        let mut found = None;
        for _ in 0..64 {
            let Some(d) = cur else { break };
            if let Some(c) = self.crate_of_dir.get(d) {
                found = c.clone();
                break;
            }
            chain.push(d.to_path_buf());
            let manifest = d.join("Cargo.toml");
            if manifest.is_file()
                && let Some(name) = package_name(&manifest)
            {
                found = Some((d.to_path_buf(), name));
                break;
            }
            cur = d.parent();
        }
        for d in chain {
            self.crate_of_dir.insert(d, found.clone());
        }
        found
    }
}

/// `[package] name` of a manifest with `-` turned into `_`; `None` for a
/// workspace-only manifest. An unreadable or malformed manifest falls back to
/// the directory name: it is the scanned project's file, not our config.
fn package_name(manifest: &Path) -> Option<String> {
    let text = std::fs::read_to_string(manifest).ok();
    let parsed: Option<toml::Table> = text.as_deref().and_then(|t| t.parse().ok());
    match parsed {
        Some(t) => {
            let pkg = t.get("package")?.as_table()?;
            let name = pkg.get("name")?.as_str()?;
            Some(name.replace('-', "_"))
        }
        None => manifest
            .parent()?
            .file_name()?
            .to_str()
            .map(|s| s.replace('-', "_")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn touch(p: &Path, text: &str) {
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }

    #[test]
    fn python_modules_follow_packages() {
        let dir = tempfile::tempdir().unwrap();
        let r = dir.path();
        touch(&r.join("proj/shop/__init__.py"), "");
        touch(&r.join("proj/shop/api/__init__.py"), "");
        touch(&r.join("proj/shop/api/views.py"), "");
        touch(&r.join("proj/manage.py"), "");
        let mut n = ModuleNamer::default();
        assert_eq!(
            n.name(&r.join("proj/shop/api/views.py"), Language::Python)
                .module,
            "shop.api.views"
        );
        let init = n.name(&r.join("proj/shop/api/__init__.py"), Language::Python);
        assert_eq!((init.module.as_str(), init.is_package), ("shop.api", true));
        assert_eq!(
            n.name(&r.join("proj/manage.py"), Language::Python).module,
            "manage"
        );
    }

    #[test]
    fn rust_modules_follow_cargo_layout() {
        let dir = tempfile::tempdir().unwrap();
        let r = dir.path();
        touch(&r.join("svc/Cargo.toml"), "[package]\nname = \"my-svc\"\n");
        touch(&r.join("svc/src/lib.rs"), "");
        touch(&r.join("svc/src/main.rs"), "");
        touch(&r.join("svc/src/api/mod.rs"), "");
        touch(&r.join("svc/src/api/users.rs"), "");
        let mut n = ModuleNamer::default();
        let m = n.name(&r.join("svc/src/api/users.rs"), Language::Rust);
        assert_eq!(
            (m.crate_name.as_str(), m.module.as_str()),
            ("my_svc", "crate::api::users")
        );
        assert_eq!(
            n.name(&r.join("svc/src/api/mod.rs"), Language::Rust).module,
            "crate::api"
        );
        assert_eq!(
            n.name(&r.join("svc/src/main.rs"), Language::Rust)
                .crate_name,
            "my_svc#main"
        );
        assert_eq!(
            n.name(&r.join("svc/src/lib.rs"), Language::Rust).module,
            "crate"
        );
    }
}
