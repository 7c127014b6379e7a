//! DRF list endpoints: every class that serves a `list` action through DRF
//! (`ListAPIView`, `ListCreateAPIView`, `ModelViewSet`,
//! `ReadOnlyModelViewSet`, `ListModelMixin`), where its rows come from (the
//! `queryset = ...` attribute or the `get_queryset` return), and whether DRF
//! paginates it (`pagination_class` on the class or a project base, else
//! `DEFAULT_PAGINATION_CLASS` in settings; `pagination_class = None` opts out).

use super::knowledge::names;
use super::settings::Settings;
use archlint_model::{
    Class, ClassRef, Container, ExprKind, Language, ListView, Location, ProjectIndex, StmtKind,
    Symbol,
};
use std::collections::BTreeSet;

/// Bound on the project classes of one hierarchy.
const MAX_MRO: usize = 32;

/// Project classes of `c`'s hierarchy (itself first, depth-first, left to
/// right) and the last names of bases outside the project.
fn hierarchy(index: &ProjectIndex, c: ClassRef) -> (Vec<ClassRef>, Vec<String>) {
    let mut mro = Vec::new();
    let mut external = Vec::new();
    let mut seen = BTreeSet::new();
    let mut stack = vec![c];
    while let Some(cur) = stack.pop() {
        if mro.len() >= MAX_MRO || !seen.insert(cur) {
            continue;
        }
        mro.push(cur);
        let Some(k) = index.project.class(cur) else {
            continue;
        };
        let mut bases = Vec::new();
        for b in k.bases.iter().filter(|a| a.name.is_none()) {
            match index.resolve_expr(cur.file, &b.value) {
                Some(Symbol::Class(p)) => bases.push(p),
                _ => external.extend(b.value.last_name().map(str::to_string)),
            }
        }
        stack.extend(bases.into_iter().rev());
    }
    (mro, external)
}

/// The statement assigning `name` in a class body.
fn class_attr<'c>(class: &'c Class, name: &str) -> Option<&'c archlint_model::Stmt> {
    class.body.iter().rev().find(|s| match &s.kind {
        StmtKind::Assign { targets, .. } => targets
            .iter()
            .any(|t| matches!(&t.kind, ExprKind::Name(n) if n == name)),
        _ => false,
    })
}

fn assigned_value(s: &archlint_model::Stmt) -> Option<&archlint_model::Expr> {
    match &s.kind {
        StmtKind::Assign { value, .. } => Some(value),
        _ => None,
    }
}

/// Whether a function calls something named like pagination (`paginate_queryset`, `paginator`).
fn mentions_pagination(f: &archlint_model::Function) -> bool {
    let mut found = false;
    archlint_model::visit::walk_stmts(&f.body, |e| {
        if let Some((callee, _)) = e.as_call() {
            found |= callee
                .last_name()
                .is_some_and(|n| n.to_ascii_lowercase().contains("paginat"));
        }
    });
    found
}

/// Adds a list view for every DRF list endpoint class of the project.
pub fn list_views(index: &ProjectIndex, settings: &Settings, out: &mut Vec<ListView>) {
    let project = index.project;
    let n = names();
    for (fi, file) in project.files.iter().enumerate() {
        if file.language != Language::Python {
            continue;
        }
        for (ci, class) in file.facts.classes.iter().enumerate() {
            if class.parent.is_some() || class.in_function.is_some() {
                continue;
            }
            let c = ClassRef {
                file: fi as u32,
                class: ci as u32,
            };
            let (mro, external) = hierarchy(index, c);
            if !external.iter().any(|b| n.list_views.matches(b)) {
                continue;
            }
            let mut queryset: Option<Location> = None;
            let mut pagination: Option<bool> = None;
            let mut custom_list = false;
            let mut sliced = false;
            for &k in &mro {
                let Some(cls) = project.class(k) else {
                    continue;
                };
                let methods: Vec<(usize, &archlint_model::Function)> = project
                    .file(k.file)
                    .map(|f| {
                        f.facts
                            .functions
                            .iter()
                            .enumerate()
                            .filter(|(_, f)| f.container == Container::Class(k.class))
                            .collect()
                    })
                    .unwrap_or_default();
                let method = |name: &str| methods.iter().find(|(_, f)| f.name == name);
                if queryset.is_none() {
                    if let Some(s) = class_attr(cls, "queryset") {
                        queryset = Some(project.location(k.file, s.span));
                        // `Model.objects.filter(..)[:100]`: sliced, so bounded.
                        sliced = assigned_value(s)
                            .is_some_and(|v| matches!(v.kind, ExprKind::Subscript(..)));
                    } else if let Some((_, f)) = method("get_queryset") {
                        let ret = f
                            .body
                            .iter()
                            .find(|s| matches!(s.kind, StmtKind::Return(_)))
                            .map_or(f.name_span, |s| s.span);
                        queryset = Some(project.location(k.file, ret));
                    }
                }
                if pagination.is_none()
                    && let Some(v) = class_attr(cls, "pagination_class").and_then(assigned_value)
                {
                    pagination = Some(!matches!(v.kind, ExprKind::NoneLit));
                }
                // A `list`/`get` of its own (or pagination hooks) may well
                // paginate: nothing is concluded about it. A `filter_queryset`
                // that paginates (`paginator(qs, request)`) bounds it too.
                custom_list |= n.list_overrides.iter().any(|m| method(m).is_some())
                    || method("filter_queryset").is_some_and(|(_, f)| mentions_pagination(f));
            }
            let Some(queryset) = queryset else { continue };
            let external_pagination = external.iter().any(|b| b.contains("Paginat"));
            let paginated = custom_list
                || sliced
                || external_pagination
                || pagination.unwrap_or(settings.default_pagination);
            out.push(ListView {
                handler: project.location(c.file, class.name_span),
                queryset,
                paginated,
            });
        }
    }
}
