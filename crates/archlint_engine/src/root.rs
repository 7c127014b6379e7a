//! The project root that finding paths are relative to: `--project-root`, else
//! the enclosing git work tree of the first scanned path, else the current
//! directory; and the `/`-separated relative paths shown to users.

use crate::error::EngineError;
use std::path::{Path, PathBuf};

/// Picks the project root.
pub fn project_root(explicit: Option<&Path>, paths: &[PathBuf]) -> Result<PathBuf, EngineError> {
    if let Some(p) = explicit {
        return std::fs::canonicalize(p).map_err(|e| EngineError::Io {
            path: p.to_path_buf(),
            message: format!("--project-root: {e}"),
        });
    }
    let first = paths.first().cloned().unwrap_or_else(|| PathBuf::from("."));
    let start = if first.is_file() {
        first.parent().map(Path::to_path_buf).unwrap_or(first)
    } else {
        first
    };
    let mut cur = Some(start.as_path());
    while let Some(d) = cur {
        if d.join(".git").exists() {
            return Ok(d.to_path_buf());
        }
        cur = d.parent();
    }
    let cwd = std::env::current_dir().map_err(|e| EngineError::Io {
        path: PathBuf::from("."),
        message: format!("cannot read the current directory: {e}"),
    })?;
    Ok(std::fs::canonicalize(&cwd).unwrap_or(cwd))
}

/// The paths shown to users: relative to `root` when inside it, else relative
/// to the scanned path that contains it, prefixed with that directory's name
/// (`/tmp/svc/app.py` scanned as `/tmp/svc` is `svc/app.py`): stable whatever
/// the current directory, readable, and never absolute. Such a path does not
/// lead back to the file from `root`; `Scan::sources` does. Non-UTF-8 names
/// are shown lossily.
pub struct PathNamer {
    root: PathBuf,
    /// Per scanned path, the directory paths are taken relative to (a named
    /// file's parent). Worked out once: asking the file system whether each
    /// scanned path is a file, for every file shown, cost a system call per
    /// file and path.
    bases: Vec<PathBuf>,
}

impl PathNamer {
    pub fn new(root: &Path, scan_paths: &[PathBuf]) -> Self {
        let bases = scan_paths
            .iter()
            .filter_map(|p| {
                if p.is_file() {
                    p.parent().map(Path::to_path_buf)
                } else {
                    Some(p.clone())
                }
            })
            .collect();
        PathNamer {
            root: root.to_path_buf(),
            bases,
        }
    }

    /// The path shown for `abs`.
    pub fn display(&self, abs: &Path) -> String {
        let mut out = String::new();
        if let Ok(rel) = abs.strip_prefix(&self.root) {
            push_components(&mut out, rel);
            return out;
        }
        let in_base = self.bases.iter().find_map(|base| {
            let rel = abs.strip_prefix(base).ok()?;
            Some((base.file_name(), rel))
        });
        match in_base {
            Some((name, rel)) => {
                if let Some(n) = name {
                    push_components(&mut out, Path::new(n));
                }
                push_components(&mut out, rel);
            }
            None => {
                if let Some(n) = abs.file_name() {
                    push_components(&mut out, Path::new(n));
                }
            }
        }
        out
    }
}

/// Appends the normal components of `rel` to `out`, joined by `/`.
fn push_components(out: &mut String, rel: &Path) {
    for c in rel.components() {
        if let std::path::Component::Normal(n) = c {
            if !out.is_empty() {
                out.push('/');
            }
            out.push_str(&n.to_string_lossy());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_paths_are_relative_and_slashed() {
        let root = Path::new("/repo");
        assert_eq!(
            PathNamer::new(root, &[]).display(Path::new("/repo/app/views.py")),
            "app/views.py"
        );
        let scan = vec![PathBuf::from("/elsewhere/proj")];
        assert_eq!(
            PathNamer::new(root, &scan).display(Path::new("/elsewhere/proj/a.py")),
            "proj/a.py"
        );
    }
}
