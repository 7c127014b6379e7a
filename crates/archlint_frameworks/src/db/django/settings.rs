//! The two Django settings the database model needs: `AUTH_USER_MODEL` (the
//! model behind `settings.AUTH_USER_MODEL` and `request.user`) and DRF's
//! `REST_FRAMEWORK["DEFAULT_PAGINATION_CLASS"]`, read from module-level
//! assignments of every module that sets them.

use archlint_model::{Expr, ExprKind, Language, Project, StmtKind};

/// What the settings say.
#[derive(Default)]
pub struct Settings {
    /// `("accounts", "user")` for `AUTH_USER_MODEL = "accounts.User"`.
    pub auth_user: Option<(String, String)>,
    /// Some settings module sets a (non-`None`) default pagination class.
    pub default_pagination: bool,
}

fn pagination(key: &str, value: &Expr) -> bool {
    key == "DEFAULT_PAGINATION_CLASS" && !matches!(value.kind, ExprKind::NoneLit)
}

/// `{"DEFAULT_PAGINATION_CLASS": ...}` or `dict(DEFAULT_PAGINATION_CLASS=...)`.
fn dict_paginates(value: &Expr) -> bool {
    match &value.kind {
        ExprKind::Dict(pairs) => pairs
            .iter()
            .any(|(k, v)| k.as_str().is_some_and(|k| pagination(k, v))),
        ExprKind::Call { func, args } if func.last_name() == Some("dict") => args
            .iter()
            .any(|a| a.name.as_deref().is_some_and(|k| pagination(k, &a.value))),
        _ => false,
    }
}

impl Settings {
    pub fn collect(project: &Project) -> Settings {
        let mut s = Settings::default();
        for file in &project.files {
            if file.language != Language::Python {
                continue;
            }
            for st in &file.facts.module_stmts {
                match &st.kind {
                    StmtKind::Assign { targets, value, .. } => {
                        for t in targets {
                            match &t.kind {
                                ExprKind::Name(n) if n == "AUTH_USER_MODEL" => {
                                    if let Some((app, model)) =
                                        value.as_str().and_then(|v| v.rsplit_once('.'))
                                        && s.auth_user.is_none()
                                    {
                                        s.auth_user =
                                            Some((app.to_lowercase(), model.to_lowercase()));
                                    }
                                }
                                ExprKind::Name(n) if n == "REST_FRAMEWORK" => {
                                    s.default_pagination |= dict_paginates(value);
                                }
                                // `REST_FRAMEWORK["DEFAULT_PAGINATION_CLASS"] = ...`
                                ExprKind::Subscript(base, idx) if matches!(&base.kind, ExprKind::Name(n) if n == "REST_FRAMEWORK") =>
                                {
                                    s.default_pagination |= idx
                                        .first()
                                        .and_then(Expr::as_str)
                                        .is_some_and(|k| pagination(k, value));
                                }
                                _ => {}
                            }
                        }
                    }
                    // `REST_FRAMEWORK.update({...})`
                    StmtKind::Expr(e) => {
                        if let Some((func, args)) = e.as_call()
                            && let ExprKind::Attr(recv, m) = &func.kind
                            && m == "update"
                            && matches!(&recv.kind, ExprKind::Name(n) if n == "REST_FRAMEWORK")
                        {
                            s.default_pagination |= args.iter().any(|a| match &a.name {
                                None => dict_paginates(&a.value),
                                Some(k) => pagination(k, &a.value),
                            });
                        }
                    }
                    StmtKind::Return(_) => {}
                }
            }
        }
        s
    }
}
