//! `use` trees of every shape, one import per bound name.

mod common;

use common::{facts, func};

fn imports(src: &str) -> Vec<(String, Option<String>, String)> {
    facts(src)
        .imports
        .into_iter()
        .map(|i| (i.module, i.name, i.alias))
        .collect()
}

fn imp(m: &str, n: Option<&str>, a: &str) -> (String, Option<String>, String) {
    (m.into(), n.map(Into::into), a.into())
}

#[test]
fn simple_alias_and_glob() {
    assert_eq!(imports("use a::b;"), [imp("a", Some("b"), "b")]);
    assert_eq!(imports("use a::b as c;"), [imp("a", Some("b"), "c")]);
    assert_eq!(imports("use a::b::*;"), [imp("a::b", Some("*"), "*")]);
    assert_eq!(imports("use serde;"), [imp("serde", None, "serde")]);
    assert_eq!(imports("pub use super::x;"), [imp("super", Some("x"), "x")]);
    assert_eq!(
        imports("pub(crate) use self::m::Y;"),
        [imp("self::m", Some("Y"), "Y")]
    );
    assert_eq!(imports("use ::std::io;"), [imp("std", Some("io"), "io")]);
}

#[test]
fn groups_self_and_nesting() {
    assert_eq!(
        imports("use crate::a::{b, c::d, e as f, self, g::{h, i::*}, self as z};"),
        [
            imp("crate::a", Some("b"), "b"),
            imp("crate::a::c", Some("d"), "d"),
            imp("crate::a", Some("e"), "f"),
            imp("crate", Some("a"), "a"),
            imp("crate::a::g", Some("h"), "h"),
            imp("crate::a::g::i", Some("*"), "*"),
            imp("crate", Some("a"), "z"),
        ]
    );
    assert_eq!(
        imports("use {std::fmt, axum::Router};"),
        [
            imp("std", Some("fmt"), "fmt"),
            imp("axum", Some("Router"), "Router")
        ]
    );
}

#[test]
fn imports_in_bodies_and_modules_count_too() {
    let f = facts(
        r#"
mod m { use diesel::prelude::*; }
fn f() {
    use crate::schema::users::dsl::{users, email};
    users.filter(email.eq(1));
}
"#,
    );
    let got: Vec<_> = f
        .imports
        .iter()
        .map(|i| (i.module.as_str(), i.alias.as_str()))
        .collect();
    assert_eq!(
        got,
        [
            ("diesel::prelude", "*"),
            ("crate::schema::users::dsl", "users"),
            ("crate::schema::users::dsl", "email")
        ]
    );
    assert_eq!(func(&f, "f").body.len(), 1);
}

#[test]
fn import_spans_are_the_leaves() {
    let f = facts("use a::{b, c as d};");
    let spans: Vec<_> = f
        .imports
        .iter()
        .map(|i| (i.span.start.col, i.span.end.col))
        .collect();
    assert_eq!(spans, [(9, 10), (12, 18)]);
}
