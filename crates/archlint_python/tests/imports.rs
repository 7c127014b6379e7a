//! Imports of every form, wherever they stand.

mod common;
use archlint_model::Import;
use common::*;

fn rows(imports: &[Import]) -> Vec<(String, Option<String>, String, u32)> {
    imports
        .iter()
        .map(|i| (i.module.clone(), i.name.clone(), i.alias.clone(), i.level))
        .collect()
}

fn row(
    module: &str,
    name: Option<&str>,
    alias: &str,
    level: u32,
) -> (String, Option<String>, String, u32) {
    (module.into(), name.map(Into::into), alias.into(), level)
}

#[test]
fn every_form() {
    let f = facts(
        r#"
import os
import a.b
import a.b as c, d.e
from x.y import a, b as c
from . import v
from ..m import *
from .pkg.mod import (
    one,  # a comment
    two as deux,
)
from __future__ import annotations
"#,
    );
    assert_eq!(
        rows(&f.imports),
        [
            row("os", None, "os", 0),
            row("a.b", None, "a", 0),
            row("a.b", None, "c", 0),
            row("d.e", None, "d", 0),
            row("x.y", Some("a"), "a", 0),
            row("x.y", Some("b"), "c", 0),
            row("", Some("v"), "v", 1),
            row("m", Some("*"), "*", 2),
            row("pkg.mod", Some("one"), "one", 1),
            row("pkg.mod", Some("two"), "deux", 1),
            row("__future__", Some("annotations"), "annotations", 0),
        ]
    );
    // Each import spans the name it binds.
    let two = &f.imports[9];
    assert_eq!(
        (two.span.start.line, two.span.start.col, two.span.end.col),
        (10, 5, 16)
    );
}

#[test]
fn imports_inside_blocks_and_functions() {
    let f = facts(
        r#"
if TYPE_CHECKING:
    from models import User
try:
    import ujson as json
except ImportError:
    import json

def handler():
    from .db import session
    return session
"#,
    );
    let aliases: Vec<_> = f.imports.iter().map(|i| i.alias.as_str()).collect();
    assert_eq!(aliases, ["User", "json", "json", "session"]);
    assert_eq!(show_stmts(&func(&f, "handler").body), ["return session"]);
}
