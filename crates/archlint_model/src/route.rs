//! HTTP routes as the framework layer recognises them, with the evidence of
//! authentication, explicit publicity and rate limiting found at each level.

use crate::finding::Location;
use serde::{Deserialize, Serialize, Serializer};

/// Web framework a route was declared with.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Framework {
    Flask,
    Fastapi,
    Starlette,
    Django,
    /// Django REST framework.
    Drf,
    Axum,
    ActixWeb,
    Rocket,
}

impl Framework {
    pub fn as_str(self) -> &'static str {
        match self {
            Framework::Flask => "flask",
            Framework::Fastapi => "fastapi",
            Framework::Starlette => "starlette",
            Framework::Django => "django",
            Framework::Drf => "drf",
            Framework::Axum => "axum",
            Framework::ActixWeb => "actix-web",
            Framework::Rocket => "rocket",
        }
    }
}

/// A set of HTTP methods. `ANY` means the route accepts every method
/// (a Django function view without a method decorator, `Route` without methods).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize)]
pub struct MethodSet(u16);

impl MethodSet {
    pub const GET: MethodSet = MethodSet(1);
    pub const POST: MethodSet = MethodSet(1 << 1);
    pub const PUT: MethodSet = MethodSet(1 << 2);
    pub const PATCH: MethodSet = MethodSet(1 << 3);
    pub const DELETE: MethodSet = MethodSet(1 << 4);
    pub const HEAD: MethodSet = MethodSet(1 << 5);
    pub const OPTIONS: MethodSet = MethodSet(1 << 6);
    pub const TRACE: MethodSet = MethodSet(1 << 7);
    pub const CONNECT: MethodSet = MethodSet(1 << 8);
    pub const ANY: MethodSet = MethodSet(1 << 15);
    pub const EMPTY: MethodSet = MethodSet(0);

    const NAMES: [(MethodSet, &'static str); 10] = [
        (MethodSet::GET, "GET"),
        (MethodSet::POST, "POST"),
        (MethodSet::PUT, "PUT"),
        (MethodSet::PATCH, "PATCH"),
        (MethodSet::DELETE, "DELETE"),
        (MethodSet::HEAD, "HEAD"),
        (MethodSet::OPTIONS, "OPTIONS"),
        (MethodSet::TRACE, "TRACE"),
        (MethodSet::CONNECT, "CONNECT"),
        (MethodSet::ANY, "ANY"),
    ];

    /// Parses one method name, case-insensitively (`get`, `POST`, `*` = any).
    pub fn parse(name: &str) -> Option<MethodSet> {
        if name == "*" {
            return Some(MethodSet::ANY);
        }
        let upper = name.trim().to_ascii_uppercase();
        MethodSet::NAMES
            .iter()
            .find(|(_, n)| *n == upper)
            .map(|(m, _)| *m)
    }

    pub fn union(self, other: MethodSet) -> MethodSet {
        MethodSet(self.0 | other.0)
    }

    pub fn contains(self, other: MethodSet) -> bool {
        other.0 != 0 && self.0 & other.0 == other.0
    }

    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// Whether a request through this route can change state: POST, PUT,
    /// PATCH or DELETE, or any method.
    pub fn is_state_changing(self) -> bool {
        self.0
            & (MethodSet::POST.0
                | MethodSet::PUT.0
                | MethodSet::PATCH.0
                | MethodSet::DELETE.0
                | MethodSet::ANY.0)
            != 0
    }

    /// Method names in a fixed order.
    pub fn names(self) -> Vec<&'static str> {
        MethodSet::NAMES
            .iter()
            .filter(|(m, _)| self.contains(*m))
            .map(|(_, n)| *n)
            .collect()
    }

    /// `GET, POST` or `ANY`.
    pub fn display(self) -> String {
        self.names().join(", ")
    }
}

impl Serialize for MethodSet {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.names().serialize(s)
    }
}

/// A function in the project: file index and function index in that file's facts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct FuncRef {
    pub file: u32,
    pub func: u32,
}

/// The code that serves a route.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Handler {
    /// Display name (`create_order`, `OrderViewSet`, `OrderView.post`).
    pub name: String,
    /// The handler's name in its `def`/`fn`/`class` line.
    pub location: Location,
    /// The functions that run for this route (one, or a class view's methods;
    /// for a Rust handler generic over the type named in its turbofish, also
    /// that type's trait methods the handler calls).
    pub funcs: Vec<FuncRef>,
    /// The type whose trait impl carries the route's logic when that impl is
    /// outside the scanned code (`route_post::<AddAdmin>` with `AddAdmin`
    /// imported from a crate that was not scanned): what runs is unknown.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unseen_dispatch: Option<String>,
}

/// At which level a piece of evidence applies.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Scope {
    /// On the route or its handler (decorator, parameter, extractor).
    Route,
    /// A check the handler's own body runs (it reads the caller's identity
    /// or credentials and rejects): it runs inside the handler, not before
    /// it, as in a login view that verifies a password.
    Handler,
    /// On the class-based view or viewset.
    Class,
    /// On a router, blueprint, scope or nested router.
    Router,
    /// On the whole application.
    App,
    /// Project settings or middleware lists (Django `MIDDLEWARE`, `REST_FRAMEWORK`).
    Settings,
    /// archlint's own configuration (`public_paths`).
    Config,
}

impl Scope {
    pub fn as_str(self) -> &'static str {
        match self {
            Scope::Route => "route",
            Scope::Handler => "handler",
            Scope::Class => "class",
            Scope::Router => "router",
            Scope::App => "app",
            Scope::Settings => "settings",
            Scope::Config => "config",
        }
    }
}

/// One reason to believe a route is authenticated, public, or rate-limited.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Evidence {
    pub scope: Scope,
    /// What was seen, as the user wrote it: `@login_required`,
    /// `Depends(get_current_user)`, `route_layer(from_fn(require_auth))`.
    pub what: String,
    pub location: Option<Location>,
}

/// An HTTP route with everything the API rules need.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Route {
    pub framework: Framework,
    pub methods: MethodSet,
    /// Full path with every prefix applied, in the framework's own syntax
    /// (`/users/<int:id>`, `/users/{id}`, `/users/:id`).
    pub path: String,
    pub handler: Handler,
    /// Where the route is registered, when that is not the handler's decorator.
    pub registration: Option<Location>,
    /// What the route belongs to, for "its siblings are authenticated":
    /// a router, blueprint, viewset, scope or module identity.
    pub group: String,
    pub auth: Vec<Evidence>,
    /// Explicit "this is public" markers (`AllowAny`, a configured public decorator).
    pub public: Vec<Evidence>,
    pub rate_limit: Vec<Evidence>,
}

impl Route {
    /// `POST /orders` style label.
    pub fn label(&self) -> String {
        format!("{} {}", self.methods.display(), self.path)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn method_sets() {
        let m = MethodSet::parse("get").unwrap().union(MethodSet::POST);
        assert_eq!(m.display(), "GET, POST");
        assert!(m.is_state_changing());
        assert!(!MethodSet::GET.union(MethodSet::HEAD).is_state_changing());
        assert!(MethodSet::ANY.is_state_changing());
        assert_eq!(MethodSet::parse("bogus"), None);
        assert!(!MethodSet::EMPTY.contains(MethodSet::EMPTY));
    }
}
