//! `archlint.toml` and `[tool.archlint]` in `pyproject.toml`: what a project
//! may configure, parsed strictly so a typo is an error with file and line.

use crate::error::EngineError;
use archlint_model::RuleMeta;
use archlint_rules::select;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Default size limit for a source file.
pub const DEFAULT_MAX_FILE_SIZE: u64 = 2 * 1024 * 1024;

/// Names a project adds to archlint's built-in framework knowledge.
#[derive(Clone, Debug, Default, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct NamesConfig {
    /// Decorators (Python) or attributes (Rust), by last name or glob (`*_required`).
    #[serde(default)]
    pub decorators: Vec<String>,
    /// FastAPI dependency targets (`Depends(get_principal)`), by function name or glob.
    #[serde(default)]
    pub dependencies: Vec<String>,
    /// Middleware, layers and `wrap` arguments (Django middleware classes,
    /// tower layers, actix middleware), by name or glob.
    #[serde(default)]
    pub middleware: Vec<String>,
    /// Handler parameter types that authenticate or rate-limit (Rust extractors,
    /// rocket guards), by type name.
    #[serde(default)]
    pub extractors: Vec<String>,
    /// Base classes and mixins (Django `LoginRequiredMixin`), DRF permission or throttle classes.
    #[serde(default)]
    pub classes: Vec<String>,
    /// Functions of other crates or packages that check the request and fail
    /// without a valid credential (Rust), by name or glob.
    #[serde(default)]
    pub calls: Vec<String>,
}

/// Rule selection and severity overrides.
#[derive(Clone, Debug, Default, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RulesConfig {
    #[serde(default)]
    pub select: Vec<String>,
    #[serde(default)]
    pub ignore: Vec<String>,
    /// Rule id to `error`, `warning`, `note` or `off`.
    #[serde(default)]
    pub level: BTreeMap<String, String>,
}

/// The database pack's settings.
#[derive(Clone, Debug, Default, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct DatabaseConfig {
    /// SQL dialect of raw SQL and `.sql` files: postgres (default), mysql, sqlite, generic.
    pub dialect: Option<String>,
}

/// The whole configuration file.
#[derive(Clone, Debug, Default, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Config {
    /// Globs of paths to skip, relative to the scanned root (replaces the default test-code excludes).
    pub exclude: Option<Vec<String>>,
    /// Globs added to the excludes.
    #[serde(default)]
    pub extend_exclude: Vec<String>,
    /// Largest source file analysed, in bytes.
    pub max_file_size: Option<u64>,
    /// Path globs of routes that are public by design (replaces the defaults).
    #[serde(alias = "public_paths")]
    pub public_paths: Option<Vec<String>>,
    /// Path globs added to the default public paths.
    #[serde(default, alias = "extend_public_paths")]
    pub extend_public_paths: Vec<String>,
    #[serde(default)]
    pub rules: RulesConfig,
    #[serde(default)]
    pub auth: NamesConfig,
    /// Names that mark a route as public on purpose (`@public`, `#[public]`).
    #[serde(default)]
    pub public: NamesConfig,
    #[serde(default, alias = "rate_limit")]
    pub rate_limit: NamesConfig,
    #[serde(default)]
    pub database: DatabaseConfig,
}

/// A loaded config and where it came from.
#[derive(Clone, Debug, Default)]
pub struct LoadedConfig {
    pub config: Config,
    pub source: Option<PathBuf>,
}

impl Config {
    /// Parses `archlint.toml` content.
    pub fn parse(text: &str, path: &Path) -> Result<Config, EngineError> {
        toml::from_str(text).map_err(|e| config_error(path, text, &e))
    }

    /// Parses the `[tool.archlint]` table of a `pyproject.toml`, if present.
    pub fn parse_pyproject(text: &str, path: &Path) -> Result<Option<Config>, EngineError> {
        #[derive(Deserialize)]
        struct Pyproject {
            tool: Option<Tool>,
        }
        #[derive(Deserialize)]
        struct Tool {
            archlint: Option<Config>,
        }
        let parsed: Pyproject = toml::from_str(text).map_err(|e| config_error(path, text, &e))?;
        Ok(parsed.tool.and_then(|t| t.archlint))
    }

    /// Loads the explicit config file, or the first of `archlint.toml`,
    /// `.archlint.toml` and `pyproject.toml` (with a `[tool.archlint]` table)
    /// found in `dir`.
    pub fn load(explicit: Option<&Path>, dir: &Path) -> Result<LoadedConfig, EngineError> {
        if let Some(p) = explicit {
            let text = read(p)?;
            let is_pyproject = p.file_name().is_some_and(|n| n == "pyproject.toml");
            let config = if is_pyproject {
                let config =
                    Config::parse_pyproject(&text, p)?.ok_or_else(|| EngineError::Config {
                        path: p.to_path_buf(),
                        line: None,
                        message: "no [tool.archlint] table".into(),
                    })?;
                config.validate(p, &text, PYPROJECT_TABLE)?;
                config
            } else {
                let config = Config::parse(&text, p)?;
                config.validate(p, &text, &[])?;
                config
            };
            return Ok(LoadedConfig {
                config,
                source: Some(p.to_path_buf()),
            });
        }
        for name in ["archlint.toml", ".archlint.toml"] {
            let p = dir.join(name);
            if p.is_file() {
                let text = read(&p)?;
                let config = Config::parse(&text, &p)?;
                config.validate(&p, &text, &[])?;
                return Ok(LoadedConfig {
                    config,
                    source: Some(p),
                });
            }
        }
        let p = dir.join("pyproject.toml");
        if p.is_file() {
            let text = read(&p)?;
            // A pyproject.toml that is not ours to judge: only fail on our own table.
            if text.contains("[tool.archlint")
                && let Some(config) = Config::parse_pyproject(&text, &p)?
            {
                config.validate(&p, &text, PYPROJECT_TABLE)?;
                return Ok(LoadedConfig {
                    config,
                    source: Some(p),
                });
            }
        }
        Ok(LoadedConfig::default())
    }

    /// Checks values serde cannot (levels, rule ids, dialect, globs), naming
    /// `path` and the line of the bad value in `text` (whose archlint table
    /// is at `table`, e.g. `tool.archlint` in a pyproject.toml).
    fn validate(&self, path: &Path, text: &str, table: &[&str]) -> Result<(), EngineError> {
        let Some(problem) = self.problem(&archlint_rules::all_meta()) else {
            return Ok(());
        };
        let mut at: Vec<Seg> = table.iter().map(|k| Seg::Key(k)).collect();
        at.extend(problem.at);
        Err(EngineError::Config {
            path: path.to_path_buf(),
            line: locate(text, &at, problem.on_key).map(|offset| line_at(text, offset)),
            message: problem.message,
        })
    }

    /// The first value serde accepts but archlint does not, and where it is.
    fn problem(&self, rules: &[RuleMeta]) -> Option<Problem<'_>> {
        for (rule, level) in &self.rules.level {
            if !rules.iter().any(|m| &m.id == rule) {
                return Some(Problem {
                    at: vec![Seg::Key("rules"), Seg::Key("level"), Seg::Key(rule)],
                    on_key: true,
                    message: format!("rules.level: unknown rule `{rule}` (see `archlint rules`)"),
                });
            }
            if !matches!(level.as_str(), "error" | "warning" | "note" | "off") {
                return Some(Problem {
                    at: vec![Seg::Key("rules"), Seg::Key("level"), Seg::Key(rule)],
                    on_key: false,
                    message: format!(
                        "rules.level.\"{rule}\": unknown level `{level}` (expected error, warning, note or off)"
                    ),
                });
            }
        }
        for (key, patterns) in [
            ("select", &self.rules.select),
            ("ignore", &self.rules.ignore),
        ] {
            if let Some(bad) = select::unknown(patterns, rules) {
                let i = patterns.iter().position(|p| p == bad).unwrap_or(0);
                return Some(Problem {
                    at: vec![Seg::Key("rules"), Seg::Key(key), Seg::Index(i)],
                    on_key: false,
                    message: format!(
                        "rules.{key}: unknown rule or pack `{bad}` (see `archlint rules`)"
                    ),
                });
            }
        }
        if let Some(d) = &self.database.dialect
            && d.parse::<archlint_model::Dialect>().is_err()
        {
            return Some(Problem {
                at: vec![Seg::Key("database"), Seg::Key("dialect")],
                on_key: false,
                message: format!(
                    "database.dialect: unknown dialect `{d}` (expected postgres, mysql, sqlite or generic)"
                ),
            });
        }
        let globs: [(&str, &[String]); 4] = [
            ("exclude", self.exclude.as_deref().unwrap_or_default()),
            ("extend-exclude", &self.extend_exclude),
            (
                "public-paths",
                self.public_paths.as_deref().unwrap_or_default(),
            ),
            ("extend-public-paths", &self.extend_public_paths),
        ];
        for (key, list) in globs {
            for (i, g) in list.iter().enumerate() {
                if let Err(e) = globset::Glob::new(g) {
                    return Some(Problem {
                        at: vec![Seg::Key(key), Seg::Index(i)],
                        on_key: false,
                        message: format!("{key}: invalid glob `{g}`: {e}"),
                    });
                }
            }
        }
        None
    }
}

/// Where the archlint table is in a pyproject.toml.
const PYPROJECT_TABLE: &[&str] = &["tool", "archlint"];

/// A bad value and the path of keys (and array indices) that leads to it.
struct Problem<'a> {
    at: Vec<Seg<'a>>,
    /// Point at the key (an unknown rule id) rather than its value.
    on_key: bool,
    message: String,
}

#[derive(Clone, Copy)]
enum Seg<'a> {
    Key(&'a str),
    Index(usize),
}

/// Byte offset of the value (or the key) at `at` in the TOML `text`, found
/// again with its spans; keys may be spelled with `-` or `_`, as serde accepts.
fn locate(text: &str, at: &[Seg], on_key: bool) -> Option<usize> {
    use toml::de::{DeTable, DeValue};
    let root = DeTable::parse(text).ok()?;
    let mut table: &DeTable = root.get_ref();
    // The key's start and the value reached so far.
    let mut found: Option<(usize, &toml::Spanned<DeValue>)> = None;
    for seg in at {
        found = Some(match (seg, found) {
            (Seg::Key(k), parent) => {
                if let Some((_, v)) = parent {
                    let DeValue::Table(t) = v.get_ref() else {
                        return None;
                    };
                    table = t;
                }
                let (key, v) = table
                    .get_key_value(*k)
                    .or_else(|| table.get_key_value(k.replace('-', "_").as_str()))?;
                (key.span().start, v)
            }
            (Seg::Index(i), Some((key, v))) => {
                let DeValue::Array(a) = v.get_ref() else {
                    return None;
                };
                (key, a.get(*i)?)
            }
            (Seg::Index(_), None) => return None,
        });
    }
    let (key, value) = found?;
    Some(if on_key { key } else { value.span().start })
}

/// 1-based line of byte `offset` in `text`.
fn line_at(text: &str, offset: usize) -> usize {
    text.get(..offset.min(text.len()))
        .unwrap_or(text)
        .matches('\n')
        .count()
        + 1
}

fn read(p: &Path) -> Result<String, EngineError> {
    std::fs::read_to_string(p).map_err(|e| EngineError::Io {
        path: p.to_path_buf(),
        message: format!("cannot read config: {e}"),
    })
}

fn config_error(path: &Path, text: &str, e: &toml::de::Error) -> EngineError {
    let line = e.span().map(|s| line_at(text, s.start));
    EngineError::Config {
        path: path.to_path_buf(),
        line,
        message: e.message().trim().to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_full_config() {
        let text = r#"
exclude = ["legacy/**"]
public-paths = ["/health", "/internal/*"]
max-file-size = 1000
[rules]
ignore = ["api/missing-rate-limit"]
level = { "api/unauthenticated-endpoint" = "warning" }
[auth]
decorators = ["my_auth"]
[rate-limit]
middleware = ["MyLimiter"]
"#;
        let c = Config::parse(text, Path::new("archlint.toml")).unwrap();
        assert_eq!(c.max_file_size, Some(1000));
        assert_eq!(c.auth.decorators, ["my_auth"]);
        assert_eq!(c.rate_limit.middleware, ["MyLimiter"]);
        assert_eq!(c.rules.level["api/unauthenticated-endpoint"], "warning");
    }

    #[test]
    fn unknown_key_names_file_and_line() {
        let text = "exclude = []\n\n[auth]\ndecorator = [\"x\"]\n";
        let err = Config::parse(text, Path::new("archlint.toml")).unwrap_err();
        match err {
            EngineError::Config { line, message, .. } => {
                assert_eq!(line, Some(4));
                assert!(message.contains("decorator"), "{message}");
            }
            other => panic!("unexpected {other:?}"),
        }
    }

    /// The error a config text gets from validation: its line and message.
    fn invalid(text: &str, table: &[&str]) -> (Option<usize>, String) {
        let c = if table.is_empty() {
            Config::parse(text, Path::new("a.toml")).unwrap()
        } else {
            Config::parse_pyproject(text, Path::new("pyproject.toml"))
                .unwrap()
                .unwrap()
        };
        match c.validate(Path::new("cfg/a.toml"), text, table) {
            Err(e @ EngineError::Config { .. }) => {
                assert!(e.to_string().contains("cfg/a.toml"), "{e}");
                let EngineError::Config { line, message, .. } = e else {
                    unreachable!()
                };
                (line, message)
            }
            other => panic!("expected a config error, got {other:?}"),
        }
    }

    #[test]
    fn bad_level_names_its_line() {
        let (line, msg) = invalid(
            "[rules.level]\n\"api/missing-rate-limit\" = \"loud\"\n",
            &[],
        );
        assert_eq!(line, Some(2));
        assert!(msg.contains("unknown level `loud`"), "{msg}");
        let text = "[rules]\nlevel = { \"api/unauthenticated-endpoint\" = \"off\", \"db/n-plus-one\" = \"high\" }\n";
        let (line, msg) = invalid(text, &[]);
        assert_eq!(line, Some(2));
        assert!(msg.contains("`high`"), "{msg}");
    }

    #[test]
    fn unknown_rules_name_their_line() {
        let (line, msg) = invalid(
            "\n[rules.level]\n\"db/n-plus-one\" = \"note\"\n\"api/nope\" = \"off\"\n",
            &[],
        );
        assert_eq!(line, Some(4));
        assert!(msg.contains("unknown rule `api/nope`"), "{msg}");
        let text = "[rules]\nselect = [\n  \"api\",\n  \"dbx\",\n]\n";
        let (line, msg) = invalid(text, &[]);
        assert_eq!(line, Some(4));
        assert!(
            msg.contains("rules.select") && msg.contains("`dbx`"),
            "{msg}"
        );
        let text = "[rules]\nselect = [\"db\"]\nignore = [\"db/n-plus-one\", \"api/x\"]\n";
        let (line, msg) = invalid(text, &[]);
        assert_eq!(line, Some(3));
        assert!(
            msg.contains("rules.ignore") && msg.contains("`api/x`"),
            "{msg}"
        );
    }

    #[test]
    fn bad_dialect_names_its_line() {
        let c = Config::parse("[database]\ndialect = \"mysql\"\n", Path::new("a.toml")).unwrap();
        assert!(c.problem(&archlint_rules::all_meta()).is_none());
        let (line, msg) = invalid(
            "max-file-size = 10\n[database]\ndialect = \"oracle\"\n",
            &[],
        );
        assert_eq!(line, Some(3));
        assert!(msg.contains("unknown dialect `oracle`"), "{msg}");
    }

    #[test]
    fn bad_globs_name_their_line() {
        for (text, want) in [
            ("exclude = [\"ok/**\",\n  \"bad/[\"]\n", 2),
            ("\nextend-exclude = [\"a{\"]\n", 2),
            ("\n\npublic_paths = [\"/x\", \"/[\"]\n", 3),
            ("extend-public-paths = [\n\"/ok\",\n\"/{\",\n]\n", 3),
        ] {
            let (line, msg) = invalid(text, &[]);
            assert_eq!(line, Some(want), "{text}: {msg}");
            assert!(msg.contains("invalid glob"), "{msg}");
        }
    }

    #[test]
    fn pyproject_errors_count_lines_in_the_whole_file() {
        let text = "[project]\nname = \"x\"\n\n[tool.archlint.rules]\nselect = [\"nope\"]\n";
        let (line, msg) = invalid(text, PYPROJECT_TABLE);
        assert_eq!(line, Some(5));
        assert!(msg.contains("`nope`"), "{msg}");
    }

    #[test]
    fn pyproject_table() {
        let text = "[project]\nname='x'\n[tool.archlint]\npublic_paths = ['/ping']\n";
        let c = Config::parse_pyproject(text, Path::new("pyproject.toml"))
            .unwrap()
            .unwrap();
        assert_eq!(c.public_paths.unwrap(), ["/ping"]);
    }
}
