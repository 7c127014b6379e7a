//! File discovery: the `ignore` crate's parallel walker over the scan roots,
//! honouring .gitignore, skipping vendored and hidden trees and configured
//! excludes. The result is sorted, so nothing downstream sees walk order.

use archlint_model::{Language, Level, Notification, NotificationKind};
use globset::{Glob, GlobSet, GlobSetBuilder};
use ignore::{WalkBuilder, WalkState};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// Directory names never descended into: dependencies, build output, caches.
pub const SKIPPED_DIRS: &[&str] = &[
    "__pycache__",
    "node_modules",
    "site-packages",
    "target",
    "venv",
];

/// Test code is skipped unless the config's `exclude` says otherwise: routes
/// declared by tests are not the service's routes. A `testing` package holds
/// test helpers (base test cases, fixtures, factories), not the service.
pub const DEFAULT_EXCLUDES: &[&str] = &[
    "**/conftest.py",
    "**/test/**",
    "**/test_*.py",
    "**/testing/**",
    "**/tests.py",
    "**/tests/**",
    "**/*_test.py",
    "**/*_tests.rs",
];

/// A file to analyse.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Discovered {
    pub abs: PathBuf,
    pub language: Language,
}

/// What discovery found.
#[derive(Debug, Default)]
pub struct Discovery {
    pub files: Vec<Discovered>,
    /// `.sql` files (migrations, schema dumps), read for the schema model.
    pub sql_files: Vec<PathBuf>,
    pub notifications: Vec<Notification>,
}

fn is_sql(path: &Path) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("sql"))
}

/// Language of a path by extension.
pub fn language_of(path: &Path) -> Option<Language> {
    match path.extension()?.to_str()? {
        "py" => Some(Language::Python),
        "rs" => Some(Language::Rust),
        _ => None,
    }
}

/// Builds the exclude matcher from globs relative to a scan root.
pub fn exclude_set(globs: &[String]) -> Result<GlobSet, globset::Error> {
    let mut b = GlobSetBuilder::new();
    for g in globs {
        b.add(Glob::new(g)?);
        // `legacy/**` should also match when the root is a parent directory.
        if !g.starts_with("**/") && !g.starts_with('/') {
            b.add(Glob::new(&format!("**/{g}"))?);
        }
    }
    b.build()
}

/// Walks `roots` in parallel with `threads` workers. `rel_to_display` turns an
/// absolute path into the path shown in notifications.
pub fn discover(
    roots: &[PathBuf],
    excludes: &GlobSet,
    threads: usize,
    rel_to_display: &(dyn Fn(&Path) -> String + Sync),
) -> Discovery {
    let found = Mutex::new(Discovery::default());
    for root in roots {
        if root.is_file() {
            // An explicitly named file is analysed even when excluded.
            if is_sql(root) {
                lock(&found).sql_files.push(root.clone());
            } else if let Some(language) = language_of(root) {
                lock(&found).files.push(Discovered {
                    abs: root.clone(),
                    language,
                });
            }
            continue;
        }
        let mut builder = WalkBuilder::new(root);
        builder
            .threads(threads)
            .hidden(true)
            .git_ignore(true)
            .git_exclude(true)
            .require_git(false)
            .follow_links(false)
            .filter_entry(|e| {
                let is_dir = e.file_type().is_some_and(|t| t.is_dir());
                !(is_dir && e.depth() > 0 && is_skipped_dir(e.file_name().to_str().unwrap_or("")))
            });
        let root_for_rel = root.clone();
        builder.build_parallel().run(|| {
            let found = &found;
            let root = root_for_rel.clone();
            Box::new(move |entry| {
                match entry {
                    Ok(e) => {
                        let is_file = e.file_type().is_some_and(|t| t.is_file());
                        if !is_file {
                            return WalkState::Continue;
                        }
                        let path = e.path();
                        let rel = path.strip_prefix(&root).unwrap_or(path);
                        if is_sql(path) {
                            if !excludes.is_match(rel) {
                                lock(found).sql_files.push(path.to_path_buf());
                            }
                            return WalkState::Continue;
                        }
                        let Some(language) = language_of(path) else {
                            return WalkState::Continue;
                        };
                        if excludes.is_match(rel) {
                            return WalkState::Continue;
                        }
                        lock(found).files.push(Discovered {
                            abs: path.to_path_buf(),
                            language,
                        });
                    }
                    Err(err) => {
                        let path = walk_error_path(&err);
                        lock(found).notifications.push(Notification {
                            kind: NotificationKind::WalkError,
                            level: Level::Warning,
                            path: path.as_deref().map(rel_to_display),
                            span: None,
                            message: format!("could not read: {}", strip_path(&err.to_string())),
                        });
                    }
                }
                WalkState::Continue
            })
        });
    }
    let mut d = found.into_inner().unwrap_or_else(|p| p.into_inner());
    d.files.sort();
    d.files.dedup();
    d.sql_files.sort();
    d.sql_files.dedup();
    d.notifications.sort();
    d.notifications.dedup();
    d
}

fn is_skipped_dir(name: &str) -> bool {
    SKIPPED_DIRS.contains(&name) || name.starts_with('.')
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

fn walk_error_path(err: &ignore::Error) -> Option<PathBuf> {
    match err {
        ignore::Error::WithPath { path, .. } => Some(path.clone()),
        ignore::Error::WithDepth { err, .. } => walk_error_path(err),
        ignore::Error::WithLineNumber { err, .. } => walk_error_path(err),
        ignore::Error::Loop { child, .. } => Some(child.clone()),
        _ => None,
    }
}

/// Messages from `ignore` may embed absolute paths; keep only what follows the last ": ".
fn strip_path(msg: &str) -> String {
    msg.rsplit(": ").next().unwrap_or(msg).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn disp(p: &Path) -> String {
        p.display().to_string()
    }

    #[test]
    fn skips_vendored_hidden_and_tests() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        for f in [
            "app/views.py",
            "app/tests/test_views.py",
            "app/test_models.py",
            "app/testing/utils.py",
            ".venv/lib/x.py",
            "node_modules/a/b.py",
            "venv/lib/site.py",
            "target/debug/build.rs",
            ".hidden/x.py",
            "src/main.rs",
            "README.md",
        ] {
            let p = root.join(f);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(&p, "x = 1\n").unwrap();
        }
        std::fs::write(root.join(".gitignore"), "ignored_dir/\n").unwrap();
        std::fs::create_dir_all(root.join("ignored_dir")).unwrap();
        std::fs::write(root.join("ignored_dir/z.py"), "").unwrap();
        let ex = exclude_set(
            &DEFAULT_EXCLUDES
                .iter()
                .map(|s| s.to_string())
                .collect::<Vec<_>>(),
        )
        .unwrap();
        let d = discover(&[root.to_path_buf()], &ex, 2, &disp);
        let rel: Vec<String> = d
            .files
            .iter()
            .map(|f| {
                f.abs
                    .strip_prefix(root)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/")
            })
            .collect();
        assert_eq!(rel, ["app/views.py", "src/main.rs"]);
    }

    #[cfg(unix)]
    #[test]
    fn symlink_loops_terminate() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("a")).unwrap();
        std::fs::write(root.join("a/m.py"), "").unwrap();
        std::os::unix::fs::symlink(root.join("a"), root.join("a/loop")).unwrap();
        let d = discover(&[root.to_path_buf()], &GlobSet::empty(), 2, &disp);
        assert_eq!(d.files.len(), 1);
    }
}
