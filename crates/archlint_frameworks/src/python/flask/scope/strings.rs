//! String values of expressions for route paths and prefixes: literals,
//! f-strings, concatenations, `str.format`, names and settings attributes
//! bound to them, configuration keys (`app.config["URL_PREFIX"]`) and the
//! returns of small path helpers bound to one call's arguments.

use super::{Place, Scopes, Val, last_assign};
use archlint_model::{ArgsExt, Expr, ExprKind, StmtKind, StrPart, Symbol};

impl<'a, 'p> Scopes<'a, 'p> {
    /// The string value of `e`, when it can be worked out: literals, f-strings
    /// of literals, `+` concatenations, names bound to those, and attributes of
    /// a project settings object (`settings.API_V1_STR` with a class default).
    pub fn string(&self, at: Place, e: &'p Expr) -> Option<String> {
        self.string_hops(at, e, 0)
    }

    fn string_hops(&self, at: Place, e: &'p Expr, hops: u32) -> Option<String> {
        if hops > 8 {
            return None;
        }
        match &e.kind {
            ExprKind::Str(s) => Some(s.clone()),
            // Numbers take part in f-strings and `format` (`f"/v{API_VERSION}"`).
            ExprKind::Number(n) => Some(n.clone()),
            ExprKind::FStr(parts) => {
                let mut s = String::new();
                for p in parts {
                    match p {
                        StrPart::Lit(l) => s.push_str(l),
                        StrPart::Expr(x) => s.push_str(&self.string_hops(at, x, hops + 1)?),
                    }
                }
                Some(s)
            }
            ExprKind::Binary(archlint_model::BinOp::Add, l, r) => {
                Some(self.string_hops(at, l, hops + 1)? + &self.string_hops(at, r, hops + 1)?)
            }
            ExprKind::Attr(base, attr) => {
                if let Some(s) = self.class_attr_string(at, base, attr, hops) {
                    return Some(s);
                }
                self.single_value_string(at, e, hops)
            }
            ExprKind::Name(_) => self.single_value_string(at, e, hops),
            // `app.config["USER_URL_PREFIX"]`, `app.config.get("PREFIX", "/x")`.
            ExprKind::Subscript(base, idx) if base.last_name() == Some("config") => {
                self.config_value(idx.first()?.as_str()?)
            }
            // `"/api/{0}/action".format(VERSION)`.
            ExprKind::Call { func, args } if func.last_name() == Some("format") => {
                let ExprKind::Attr(base, _) = &func.kind else {
                    return None;
                };
                let template = self.string_hops(at, base, hops + 1)?;
                let arg = |x: &'p Expr| self.string_hops(at, x, hops + 1);
                format_template(&template, |key| match key.parse::<usize>() {
                    Ok(i) => args.positional(i).and_then(arg),
                    Err(_) => args.keyword(key).and_then(arg),
                })
            }
            ExprKind::Call { func, args } if func.last_name() == Some("get") => {
                let ExprKind::Attr(base, _) = &func.kind else {
                    return None;
                };
                if base.last_name() != Some("config") {
                    return None;
                }
                let key = args.positional(0)?.as_str()?;
                self.config_value(key).or_else(|| {
                    args.positional(1)
                        .and_then(|d| self.string_hops(at, d, hops + 1))
                })
            }
            _ => None,
        }
    }

    /// Every string value `e` may take (a loop variable has several); empty
    /// when none can be worked out.
    pub fn strings(&self, at: Place, e: &'p Expr) -> Vec<String> {
        if let Some(one) = self.string(at, e) {
            return vec![one];
        }
        let mut out: Vec<String> = Vec::new();
        // `_add_static_prefix("/health")`: the helper's returns, with its
        // parameters bound to this call's arguments.
        if let Some((callee, _)) = e.as_call()
            && let Some(Symbol::Func(g)) = self.callee(at, callee)
            && !self.bound.borrow().iter().any(|(b, _, _)| *b == g)
            && self.bound.borrow().len() < 4
        {
            let body = self
                .func(g.file, g.func)
                .map(|f| f.body.as_slice())
                .unwrap_or(&[]);
            let inner = Place {
                file: g.file,
                func: Some(g.func),
            };
            self.bound.borrow_mut().push((g, at, e));
            for st in body {
                if let StmtKind::Return(r) = &st.kind {
                    for v in self.strings(inner, r) {
                        if !out.contains(&v) {
                            out.push(v);
                        }
                    }
                }
            }
            self.bound.borrow_mut().pop();
            return out;
        }
        for v in self.values(at, e) {
            if let Val::Expr(p, x) = v
                && !std::ptr::eq(x, e)
                && let Some(s) = self.string_hops(p, x, 1)
                && !out.contains(&s)
            {
                out.push(s);
            }
        }
        out
    }

    /// The value of a configuration key assigned a string literal in the
    /// project (`USER_URL_PREFIX = "/user"` in a config module or class,
    /// `app.config["KEY"] = "..."`), when all such assignments agree.
    fn config_value(&self, key: &str) -> Option<String> {
        if let Some(v) = self.config.borrow().get(key) {
            return v.clone();
        }
        let mut found: Option<Option<String>> = None;
        let mut note = |v: Option<&str>| {
            let v = v.map(str::to_string);
            found = match &found {
                None => Some(v),
                Some(prev) if *prev == v => Some(v),
                Some(_) => Some(None),
            };
        };
        for f in &self.index.project.files {
            let class_bodies = f.facts.classes.iter().map(|c| c.body.as_slice());
            let bodies = std::iter::once(f.facts.module_stmts.as_slice())
                .chain(class_bodies)
                .chain(f.facts.functions.iter().map(|x| x.body.as_slice()));
            for body in bodies {
                for st in body {
                    let StmtKind::Assign { targets, value, .. } = &st.kind else {
                        continue;
                    };
                    for t in targets {
                        let hit = match &t.kind {
                            ExprKind::Name(n) => n == key,
                            ExprKind::Subscript(b, idx) => {
                                b.last_name() == Some("config")
                                    && idx.first().and_then(|k| k.as_str()) == Some(key)
                            }
                            _ => false,
                        };
                        if hit {
                            note(value.as_str());
                        }
                    }
                }
            }
        }
        let v = found.flatten();
        self.config.borrow_mut().insert(key.to_string(), v.clone());
        v
    }

    fn single_value_string(&self, at: Place, e: &'p Expr, hops: u32) -> Option<String> {
        let vals = self.values(at, e);
        let mut found: Option<String> = None;
        for v in vals {
            let Val::Expr(p, x) = v else { return None };
            if std::ptr::eq(x, e) {
                return None;
            }
            let s = self.string_hops(p, x, hops + 1)?;
            if found.as_ref().is_some_and(|f| f != &s) {
                return None;
            }
            found = Some(s);
        }
        found
    }

    /// `settings.PREFIX` where `settings = Settings()` (a project class) or
    /// `Settings.PREFIX`: the class-level default of `PREFIX`.
    fn class_attr_string(
        &self,
        at: Place,
        base: &'p Expr,
        attr: &str,
        hops: u32,
    ) -> Option<String> {
        for v in self.values(at, base) {
            let class = match v {
                Val::Sym(Symbol::Class(c)) => Some(c),
                Val::Expr(p, x) => match x.as_call() {
                    Some((callee, _)) => match self.callee(p, callee) {
                        Some(Symbol::Class(c)) => Some(c),
                        _ => None,
                    },
                    None => None,
                },
                _ => None,
            };
            let Some(c) = class else { continue };
            let Some(cls) = self.index.project.class(c) else {
                continue;
            };
            if let Some(value) = last_assign(&cls.body, attr, None) {
                return self.string_hops(self.class_place(c.file, c.class), value, hops + 1);
            }
        }
        None
    }
}

/// `str.format` for `{}`, `{0}` and `{name}` fields (no format specs);
/// `{{`/`}}` escapes. `None` when a field cannot be filled.
fn format_template(
    template: &str,
    mut field: impl FnMut(&str) -> Option<String>,
) -> Option<String> {
    let mut out = String::with_capacity(template.len());
    let mut chars = template.chars().peekable();
    let mut auto = 0usize;
    while let Some(c) = chars.next() {
        match c {
            '{' if chars.peek() == Some(&'{') => {
                chars.next();
                out.push('{');
            }
            '}' if chars.peek() == Some(&'}') => {
                chars.next();
                out.push('}');
            }
            '{' => {
                let mut key = String::new();
                for k in chars.by_ref() {
                    if k == '}' {
                        break;
                    }
                    key.push(k);
                }
                if key.contains([':', '!', '[', '.']) {
                    return None;
                }
                if key.is_empty() {
                    key = auto.to_string();
                    auto += 1;
                }
                out.push_str(&field(&key)?);
            }
            _ => out.push(c),
        }
    }
    Some(out)
}
