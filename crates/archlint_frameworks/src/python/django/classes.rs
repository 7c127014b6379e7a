//! Class hierarchies of class-based views: the project classes a view class
//! inherits from (an approximate method resolution order), the bases outside
//! the project by name, and attribute and method lookup through them.

use crate::routes::Cx;
use archlint_model::{ClassRef, Container, Expr, ExprKind, FuncRef, StmtKind, Symbol};
use std::collections::BTreeSet;

/// Bound on the number of project classes followed up a hierarchy.
const MAX_MRO: usize = 32;

/// A base class that is not defined in the project.
#[derive(Clone, Debug)]
pub struct ExternalBase<'p> {
    /// Last name (`ModelViewSet`).
    pub name: String,
    /// Full dotted path when the import says it (`rest_framework.viewsets.ModelViewSet`),
    /// else the text as written.
    pub path: String,
    /// The base as written, and its file.
    pub file: u32,
    pub expr: &'p Expr,
}

/// A class with everything its hierarchy contributes.
pub struct ClassInfo<'p> {
    pub class: ClassRef,
    pub name: &'p str,
    /// Project classes, the class itself first, depth-first left to right
    /// (Python's C3 order for the shapes views use).
    pub mro: Vec<ClassRef>,
    /// Every base expression written on a class of `mro`, with its file.
    pub bases: Vec<(u32, &'p Expr)>,
    /// Bases outside the project, in `mro` order.
    pub external: Vec<ExternalBase<'p>>,
}

/// Builds the hierarchy of `c`.
pub fn class_info<'p>(cx: &Cx<'_, 'p>, c: ClassRef) -> Option<ClassInfo<'p>> {
    let project = cx.index.project;
    let cls = project.class(c)?;
    let mut info = ClassInfo {
        class: c,
        name: &cls.name,
        mro: Vec::new(),
        bases: Vec::new(),
        external: Vec::new(),
    };
    let mut seen = BTreeSet::new();
    // Depth-first, left to right; the stack holds bases in reverse.
    let mut stack = vec![c];
    while let Some(cur) = stack.pop() {
        if info.mro.len() >= MAX_MRO || !seen.insert(cur) {
            continue;
        }
        info.mro.push(cur);
        let Some(k) = project.class(cur) else {
            continue;
        };
        let mut project_bases = Vec::new();
        for base in k.bases.iter().filter(|a| a.name.is_none()) {
            info.bases.push((cur.file, &base.value));
            match cx.index.resolve_expr(cur.file, &base.value) {
                Some(Symbol::Class(b)) => project_bases.push(b),
                other => {
                    let Some(name) = base.value.last_name() else {
                        continue;
                    };
                    let path = match other {
                        Some(Symbol::External(p)) => p,
                        _ => base.value.dotted().unwrap_or_else(|| name.to_string()),
                    };
                    info.external.push(ExternalBase {
                        name: name.to_string(),
                        path,
                        file: cur.file,
                        expr: &base.value,
                    });
                }
            }
        }
        stack.extend(project_bases.into_iter().rev());
    }
    Some(info)
}

impl<'p> ClassInfo<'p> {
    /// The value of a class attribute, from the first class of the hierarchy
    /// that assigns it in its body: (file, value).
    pub fn attr(&self, cx: &Cx<'_, 'p>, name: &str) -> Option<(u32, &'p Expr)> {
        self.mro.iter().find_map(|&c| {
            let cls = cx.index.project.class(c)?;
            class_assign(&cls.body, name).map(|v| (c.file, v))
        })
    }

    /// A method, from the first class of the hierarchy that defines it.
    pub fn method(&self, cx: &Cx<'_, 'p>, name: &str) -> Option<FuncRef> {
        self.mro.iter().find_map(|&c| cx.index.method(c, name))
    }

    /// Every method the hierarchy defines, the first definition of each name,
    /// in hierarchy then source order.
    pub fn methods(&self, cx: &Cx<'_, 'p>) -> Vec<(&'p str, FuncRef)> {
        let mut names = BTreeSet::new();
        let mut out = Vec::new();
        for &c in &self.mro {
            let Some(file) = cx.index.project.file(c.file) else {
                continue;
            };
            for (i, f) in file.facts.functions.iter().enumerate() {
                if f.container == Container::Class(c.class) && names.insert(f.name.as_str()) {
                    out.push((
                        f.name.as_str(),
                        FuncRef {
                            file: c.file,
                            func: i as u32,
                        },
                    ));
                }
            }
        }
        out
    }

    /// Whether a base outside the project satisfies `pred` (on its last name).
    pub fn has_external(&self, pred: impl Fn(&ExternalBase<'p>) -> bool) -> bool {
        self.external.iter().any(pred)
    }
}

/// The value last assigned to `name` in a class body.
fn class_assign<'e>(body: &'e [archlint_model::Stmt], name: &str) -> Option<&'e Expr> {
    let mut found = None;
    for s in body {
        if let StmtKind::Assign {
            targets,
            value,
            augmented: false,
            ..
        } = &s.kind
            && targets
                .iter()
                .any(|t| matches!(&t.kind, ExprKind::Name(n) if n == name))
        {
            found = Some(value);
        }
    }
    found
}
