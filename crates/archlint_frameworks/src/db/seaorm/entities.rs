//! Which table a sea-orm entity stands for.
//!
//! An entity's `#[sea_orm(table_name = "users")]` sits on a struct, which
//! the facts do not hold, so the table is read from where the entity lives:
//! sea-orm-cli writes one module per table, named after it (`users.rs`
//! holds `users::Entity`), and a prelude re-exporting `Entity as Users`.
//! The expanded entity format (`impl EntityName for Entity { fn
//! table_name(&self) -> &str { "users" } }`) is in the facts and wins.

use super::super::diesel::chain::snake_case;
use archlint_model::{Expr, ExprKind, Import, ProjectIndex, Span, StmtKind, Symbol};
use rustc_hash::FxHashMap as HashMap;

/// Import chains followed from a name to its entity.
const MAX_HOPS: u32 = 6;

/// Entity modules with an explicit table name.
pub struct Entities<'a, 'p> {
    index: &'a ProjectIndex<'p>,
    /// File index to the `table_name` its `impl EntityName` returns.
    explicit: HashMap<u32, String>,
}

/// What a name means in one function of one file.
pub struct EntityScope<'s> {
    pub file: u32,
    pub imports: Vec<&'s Import>,
}

impl<'a, 'p> Entities<'a, 'p> {
    pub fn new(index: &'a ProjectIndex<'p>) -> Self {
        let mut explicit = HashMap::default();
        for (fi, file) in index.project.files.iter().enumerate() {
            let facts = &file.facts;
            for f in &facts.functions {
                let archlint_model::Container::Impl(i) = f.container else {
                    continue;
                };
                let is_entity_name = facts.impls.get(i as usize).is_some_and(|im| {
                    im.self_ty == "Entity"
                        && im
                            .trait_name
                            .as_deref()
                            .is_some_and(|t| t.ends_with("EntityName"))
                });
                if f.name != "table_name" || !is_entity_name {
                    continue;
                }
                let name = f.body.iter().find_map(|s| match &s.kind {
                    StmtKind::Return(e) => e.as_str(),
                    _ => None,
                });
                if let Some(n) = name {
                    explicit.insert(fi as u32, n.to_string());
                }
            }
        }
        Entities { index, explicit }
    }

    /// The table of an entity path written in `scope` (the path without
    /// the method: `users::Entity`, `Users`, `Entity`, `prelude::Users`).
    pub fn table(&self, scope: &EntityScope, segs: &[&str]) -> Option<String> {
        self.table_hops(scope, segs, 0)
    }

    fn table_hops(&self, scope: &EntityScope, segs: &[&str], hops: u32) -> Option<String> {
        if hops > MAX_HOPS {
            return None;
        }
        match segs {
            ["Entity"] | ["self", "Entity"] => match find_import(scope, "Entity") {
                Some(im) => self.module_table(scope, &module_segs(im), hops),
                None => self.file_table(scope.file),
            },
            [.., m, "Entity"] if !matches!(*m, "self" | "super" | "crate") => {
                self.module_table(scope, &segs[..segs.len() - 1], hops)
            }
            [.., "prelude", x] | [x] if is_pascal(x) => {
                if let [one] = segs
                    && let Some(im) = find_import(scope, one)
                {
                    let full = full_segs(im);
                    if full.len() > 1 {
                        return self.table_hops(scope, &full, hops + 1);
                    }
                }
                // A name re-exported by a prelude of the project.
                let path = Expr::new(
                    ExprKind::Path(segs.iter().map(|s| s.to_string()).collect()),
                    Span::default(),
                );
                if let Some(Symbol::External(p)) = self.index.resolve_expr(scope.file, &path) {
                    let resolved: Vec<&str> = p.split("::").collect();
                    if resolved.last() == Some(&"Entity") {
                        return self.table_hops(scope, &resolved, hops + 1);
                    }
                }
                // sea-orm-cli's prelude: `pub use super::users::Entity as Users`.
                let from_prelude = segs.contains(&"prelude")
                    || scope
                        .imports
                        .iter()
                        .any(|im| im.name.as_deref() == Some("*") && im.module.contains("prelude"));
                from_prelude.then(|| snake_case(x))
            }
            _ => None,
        }
    }

    /// The table of the entity module `segs` (`users`, `entity::users`, an
    /// alias of an imported module).
    fn module_table(&self, scope: &EntityScope, segs: &[&str], hops: u32) -> Option<String> {
        let (&last, _) = segs.split_last()?;
        if let [one] = segs
            && let Some(im) = find_import(scope, one)
            && hops < MAX_HOPS
        {
            return self.module_table(scope, &full_segs(im), hops + 1);
        }
        let path = Expr::new(
            ExprKind::Path(segs.iter().map(|s| s.to_string()).collect()),
            Span::default(),
        );
        if let Some(Symbol::Module(m)) = self.index.resolve_expr(scope.file, &path)
            && let Some(t) = self.explicit.get(&m)
        {
            return Some(t.clone());
        }
        (!matches!(last, "self" | "super" | "crate")).then(|| last.to_string())
    }

    /// The table of the entity defined in `file` itself.
    pub fn file_table(&self, file: u32) -> Option<String> {
        if let Some(t) = self.explicit.get(&file) {
            return Some(t.clone());
        }
        let m = &self.index.project.file(file)?.module.module;
        m.rsplit("::")
            .next()
            .filter(|s| !s.is_empty() && *s != "crate")
            .map(str::to_string)
    }

    /// The table of a `Column` path prefix: `users::Column` gives `users`;
    /// a bare `Column` its import's module (or `None`: the query's table).
    pub fn column_table(&self, scope: &EntityScope, prefix: &[&str]) -> Option<String> {
        match prefix {
            ["Column"] => {
                let im = find_import(scope, "Column")?;
                self.module_table(scope, &module_segs(im), 0)
            }
            [.., m, "Column"] if !matches!(*m, "self" | "super" | "crate") => {
                self.module_table(scope, &prefix[..prefix.len() - 1], 0)
            }
            [x] => {
                // `use entity::users::Column as UserColumn;`
                let im = find_import(scope, x)?;
                (im.name.as_deref() == Some("Column"))
                    .then(|| self.module_table(scope, &module_segs(im), 0))
                    .flatten()
            }
            _ => None,
        }
    }
}

fn find_import<'s>(scope: &EntityScope<'s>, alias: &str) -> Option<&'s Import> {
    scope
        .imports
        .iter()
        .rev()
        .find(|im| im.alias == alias && im.name.as_deref() != Some("*"))
        .copied()
}

fn module_segs(im: &Import) -> Vec<&str> {
    im.module.split("::").filter(|s| !s.is_empty()).collect()
}

fn full_segs(im: &Import) -> Vec<&str> {
    let mut v = module_segs(im);
    if let Some(n) = im.name.as_deref().filter(|n| *n != "self") {
        v.push(n);
    }
    v
}

/// `Users`, `PostTag`: an entity alias.
pub fn is_pascal(s: &str) -> bool {
    s.chars().next().is_some_and(|c| c.is_ascii_uppercase())
        && s.chars().any(|c| c.is_ascii_lowercase())
        && s.chars().all(|c| c.is_ascii_alphanumeric())
}
