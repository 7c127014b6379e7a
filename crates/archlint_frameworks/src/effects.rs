//! Expensive work a call does, recognised from `rules/frameworks/effects.toml`:
//! database queries, password hashing, outbound HTTP. Per-function summaries
//! say whether a function reaches such work through the call graph.

use crate::knowledge::{EffectNames, Knowledge};
use archlint_model::{Expr, ExprKind, Location, Symbol};
use std::cell::OnceCell;
use std::sync::Arc;

/// A kind of expensive work.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Effect {
    Database,
    PasswordHash,
    Http,
}

impl Effect {
    pub const ALL: [Effect; 3] = [Effect::Database, Effect::PasswordHash, Effect::Http];

    /// Phrase for messages: "reaches a database query".
    pub fn phrase(self) -> &'static str {
        match self {
            Effect::Database => "a database query",
            Effect::PasswordHash => "password hashing",
            Effect::Http => "an outbound HTTP call",
        }
    }

    fn idx(self) -> usize {
        self as usize
    }
}

/// One call doing expensive work.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Witness {
    /// The call as written (`cursor.execute`, `sqlx::query`).
    pub call: String,
    pub location: Location,
}

/// For each kind of effect, the first call found that does it (directly or
/// through calls), if any.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct EffectSummary {
    /// Shared: a witness propagates to every caller up the call graph.
    pub found: [Option<Arc<Witness>>; 3],
}

impl EffectSummary {
    pub fn get(&self, e: Effect) -> Option<&Witness> {
        self.found[e.idx()].as_deref()
    }

    pub fn add(&mut self, e: Effect, w: Witness) {
        let slot = &mut self.found[e.idx()];
        if slot.is_none() {
            *slot = Some(Arc::new(w));
        }
    }

    /// Keeps our own witnesses, takes the callee's for kinds we lack.
    pub fn join(&mut self, other: &EffectSummary) {
        for (mine, theirs) in self.found.iter_mut().zip(&other.found) {
            if mine.is_none() {
                mine.clone_from(theirs);
            }
        }
    }

    pub fn any(&self) -> Option<(Effect, &Witness)> {
        Effect::ALL
            .iter()
            .find_map(|&e| self.get(e).map(|w| (e, w)))
    }
}

/// Classifies a call by its callee expression and what name resolution made of it.
pub fn classify(k: &Knowledge, func: &Expr, resolved: Option<&Symbol>) -> Option<Effect> {
    let external = match resolved {
        Some(Symbol::External(p)) => Some(p.replace("::", ".")),
        _ => None,
    };
    // A call into the project's own code is judged by what that code does, not by its name.
    if matches!(resolved, Some(Symbol::Func(_) | Symbol::Class(_))) {
        return None;
    }
    let kinds = [
        (Effect::Database, &k.database),
        (Effect::PasswordHash, &k.password_hash),
        (Effect::Http, &k.http),
    ];
    // The library a call resolves to says more than its name: a method
    // `get` on a `requests.Session` is HTTP, not a database session.
    if let Some(path) = external.as_deref()
        && let Some((e, _)) = kinds.iter().find(|(_, n)| by_path(n, path))
    {
        return Some(*e);
    }
    // The receiver as written, spelled out once for all kinds.
    let receiver_text = OnceCell::new();
    kinds
        .into_iter()
        .find(|(_, names)| by_name(names, func, external.as_deref(), &receiver_text))
        .map(|(e, _)| e)
}

/// `path` is `prefix` or lies under it (`flask.session.get` under `flask.session`).
fn under(path: &str, prefix: &str) -> bool {
    path.strip_prefix(prefix)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with('.'))
}

/// A receiver written `recv` is `suffix` or ends with it
/// (`self.request.session` ends with `request.session`).
fn ends_with_receiver(recv: &str, suffix: &str) -> bool {
    recv.strip_suffix(suffix)
        .is_some_and(|head| head.is_empty() || head.ends_with('.'))
}

/// Whether a library path is this effect (`requests.get`, `bcrypt.hashpw`).
fn by_path(n: &EffectNames, path: &str) -> bool {
    if n.not_modules.iter().any(|m| under(path, m)) {
        return false;
    }
    if n.functions.matches(path) {
        return true;
    }
    // `httpx.Client()`, `requests.Session()`: building a client is not a call.
    let constructs = path
        .rsplit('.')
        .next()
        .is_some_and(|last| last.starts_with(|c: char| c.is_ascii_uppercase()));
    !constructs && n.modules.iter().any(|m| under(path, m))
}

/// Whether the call's names say it is this effect (`cursor.execute`,
/// `User.objects.filter`), unless its library says otherwise.
/// `receiver_text` caches the receiver's dotted text between the kinds.
fn by_name(
    n: &EffectNames,
    func: &Expr,
    external: Option<&str>,
    receiver_text: &OnceCell<Option<String>>,
) -> bool {
    if external.is_some_and(|p| n.not_modules.iter().any(|m| under(p, m))) {
        return false;
    }
    let (receiver, method) = match &func.kind {
        ExprKind::Attr(recv, m) => (Some(recv.as_ref()), m.as_str()),
        ExprKind::Name(m) => (None, m.as_str()),
        ExprKind::Path(segs) => (None, segs.last().map(String::as_str).unwrap_or("")),
        _ => return false,
    };
    if let Some(r) = receiver
        && !n.not_receivers.is_empty()
        && let Some(text) = receiver_text.get_or_init(|| r.unwrap_await().dotted())
        && n.not_receivers.iter().any(|s| ends_with_receiver(text, s))
    {
        return false;
    }
    if n.methods.matches(method) {
        return true;
    }
    let Some(recv) = receiver else { return false };
    if n.receivers
        .matches(recv.unwrap_await().last_name().unwrap_or(""))
        && n.receiver_methods.matches(method)
    {
        return true;
    }
    // `User.objects.filter(...)...`, `User.query.filter_by(...)`: look down the receiver chain.
    let mut cur = recv;
    for _ in 0..16 {
        match &cur.kind {
            ExprKind::Attr(inner, a) => {
                if n.receiver_attrs.matches(a) {
                    return true;
                }
                cur = inner;
            }
            ExprKind::Call { func, .. } => cur = func,
            ExprKind::Await(inner) => cur = inner,
            _ => break,
        }
    }
    false
}
