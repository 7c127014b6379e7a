//! Framework knowledge: the name lists under `rules/frameworks/*.toml`,
//! embedded at build time, extended by the project's configuration.

use crate::names::NameSet;
use archlint_model::Language;
use serde::Deserialize;

const PYTHON_TOML: &str = include_str!("../../../rules/frameworks/python.toml");
const RUST_TOML: &str = include_str!("../../../rules/frameworks/rust.toml");
const COMMON_TOML: &str = include_str!("../../../rules/frameworks/common.toml");
const EFFECTS_TOML: &str = include_str!("../../../rules/frameworks/effects.toml");

/// The five kinds of names recognised for each purpose.
#[derive(Clone, Debug, Default)]
pub struct Names {
    /// Decorators (Python) and attributes (Rust).
    pub decorators: NameSet,
    /// FastAPI `Depends`/`Security` targets.
    pub dependencies: NameSet,
    /// Base classes, mixins, DRF permission/throttle classes.
    pub classes: NameSet,
    /// Middleware, layers, `wrap` arguments.
    pub middleware: NameSet,
    /// Handler parameter types (Rust extractors, rocket guards).
    pub extractors: NameSet,
    /// Functions outside the project that check the request themselves and
    /// fail without a valid credential (an ActivityPub inbox verifying the
    /// HTTP signature), called from the handler or a function it calls.
    pub calls: NameSet,
}

/// Names for one language.
#[derive(Clone, Debug, Default)]
pub struct LanguageNames {
    pub auth: Names,
    pub public: Names,
    pub rate_limit: Names,
}

/// How to recognise one kind of expensive call.
#[derive(Clone, Debug, Default)]
pub struct EffectNames {
    /// Module/crate path prefixes (`requests`, `sqlx`).
    pub modules: Vec<String>,
    /// Full paths (`werkzeug.security.generate_password_hash`).
    pub functions: NameSet,
    pub methods: NameSet,
    pub receiver_attrs: NameSet,
    pub receivers: NameSet,
    pub receiver_methods: NameSet,
    /// Library paths whose calls are never this effect, whatever the names
    /// above suggest (`flask.session.get` reads a cookie).
    pub not_modules: Vec<String>,
    /// Receivers (dotted suffixes) that are never this effect (`request.session`).
    pub not_receivers: Vec<String>,
}

/// Everything archlint knows about frameworks, for one scan.
#[derive(Clone, Debug, Default)]
pub struct Knowledge {
    pub python: LanguageNames,
    pub rust: LanguageNames,
    /// Path globs of routes public by design.
    pub public_paths: Vec<String>,
    /// Word sequences marking auth-sensitive endpoints.
    pub sensitive_words: Vec<Vec<String>>,
    /// The sensitive words whose requests carry a secret the server checks;
    /// they stay sensitive on routes behind authentication.
    pub secret_words: Vec<Vec<String>>,
    /// Word sequences of a sign-in handler's name (public by design unless
    /// the project's config replaces the default public paths).
    pub sign_in_words: Vec<Vec<String>>,
    pub database: EffectNames,
    pub password_hash: EffectNames,
    pub http: EffectNames,
}

/// Names a project adds, per purpose (mirrors the config file's tables).
#[derive(Clone, Debug, Default)]
pub struct Extension<'a> {
    pub auth: [&'a [String]; 6],
    pub public: [&'a [String]; 6],
    pub rate_limit: [&'a [String]; 6],
    /// Replaces the default public paths when `Some`.
    pub public_paths: Option<&'a [String]>,
    pub extend_public_paths: &'a [String],
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawNames {
    decorators: Vec<String>,
    dependencies: Vec<String>,
    classes: Vec<String>,
    middleware: Vec<String>,
    extractors: Vec<String>,
    #[serde(default)]
    calls: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLanguage {
    auth: RawNames,
    public: RawNames,
    rate_limit: RawNames,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCommon {
    public_paths: Vec<String>,
    sensitive_words: Vec<String>,
    secret_words: Vec<String>,
    sign_in_words: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEffect {
    modules: Vec<String>,
    functions: Vec<String>,
    methods: Vec<String>,
    receiver_attrs: Vec<String>,
    receivers: Vec<String>,
    receiver_methods: Vec<String>,
    #[serde(default)]
    not_modules: Vec<String>,
    #[serde(default)]
    not_receivers: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEffects {
    database: RawEffect,
    password_hash: RawEffect,
    http: RawEffect,
}

impl From<RawNames> for Names {
    fn from(r: RawNames) -> Self {
        Names {
            decorators: NameSet::new(r.decorators),
            dependencies: NameSet::new(r.dependencies),
            classes: NameSet::new(r.classes),
            middleware: NameSet::new(r.middleware),
            extractors: NameSet::new(r.extractors),
            calls: NameSet::new(r.calls),
        }
    }
}

impl From<RawEffect> for EffectNames {
    fn from(r: RawEffect) -> Self {
        EffectNames {
            modules: r.modules,
            functions: NameSet::new(r.functions),
            methods: NameSet::new(r.methods),
            receiver_attrs: NameSet::new(r.receiver_attrs),
            receivers: NameSet::new(r.receivers),
            receiver_methods: NameSet::new(r.receiver_methods),
            not_modules: r.not_modules,
            not_receivers: r.not_receivers,
        }
    }
}

fn language(text: &str) -> LanguageNames {
    // The embedded files are checked by a unit test; a broken one is a build defect.
    let raw: RawLanguage =
        toml::from_str(text).expect("embedded framework knowledge is valid TOML");
    LanguageNames {
        auth: raw.auth.into(),
        public: raw.public.into(),
        rate_limit: raw.rate_limit.into(),
    }
}

fn word_sequences(entries: &[String]) -> Vec<Vec<String>> {
    entries
        .iter()
        .map(|w| w.split_whitespace().map(str::to_string).collect())
        .collect()
}

impl Names {
    fn extend(&mut self, lists: [&[String]; 6]) {
        let [d, dep, c, m, e, calls] = lists;
        self.decorators.extend(d);
        self.dependencies.extend(dep);
        self.classes.extend(c);
        self.middleware.extend(m);
        self.extractors.extend(e);
        self.calls.extend(calls);
    }
}

impl Knowledge {
    /// The built-in knowledge.
    pub fn builtin() -> Knowledge {
        let common: RawCommon = toml::from_str(COMMON_TOML).expect("embedded common.toml is valid");
        let effects: RawEffects =
            toml::from_str(EFFECTS_TOML).expect("embedded effects.toml is valid");
        Knowledge {
            python: language(PYTHON_TOML),
            rust: language(RUST_TOML),
            public_paths: common.public_paths,
            sensitive_words: word_sequences(&common.sensitive_words),
            secret_words: word_sequences(&common.secret_words),
            sign_in_words: word_sequences(&common.sign_in_words),
            database: effects.database.into(),
            password_hash: effects.password_hash.into(),
            http: effects.http.into(),
        }
    }

    /// Adds a project's names (to both languages: a name is a name).
    pub fn extend(&mut self, ext: &Extension<'_>) {
        for lang in [&mut self.python, &mut self.rust] {
            lang.auth.extend(ext.auth);
            lang.public.extend(ext.public);
            lang.rate_limit.extend(ext.rate_limit);
        }
        if let Some(p) = ext.public_paths {
            self.public_paths = p.to_vec();
            // The sign-in handler names are part of the default login flows:
            // a project that lists its public paths itself has replaced them.
            self.sign_in_words.clear();
        }
        self.public_paths
            .extend(ext.extend_public_paths.iter().cloned());
    }

    pub fn lang(&self, l: Language) -> &LanguageNames {
        match l {
            Language::Python => &self.python,
            Language::Rust => &self.rust,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_knowledge_parses() {
        let k = Knowledge::builtin();
        assert!(k.python.auth.decorators.matches("login_required"));
        assert!(
            k.python
                .auth
                .dependencies
                .matches("get_current_active_user")
        );
        assert!(k.rust.auth.extractors.matches("AuthUser"));
        assert!(k.rust.rate_limit.middleware.matches("GovernorLayer"));
        assert!(!k.public_paths.is_empty());
    }

    /// The lists are documented as sorted; keep them so, for review and merges.
    #[test]
    fn embedded_lists_are_sorted() {
        for (file, text) in [
            ("python.toml", PYTHON_TOML),
            ("rust.toml", RUST_TOML),
            ("common.toml", COMMON_TOML),
            ("effects.toml", EFFECTS_TOML),
        ] {
            let value: toml::Table = toml::from_str(text).unwrap();
            let mut stack: Vec<(String, &toml::Value)> =
                value.iter().map(|(k, v)| (k.clone(), v)).collect();
            while let Some((key, v)) = stack.pop() {
                match v {
                    toml::Value::Table(t) => {
                        stack.extend(t.iter().map(|(k, v)| (format!("{key}.{k}"), v)))
                    }
                    toml::Value::Array(a) => {
                        let items: Vec<&str> = a.iter().filter_map(|x| x.as_str()).collect();
                        let mut sorted = items.clone();
                        sorted.sort();
                        assert_eq!(items, sorted, "{file}: {key} is not sorted");
                    }
                    _ => {}
                }
            }
        }
    }

    /// A secret word is a sensitive word that survives authentication: it
    /// must be one of the sensitive words.
    #[test]
    fn secret_words_are_sensitive_words() {
        let k = Knowledge::builtin();
        assert!(!k.secret_words.is_empty());
        for w in &k.secret_words {
            assert!(
                k.sensitive_words.contains(w),
                "{w:?} is not a sensitive word"
            );
        }
    }

    #[test]
    fn project_names_extend_builtin() {
        let mut k = Knowledge::builtin();
        let extra = vec!["my_guard".to_string()];
        let empty: &[String] = &[];
        k.extend(&Extension {
            auth: [&extra, empty, empty, empty, empty, empty],
            public: [empty; 6],
            rate_limit: [empty; 6],
            public_paths: None,
            extend_public_paths: &[],
        });
        assert!(k.python.auth.decorators.matches("my_guard"));
        assert!(k.python.auth.decorators.matches("login_required"));
    }
}
