//! Code that checks a secret a request carries: a comparison of a password,
//! passphrase or one-time code with the expected value
//! (`request.form["password"] != app.config["ADMIN_PASSWORD"]`,
//! `password != *ARGS.auth_admin_password`). Such a handler authenticates
//! the request itself, and is worth limiting: every request is a guess.

use crate::db::sqltext::locals::UnwrapUnary;
use archlint_model::visit::walk_stmts;
use archlint_model::{BinOp, Expr, ExprKind, Span, Stmt};

/// The first comparison in `body` that checks a secret, if any.
pub fn secret_comparison(body: &[Stmt]) -> Option<Span> {
    let mut found = None;
    walk_stmts(body, |e| {
        if found.is_none() && compares_secret(e) {
            found = Some(e.span);
        }
    });
    found
}

/// Whether `e` is `a == b` or `a != b` between two secrets, a submitted one
/// and the expected one, named so on both sides: so not a literal
/// (`password == ""` checks presence) nor a secret compared with some other
/// value (`option["value"] == passphrase` looks a value up), and not a second
/// copy typed by the user (`password != password_confirm`).
pub fn compares_secret(e: &Expr) -> bool {
    let ExprKind::Binary(BinOp::Eq | BinOp::NotEq, l, r) = &e.kind else {
        return false;
    };
    [l, r]
        .iter()
        .all(|x| names_of(x).any(is_secret) && !names_of(x).any(is_confirmation))
}

/// The names an operand reads its value by: the last name of a name,
/// attribute or path (`form.password`, `ARGS.auth_admin_password`), the
/// string key of a subscript or `.get(..)` (`request.form["password"]`).
fn names_of(e: &Expr) -> impl Iterator<Item = &str> {
    let e = e.unwrap_unary();
    let mut out: Vec<&str> = Vec::new();
    match &e.kind {
        ExprKind::Name(n) => out.push(n),
        ExprKind::Attr(_, a) => out.push(a),
        ExprKind::Path(segs) => out.extend(segs.last().map(String::as_str)),
        ExprKind::Subscript(_, keys) => out.extend(keys.iter().filter_map(|k| k.as_str())),
        ExprKind::Call { func, args } => {
            if let ExprKind::Attr(_, m) = &func.kind
                && m == "get"
            {
                out.extend(args.first().and_then(|a| a.value.as_str()));
            }
        }
        _ => {}
    }
    out.into_iter()
}

/// A name for a secret to check: a password, passphrase, PIN or one-time code.
fn is_secret(name: &str) -> bool {
    let n = name.to_ascii_lowercase();
    n.contains("password")
        || n.contains("passwd")
        || n.contains("passphrase")
        || matches!(n.as_str(), "pin" | "otp" | "totp" | "otp_code" | "pin_code")
}

/// A second copy of a secret the user typed to confirm it.
fn is_confirmation(name: &str) -> bool {
    let n = name.to_ascii_lowercase();
    [
        "confirm",
        "repeat",
        "again",
        "verify",
        "retype",
        "password2",
    ]
    .iter()
    .any(|w| n.contains(w))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn first_compare(src: &str) -> bool {
        let facts = archlint_python::PythonExtractor::new().extract(src.as_bytes());
        let f = &facts.functions[0];
        secret_comparison(&f.body).is_some()
    }

    #[test]
    fn secrets_compared_with_expected_values() {
        assert!(first_compare(
            "def f():\n    if request.form['password'] != app.config['ADMIN_PASSWORD']:\n        abort(403)\n"
        ));
        assert!(first_compare("def f(pin):\n    return pin == stored.pin\n"));
        assert!(first_compare(
            "def f():\n    ok = request.json.get('passphrase') == settings.PASSPHRASE\n"
        ));
    }

    #[test]
    fn presence_checks_and_confirmations_are_no_secret_checks() {
        assert!(!first_compare(
            "def f(password):\n    return password == ''\n"
        ));
        assert!(!first_compare(
            "def f(password):\n    return password != None\n"
        ));
        assert!(!first_compare(
            "def f(password, password_confirm):\n    return password != password_confirm\n"
        ));
        assert!(!first_compare(
            "def f():\n    return form['password'] == form['password2']\n"
        ));
        assert!(!first_compare("def f(a, b):\n    return a == b\n"));
        assert!(!first_compare(
            "def f(options, passphrase):\n    return [o for o in options if o['value'] == passphrase]\n"
        ));
        assert!(!first_compare(
            "def f(password):\n    return len(password) < 8\n"
        ));
    }
}
