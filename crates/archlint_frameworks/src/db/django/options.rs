//! Model options: a `class Meta` body or a migration's `options={...}`
//! (`db_table`, `abstract`, `proxy`, `managed`, `indexes`, `constraints`,
//! `unique_together`, `index_together`), and index declarations
//! (`models.Index(fields=["a", "-b"])`, `UniqueConstraint(Lower("x"), ...)`).

use super::state::{IndexDef, IndexPart, Options};
use archlint_model::{ArgsExt, Expr, ExprKind, Project};

/// Index classes and their access method (`None` for the default b-tree).
fn index_method(class: &str) -> Option<Option<&'static str>> {
    Some(match class {
        "Index" => None,
        "BTreeIndex" => Some("btree"),
        "BloomIndex" => Some("bloom"),
        "BrinIndex" => Some("brin"),
        "GinIndex" => Some("gin"),
        "GistIndex" => Some("gist"),
        "HashIndex" => Some("hash"),
        "SpGistIndex" => Some("spgist"),
        _ => return None,
    })
}

/// Items of a list, tuple or set literal, also as `set([...])` (older
/// migrations write `unique_together=set([("a", "b")])`).
pub fn items(e: &Expr) -> Option<&[Expr]> {
    match &e.kind {
        ExprKind::List(xs) | ExprKind::Tuple(xs) | ExprKind::Set(xs) => Some(xs),
        ExprKind::Call { func, args }
            if args.len() == 1
                && matches!(
                    func.last_name(),
                    Some("set" | "frozenset" | "tuple" | "list")
                ) =>
        {
            match &args.first()?.value.kind {
                ExprKind::List(xs) | ExprKind::Tuple(xs) | ExprKind::Set(xs) => Some(xs),
                _ => None,
            }
        }
        _ => None,
    }
}

/// An index key part from an expression: `"a"`, `"-a"`, `F("a")`,
/// `F("a").desc()`, `Lower("email")`, `Upper(F("email"))`.
fn part(e: &Expr) -> IndexPart {
    if let Some(s) = e.as_str() {
        return IndexPart::Field(s.trim_start_matches('-').to_string());
    }
    let mut cur = e;
    // `F("a").desc()`, `.asc(nulls_last=True)`: ordering does not change the key.
    for _ in 0..4 {
        match cur.as_call() {
            Some((f, _)) if matches!(f.last_name(), Some("desc" | "asc")) => match &f.kind {
                ExprKind::Attr(inner, _) => cur = inner,
                _ => break,
            },
            _ => break,
        }
    }
    if let Some((f, args)) = cur.as_call() {
        let name = f.last_name().unwrap_or("");
        let inner = args.positional(0);
        if name == "F"
            && let Some(s) = inner.and_then(Expr::as_str)
        {
            return IndexPart::Field(s.to_string());
        }
        if let Some(col) = inner.and_then(|a| match part(a) {
            IndexPart::Field(c) => Some(c),
            IndexPart::Expression(_) => None,
        }) && args.len() == 1
        {
            return IndexPart::Expression(format!("{}({col})", name.to_lowercase()));
        }
    }
    IndexPart::Expression(crate::routes::short(e))
}

/// `models.Index(...)` or `models.UniqueConstraint(...)`; `None` for other
/// constraints (`CheckConstraint`) and anything unreadable.
pub fn index_def(project: &Project, file: u32, e: &Expr) -> Option<IndexDef> {
    let (callee, args) = e.as_call()?;
    let class = callee.last_name()?;
    let (unique, method) = if class == "UniqueConstraint" {
        (true, None)
    } else {
        (false, index_method(class)?)
    };
    let mut parts: Vec<IndexPart> = match args.keyword("fields") {
        Some(fields) => items(fields)?.iter().map(part).collect(),
        None => args
            .iter()
            .filter(|a| a.name.is_none())
            .map(|a| part(&a.value))
            .collect(),
    };
    if parts.is_empty() {
        // `expressions=` is not a keyword Django takes; nothing readable.
        parts = args
            .keyword("expressions")
            .and_then(items)
            .map(|xs| xs.iter().map(part).collect())
            .unwrap_or_default();
    }
    if parts.is_empty() {
        return None;
    }
    Some(IndexDef {
        name: args
            .keyword("name")
            .and_then(Expr::as_str)
            .map(str::to_string),
        parts,
        unique,
        partial: args.keyword("condition").is_some(),
        method: method.map(str::to_string),
        at: project.location(file, e.span),
    })
}

/// `("a", "b")` as one group, or `[("a", "b"), ("c", "d")]` as two.
fn together(project: &Project, file: u32, e: &Expr, unique: bool) -> Option<Vec<IndexDef>> {
    // `set()`, `None`, `{}`: no groups.
    let empty = matches!(&e.kind, ExprKind::NoneLit)
        || matches!(&e.kind, ExprKind::Dict(pairs) if pairs.is_empty())
        || e.as_call().is_some_and(|(f, args)| {
            args.is_empty() && matches!(f.last_name(), Some("set" | "frozenset" | "tuple" | "list"))
        });
    if empty {
        return Some(Vec::new());
    }
    let xs = items(e)?;
    let group = |g: &Expr| -> Option<IndexDef> {
        let names: Option<Vec<IndexPart>> = items(g)?
            .iter()
            .map(|x| x.as_str().map(|s| IndexPart::Field(s.to_string())))
            .collect();
        Some(IndexDef {
            name: None,
            parts: names?,
            unique,
            partial: false,
            method: None,
            at: project.location(file, g.span),
        })
    };
    if xs.iter().all(|x| x.as_str().is_some()) {
        if xs.is_empty() {
            return Some(Vec::new());
        }
        let parts = xs
            .iter()
            .filter_map(Expr::as_str)
            .map(|s| IndexPart::Field(s.to_string()))
            .collect();
        return Some(vec![IndexDef {
            name: None,
            parts,
            unique,
            partial: false,
            method: None,
            at: project.location(file, e.span),
        }]);
    }
    xs.iter().map(group).collect()
}

impl Options {
    /// Applies one option (`key = value` in `Meta`, `"key": value` in a migration).
    pub fn apply(&mut self, project: &Project, file: u32, key: &str, value: &Expr) {
        let flag = |v: &Expr| matches!(v.kind, ExprKind::Bool(true));
        match key {
            "db_table" => match value.as_str() {
                Some(t) => self.db_table = Some(t.to_string()),
                None => self.unreadable = true,
            },
            "app_label" => self.app_label = value.as_str().map(str::to_lowercase),
            "abstract" => self.is_abstract = flag(value),
            "proxy" => self.proxy = flag(value),
            "managed" => self.unmanaged = matches!(value.kind, ExprKind::Bool(false)),
            "indexes" => match items(value) {
                Some(xs) => {
                    self.indexes = xs
                        .iter()
                        .filter_map(|x| index_def(project, file, x))
                        .collect();
                    self.unreadable |= self.indexes.len() != xs.len();
                }
                None => self.unreadable = true,
            },
            "constraints" => match items(value) {
                Some(xs) => {
                    self.constraints = xs
                        .iter()
                        .filter(|x| {
                            x.as_call()
                                .and_then(|(f, _)| f.last_name())
                                .is_some_and(|n| n == "UniqueConstraint")
                        })
                        .filter_map(|x| index_def(project, file, x))
                        .collect();
                }
                None => self.unreadable = true,
            },
            "unique_together" => match together(project, file, value, true) {
                Some(g) => self.unique_together = g,
                None => self.unreadable = true,
            },
            "index_together" => match together(project, file, value, false) {
                Some(g) => self.index_together = g,
                None => self.unreadable = true,
            },
            _ => {}
        }
    }
}
