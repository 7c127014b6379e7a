//! Name resolution for one query level: the FROM items it can see, the
//! CTE names and select-list aliases in scope, and the enclosing levels for
//! correlated references.

use sqlparser::ast::Ident;

#[derive(Clone, Debug)]
pub(crate) enum Target {
    Table(String),
    /// A derived table, CTE, table function or hole: not a stored table.
    Derived,
}

#[derive(Clone, Debug)]
pub(crate) struct Entry {
    /// Lower-case names that refer to it: the alias, or the name and its last part.
    pub names: Vec<String>,
    pub target: Target,
}

#[derive(Default)]
pub(crate) struct Scope<'p> {
    pub parent: Option<&'p Scope<'p>>,
    pub entries: Vec<Entry>,
    /// Lower-case CTE names visible here.
    pub ctes: Vec<String>,
    /// Lower-case select-list aliases (ORDER BY / GROUP BY may name them).
    pub aliases: Vec<String>,
}

impl Scope<'_> {
    pub fn is_cte(&self, name: &str) -> bool {
        self.ctes.iter().any(|c| c == name) || self.parent.is_some_and(|p| p.is_cte(name))
    }

    /// `Some((table, column))` for a column of a stored table or of unknown
    /// origin; `None` when it belongs to a derived table.
    pub fn resolve(&self, parts: &[Ident]) -> Option<(Option<String>, String)> {
        let (last, qualifier) = parts.split_last()?;
        let column = last.value.clone();
        if qualifier.is_empty() {
            let mut scope = Some(self);
            while let Some(s) = scope {
                match s.entries.as_slice() {
                    [] => scope = s.parent,
                    [only] => {
                        return match &only.target {
                            Target::Table(t) => Some((Some(t.clone()), column)),
                            Target::Derived => None,
                        };
                    }
                    _ => return Some((None, column)),
                }
            }
            return Some((None, column));
        }
        let q = qualifier
            .iter()
            .map(|i| i.value.to_lowercase())
            .collect::<Vec<_>>()
            .join(".");
        let mut scope = Some(self);
        while let Some(s) = scope {
            if let Some(e) = s.entries.iter().find(|e| e.names.contains(&q)) {
                return match &e.target {
                    Target::Table(t) => Some((Some(t.clone()), column)),
                    Target::Derived => None,
                };
            }
            scope = s.parent;
        }
        Some((None, column))
    }
}
