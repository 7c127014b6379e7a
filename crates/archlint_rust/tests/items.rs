//! Items: where fns live (module, impl, trait, nested fn, inline module),
//! their headers, consts and statics, and skipping test-only code.

mod common;

use archlint_model::{Container, ParamKind};
use common::{body_lines, facts, func, names, show, stmt};

#[test]
fn containers_and_module_paths() {
    let f = facts(
        r#"
fn free() {}
impl Service {
    pub fn new() -> Self { Self::build() }
    async fn run(&self) { fn helper() {} helper(); }
}
trait Repo { fn find(&self) -> u8 { 1 } fn sig(&self); }
mod api { pub mod v1 { pub fn list() { let c = || { fn inner() {} }; } } }
"#,
    );
    assert_eq!(
        names(&f),
        ["free", "new", "run", "helper", "find", "list", "inner"]
    );
    assert_eq!(func(&f, "free").container, Container::Module);
    assert_eq!(func(&f, "new").container, Container::Impl(0));
    assert_eq!(func(&f, "run").container, Container::Impl(0));
    assert_eq!(func(&f, "helper").container, Container::Function(2));
    assert_eq!(func(&f, "find").container, Container::Module);
    assert_eq!(func(&f, "list").module_path, ["api", "v1"]);
    assert_eq!(func(&f, "inner").container, Container::Function(5));
    assert_eq!(func(&f, "inner").module_path, ["api", "v1"]);
    assert_eq!(f.impls[0].trait_name, None);
    assert_eq!(f.impls[0].self_ty, "Service");
    assert_eq!(body_lines(func(&f, "new")), ["return Self::build()"]);
    assert_eq!(body_lines(func(&f, "run")), ["helper()"]);
}

#[test]
fn impl_headers_drop_generics_and_references() {
    let f = facts(
        r#"
impl<'a, T: Clone> From<&'a T> for Wrapper<T> {}
impl<S> FromRef<S> for &mut AppState {}
mod m { impl fmt::Display for crate::Error {} }
"#,
    );
    let got: Vec<_> = f
        .impls
        .iter()
        .map(|i| {
            (
                i.trait_name.clone().unwrap_or_default(),
                i.self_ty.clone(),
                i.module_path.clone(),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            ("From".into(), "Wrapper".into(), vec![]),
            ("FromRef".into(), "AppState".into(), vec![]),
            (
                "fmt::Display".into(),
                "crate::Error".into(),
                vec!["m".to_string()]
            ),
        ]
    );
}

#[test]
fn headers_async_params_returns_and_spans() {
    let f = facts(
        "#[instrument]\n/// doc\npub async unsafe fn h(&mut self, mut n: u32, self2: Box<Self>) -> Result<(), E> {}\nfn s(self: Arc<Self>) {}\n",
    );
    let h = func(&f, "h");
    assert!(h.is_async);
    assert_eq!(common::decorators(h), ["instrument"]);
    assert_eq!((h.span.start.line, h.span.start.col), (1, 1));
    assert_eq!(
        (
            h.name_span.start.line,
            h.name_span.start.col,
            h.name_span.end.col
        ),
        (3, 21, 22)
    );
    let p: Vec<_> = h.params.iter().map(|p| (p.name.as_str(), p.kind)).collect();
    assert_eq!(
        p,
        [
            ("self", ParamKind::SelfParam),
            ("n", ParamKind::Normal),
            ("self2", ParamKind::Normal)
        ]
    );
    assert_eq!(
        h.returns.as_ref().map(show).as_deref(),
        Some("type(Result<(),E>)")
    );
    let s = func(&f, "s");
    assert!(!s.is_async);
    assert_eq!(s.params[0].kind, ParamKind::SelfParam);
    assert_eq!(
        s.params[0].annotation.as_ref().map(show).as_deref(),
        Some("type(Arc<Self>)")
    );
}

#[test]
fn consts_and_statics_are_module_assignments() {
    let f = facts(
        r#"
const LIST_SQL: &str = "SELECT * FROM users";
pub static POOL: Lazy<PgPool> = Lazy::new(|| connect("postgres://"));
mod q { pub const BY_ID: &'static str = r"SELECT * FROM t WHERE id = $1"; }
impl User { const TABLE: &str = "users"; }
fn f() { const LOCAL: u8 = 1; }
"#,
    );
    let got: Vec<_> = f.module_stmts.iter().map(stmt).collect();
    assert_eq!(
        got,
        [
            r#"let LIST_SQL: type(&str) = "SELECT * FROM users""#,
            r#"let POOL: type(Lazy<PgPool>) = Lazy::new(|| {return connect("postgres://")})"#,
            r#"let q::BY_ID: type(&str) = "SELECT * FROM t WHERE id = $1""#,
            r#"let User::TABLE: type(&str) = "users""#,
        ]
    );
    assert_eq!(body_lines(func(&f, "f")), ["let LOCAL: type(u8) = 1"]);
}

#[test]
fn test_code_is_skipped() {
    let f = facts(
        r#"
#[get("/real")]
fn real() {}
#[cfg(test)]
mod tests {
    #[get("/fake")]
    fn fake() {}
}
#[test]
fn unit() {}
#[tokio::test]
async fn async_unit() {}
#[cfg(all(test, feature = "pg"))]
fn helper() {}
#[cfg(not(test))]
fn prod_only() {}
#[cfg(any(test, feature = "mock"))]
fn mock_support() {}
mod inner {
    #![cfg(test)]
    fn also_fake() {}
}
#[cfg(test)]
use crate::fixtures::*;
#[cfg(test)]
impl User { fn test_new() {} }
"#,
    );
    assert_eq!(names(&f), ["real", "prod_only", "mock_support"]);
    assert!(f.imports.is_empty());
    assert!(f.impls.is_empty());
}

#[test]
fn whole_file_under_inner_cfg_test() {
    let f = facts("#![cfg(test)]\nfn a() {}\n");
    assert!(f.functions.is_empty());
}

#[test]
fn item_macros_keep_their_input_as_text() {
    let f = facts(
        r#"
diesel::table! {
    users (id) {
        id -> Int4,
    }
}
joinable!(posts -> users (user_id));
mod inner { lazy_static! { static ref X: u8 = 1; } }
fn body() { table! { not_an_item {} } }
"#,
    );
    let got: Vec<(String, u32, u32)> = f
        .item_macros
        .iter()
        .map(|m| (m.path.join("::"), m.body_start.line, m.body_start.col))
        .collect();
    assert_eq!(
        got,
        [
            ("diesel::table".to_string(), 2, 16),
            ("joinable".to_string(), 7, 10),
            ("lazy_static".to_string(), 8, 26),
        ]
    );
    let users = &f.item_macros[0];
    assert!(users.body.starts_with('{') && users.body.ends_with('}'));
    let id = users.body.find("id ->").unwrap();
    assert_eq!(users.pos_at(id).line, 4);
    assert_eq!(users.pos_at(id).col, 9);
}
