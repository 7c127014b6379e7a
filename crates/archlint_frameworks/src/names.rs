//! Name lists from framework knowledge: exact names and `*` globs matched
//! against identifiers (`login_required`, `*_required`, `get_current_*`).

use globset::{Glob, GlobMatcher};
use rustc_hash::FxHashSet;

/// A set of identifier patterns. Exact names are looked up in a hash set
/// (only membership is asked, so its order never shows); the rare glob
/// patterns are tried one by one.
#[derive(Clone, Debug, Default)]
pub struct NameSet {
    exact: FxHashSet<String>,
    globs: Vec<(String, GlobMatcher)>,
}

impl NameSet {
    pub fn new<I: IntoIterator<Item = S>, S: AsRef<str>>(names: I) -> Self {
        let mut set = NameSet::default();
        set.extend(names);
        set
    }

    /// Adds names; an invalid glob is kept as an exact name (config
    /// validation reports bad globs before we get here).
    pub fn extend<I: IntoIterator<Item = S>, S: AsRef<str>>(&mut self, names: I) {
        for n in names {
            let n = n.as_ref();
            if n.contains(['*', '?', '['])
                && let Ok(g) = Glob::new(n)
            {
                self.globs.push((n.to_string(), g.compile_matcher()));
                continue;
            }
            self.exact.insert(n.to_string());
        }
    }

    pub fn matches(&self, name: &str) -> bool {
        !name.is_empty()
            && (self.exact.contains(name) || self.globs.iter().any(|(_, g)| g.is_match(name)))
    }

    /// The names any of `sets` matches: one lookup in place of several
    /// where only membership in one of them matters.
    pub fn union<'a>(sets: impl IntoIterator<Item = &'a NameSet>) -> NameSet {
        let mut out = NameSet::default();
        for set in sets {
            out.exact.extend(set.exact.iter().cloned());
            for (text, g) in &set.globs {
                if !out.globs.iter().any(|(t, _)| t == text) {
                    out.globs.push((text.clone(), g.clone()));
                }
            }
        }
        out
    }

    pub fn is_empty(&self) -> bool {
        self.exact.is_empty() && self.globs.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_union_matches_what_any_of_its_sets_matches() {
        let a = NameSet::new(["execute", "get_*"]);
        let b = NameSet::new(["query", "get_*", "sel?ct"]);
        let u = NameSet::union([&a, &b]);
        for name in ["execute", "query", "get_one", "select", "selfct"] {
            assert!(u.matches(name), "{name}");
        }
        for name in ["", "filter", "get", "selectt"] {
            assert!(!u.matches(name), "{name}");
        }
        assert!(NameSet::union([]).is_empty());
    }

    #[test]
    fn exact_and_glob() {
        let s = NameSet::new(["login_required", "get_current_*"]);
        assert!(s.matches("login_required"));
        assert!(s.matches("get_current_active_user"));
        assert!(!s.matches("get_items"));
        assert!(!s.matches(""));
    }
}
