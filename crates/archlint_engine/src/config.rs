//! `archlint.toml` and `[tool.archlint]` in `pyproject.toml`: what a project
//! may configure, parsed strictly so a typo is an error with file and line.

use crate::error::EngineError;
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
                Config::parse_pyproject(&text, p)?.ok_or_else(|| EngineError::Config {
                    path: p.to_path_buf(),
                    line: None,
                    message: "no [tool.archlint] table".into(),
                })?
            } else {
                Config::parse(&text, p)?
            };
            let loaded = LoadedConfig {
                config,
                source: Some(p.to_path_buf()),
            };
            loaded.config.validate(p)?;
            return Ok(loaded);
        }
        for name in ["archlint.toml", ".archlint.toml"] {
            let p = dir.join(name);
            if p.is_file() {
                let text = read(&p)?;
                let config = Config::parse(&text, &p)?;
                config.validate(&p)?;
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
                config.validate(&p)?;
                return Ok(LoadedConfig {
                    config,
                    source: Some(p),
                });
            }
        }
        Ok(LoadedConfig::default())
    }

    /// Checks values serde cannot: levels and globs.
    fn validate(&self, path: &Path) -> Result<(), EngineError> {
        let bad = |message: String| EngineError::Config {
            path: path.to_path_buf(),
            line: None,
            message,
        };
        for (rule, level) in &self.rules.level {
            if !matches!(level.as_str(), "error" | "warning" | "note" | "off") {
                return Err(bad(format!(
                    "rules.level.\"{rule}\": unknown level `{level}` (expected error, warning, note or off)"
                )));
            }
        }
        if let Some(d) = &self.database.dialect
            && d.parse::<archlint_model::Dialect>().is_err()
        {
            return Err(bad(format!(
                "database.dialect: unknown dialect `{d}` (expected postgres, mysql, sqlite or generic)"
            )));
        }
        let globs = self
            .exclude
            .iter()
            .flatten()
            .chain(&self.extend_exclude)
            .chain(self.public_paths.iter().flatten())
            .chain(&self.extend_public_paths);
        for g in globs {
            if let Err(e) = globset::Glob::new(g) {
                return Err(bad(format!("invalid glob `{g}`: {e}")));
            }
        }
        Ok(())
    }
}

fn read(p: &Path) -> Result<String, EngineError> {
    std::fs::read_to_string(p).map_err(|e| EngineError::Io {
        path: p.to_path_buf(),
        message: format!("cannot read config: {e}"),
    })
}

fn config_error(path: &Path, text: &str, e: &toml::de::Error) -> EngineError {
    let line = e
        .span()
        .map(|s| text[..s.start.min(text.len())].matches('\n').count() + 1);
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

    #[test]
    fn bad_level_is_rejected() {
        let c =
            Config::parse("[rules.level]\n\"api/x\" = \"loud\"\n", Path::new("a.toml")).unwrap();
        assert!(c.validate(Path::new("a.toml")).is_err());
    }

    #[test]
    fn database_dialect() {
        let c = Config::parse("[database]\ndialect = \"mysql\"\n", Path::new("a.toml")).unwrap();
        assert!(c.validate(Path::new("a.toml")).is_ok());
        let c = Config::parse("[database]\ndialect = \"oracle\"\n", Path::new("a.toml")).unwrap();
        assert!(c.validate(Path::new("a.toml")).is_err());
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
