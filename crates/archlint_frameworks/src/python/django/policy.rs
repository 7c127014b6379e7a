//! DRF's policy attributes: what a `permission_classes`, `authentication_classes`
//! or `throttle_classes` list means, wherever it is written (class attribute,
//! decorator, `@action` keyword, settings default), and which one applies.

use super::Ev;
use super::settings::{Settings, strings};
use crate::routes::{Cx, module_value, short};
use archlint_model::{Evidence, Expr, ExprKind, Language, Scope};

/// What a list of permission classes requires.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PermVerdict {
    /// Some class other than `AllowAny`: a check that can reject anonymous requests.
    Auth,
    /// Only `AllowAny`, or an empty list: public on purpose.
    Public,
    /// Not a list we can read (`api_settings.DEFAULT_PERMISSION_CLASSES`).
    Unknown,
}

/// The list a policy value names: a literal, or a module-level list it refers to.
fn list_items<'p>(cx: &Cx<'_, 'p>, file: u32, value: &'p Expr) -> Option<Vec<&'p Expr>> {
    match &value.kind {
        ExprKind::List(_)
        | ExprKind::Tuple(_)
        | ExprKind::Binary(archlint_model::BinOp::Add, _, _) => Some(strings(value)),
        ExprKind::Name(n) => {
            let (_, v) = module_value(cx.index, file, n)?;
            match &v.kind {
                ExprKind::List(_) | ExprKind::Tuple(_) => Some(strings(v)),
                _ => None,
            }
        }
        _ => None,
    }
}

/// Classifies a permission list (class names or dotted strings).
pub fn classify_permissions<'p>(cx: &Cx<'_, 'p>, file: u32, value: &'p Expr) -> PermVerdict {
    let Some(items) = list_items(cx, file, value) else {
        return PermVerdict::Unknown;
    };
    let public = &cx.names(Language::Python).public.classes;
    let mut verdict = PermVerdict::Public;
    for item in items {
        // `IsAuthenticated | IsAdminUser` and other compositions: any class
        // other than `AllowAny` in them can reject a request.
        let judged = class_names(item);
        if judged.iter().any(|n| !public.matches(n)) {
            verdict = PermVerdict::Auth;
        }
    }
    verdict
}

/// The class names an item of a policy list combines (`IsAuthenticated`,
/// `"rest_framework.permissions.IsAuthenticated"`, `IsOwner | IsAdminUser`).
fn class_names(item: &Expr) -> Vec<&str> {
    let mut out = Vec::new();
    let mut stack = vec![item];
    let mut budget = 64;
    while let (Some(e), true) = (stack.pop(), budget > 0) {
        budget -= 1;
        match &e.kind {
            ExprKind::Str(s) => out.push(s.rsplit('.').next().unwrap_or(s)),
            ExprKind::Name(_) | ExprKind::Attr(..) => out.extend(e.last_name()),
            ExprKind::Call { func, .. } => stack.push(func),
            ExprKind::Binary(_, l, r) => {
                stack.push(r);
                stack.push(l);
            }
            ExprKind::Unary(x) => stack.push(x),
            _ => {}
        }
    }
    out
}

/// Whether a policy value names a DRF default (`api_settings.DEFAULT_THROTTLE_CLASSES`).
fn names_default(value: &Expr) -> bool {
    let mut found = false;
    archlint_model::visit::walk_expr(value, |e| {
        if matches!(&e.kind, ExprKind::Name(n) | ExprKind::Attr(_, n) if n.starts_with("DEFAULT_"))
        {
            found = true;
        }
    });
    found
}

/// One place a DRF policy list is written.
#[derive(Clone, Copy)]
pub struct Written<'p> {
    pub file: u32,
    pub value: &'p Expr,
    pub scope: Scope,
    /// How it was written, before the value: `permission_classes = `, `@permission_classes(`.
    pub label: &'static str,
}

/// The three policy lists that apply to a DRF route, each the most specific one written.
#[derive(Clone, Copy, Default)]
pub struct Policy<'p> {
    pub permission: Option<Written<'p>>,
    pub authentication: Option<Written<'p>>,
    pub throttle: Option<Written<'p>>,
    /// A framework base class that sets `permission_classes = ()` (file, base as written).
    pub open_base: Option<(u32, &'p Expr)>,
    /// A framework base class that sets `throttle_classes = ()`.
    pub unthrottled_base: Option<(u32, &'p Expr)>,
}

impl<'p> Policy<'p> {
    /// `self` with the lists `over` writes replacing ours.
    pub fn overridden_by(self, over: Policy<'p>) -> Policy<'p> {
        Policy {
            permission: over.permission.or(self.permission),
            authentication: over.authentication.or(self.authentication),
            throttle: over.throttle.or(self.throttle),
            open_base: self.open_base,
            unthrottled_base: self.unthrottled_base,
        }
    }

    /// The evidence the policy gives, with the settings defaults for what it leaves unset.
    pub fn evidence(&self, cx: &Cx<'_, 'p>, settings: &Settings) -> Ev {
        let mut ev = Ev::default();
        let written = |w: &Written| {
            let close = if w.label.ends_with('(') { ")" } else { "" };
            Evidence {
                scope: w.scope,
                what: format!("{}{}{close}", w.label, short(w.value)),
                location: Some(cx.location(w.file, w.value.span)),
            }
        };
        // `api_settings.DEFAULT_PERMISSION_CLASSES` written out is the default.
        let own = |w: &Option<Written<'p>>| w.filter(|w| !names_default(w.value));
        // A list we cannot read that is not the default is most likely a real
        // check: counted, so that an unusual spelling raises no false alarm.
        let non_empty =
            |w: &Written| list_items(cx, w.file, w.value).is_none_or(|xs| !xs.is_empty());
        match own(&self.permission) {
            Some(w) => match classify_permissions(cx, w.file, w.value) {
                PermVerdict::Public => ev.public.push(written(&w)),
                PermVerdict::Auth | PermVerdict::Unknown => ev.auth.push(written(&w)),
            },
            None => match self.open_base {
                Some((file, base)) => ev.public.push(Evidence {
                    scope: Scope::Class,
                    what: format!("{} (permission_classes = ())", short(base)),
                    location: Some(cx.location(file, base.span)),
                }),
                None => ev.auth.extend(settings.drf_permission.clone()),
            },
        }
        if let Some(w) = own(&self.authentication)
            && non_empty(&w)
        {
            ev.auth.push(written(&w));
        }
        match own(&self.throttle) {
            Some(w) => {
                if non_empty(&w) {
                    ev.rate.push(written(&w));
                }
            }
            None if self.unthrottled_base.is_some() => {}
            None => ev.rate.extend(settings.drf_throttle.clone()),
        }
        ev
    }
}
