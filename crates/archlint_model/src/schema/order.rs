//! Migration order: paths compared component by component, each component
//! naturally (digit runs by value), so `0002_x` < `0010_y`, `V2__a` < `V10__b`
//! and `2024_01_02_x` < `2024_01_10_x`; and which files are down migrations.

use serde::{Deserialize, Serialize};
use std::cmp::Ordering;

/// A sort key for a schema source. Built from a path by [`OrderKey::from_path`];
/// a source with its own notion of order (an Alembic revision chain) can build
/// one from a synthetic path such as `alembic/000042`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderKey(Vec<Vec<Segment>>);

/// A run of digits or of other characters inside one path component.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
enum Segment {
    /// After everything: the key of sources that describe the final state
    /// and apply after every migration ([`OrderKey::last`]).
    Last,
    /// The end of a Flyway version (`V1_1__` is version 1.1): sorts before
    /// any further version part, so `V1__a` < `V1_1__b`.
    VersionEnd,
    /// Digits without leading zeros (`"0"` for all zeros), and the original
    /// length as a tie-break.
    Num(String, usize),
    /// Lower-cased text, and the original text as a tie-break.
    Text(String, String),
}

impl Ord for Segment {
    fn cmp(&self, other: &Self) -> Ordering {
        match (self, other) {
            (Segment::Last, Segment::Last) => Ordering::Equal,
            (Segment::Last, _) => Ordering::Greater,
            (_, Segment::Last) => Ordering::Less,
            (Segment::VersionEnd, Segment::VersionEnd) => Ordering::Equal,
            (Segment::VersionEnd, _) => Ordering::Less,
            (_, Segment::VersionEnd) => Ordering::Greater,
            (Segment::Num(a, la), Segment::Num(b, lb)) => a
                .len()
                .cmp(&b.len())
                .then_with(|| a.cmp(b))
                .then_with(|| la.cmp(lb)),
            (Segment::Num(..), Segment::Text(..)) => Ordering::Less,
            (Segment::Text(..), Segment::Num(..)) => Ordering::Greater,
            (Segment::Text(a, oa), Segment::Text(b, ob)) => a.cmp(b).then_with(|| oa.cmp(ob)),
        }
    }
}

impl PartialOrd for Segment {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for OrderKey {
    fn cmp(&self, other: &Self) -> Ordering {
        self.0.cmp(&other.0)
    }
}

impl PartialOrd for OrderKey {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl OrderKey {
    /// A key after every path's key: for a description of the final schema
    /// (diesel's `schema.rs`) that only fills in what migrations left out.
    pub fn last() -> OrderKey {
        OrderKey(vec![vec![Segment::Last]])
    }

    /// The natural order key of a `/`-separated (or `\`-separated) path.
    pub fn from_path(path: &str) -> OrderKey {
        let components = path
            .split(['/', '\\'])
            .filter(|c| !c.is_empty() && *c != ".")
            .map(segments)
            .collect();
        OrderKey(components)
    }
}

fn segments(component: &str) -> Vec<Segment> {
    if let Some(out) = flyway_segments(component) {
        return out;
    }
    natural_segments(component)
}

/// Flyway-style `V1_1__name.sql` / `V2.3__name.sql` (also `R__`, `U`):
/// the version's parts as numbers, then [`Segment::VersionEnd`], then the rest.
fn flyway_segments(component: &str) -> Option<Vec<Segment>> {
    let (version, rest) = component.split_once("__")?;
    let mut chars = version.chars();
    let prefix = chars.next()?;
    let digits = chars.as_str();
    if !prefix.is_ascii_alphabetic()
        || digits.is_empty()
        || !digits.starts_with(|c: char| c.is_ascii_digit())
        || !digits
            .chars()
            .all(|c| c.is_ascii_digit() || c == '.' || c == '_')
    {
        return None;
    }
    let mut out = natural_segments(&prefix.to_string());
    for part in digits.split(['.', '_']).filter(|p| !p.is_empty()) {
        out.extend(natural_segments(part));
    }
    out.push(Segment::VersionEnd);
    out.extend(natural_segments(rest));
    Some(out)
}

fn natural_segments(component: &str) -> Vec<Segment> {
    let mut out = Vec::new();
    let mut chars = component.char_indices().peekable();
    while let Some(&(start, c)) = chars.peek() {
        let digit = c.is_ascii_digit();
        let mut end = start;
        while let Some(&(i, c)) = chars.peek() {
            if c.is_ascii_digit() != digit {
                break;
            }
            end = i + c.len_utf8();
            chars.next();
        }
        let run = &component[start..end];
        out.push(if digit {
            let trimmed = run.trim_start_matches('0');
            let value = if trimmed.is_empty() { "0" } else { trimmed };
            Segment::Num(value.to_string(), run.len())
        } else {
            Segment::Text(run.to_lowercase(), run.to_string())
        });
    }
    out
}

/// Whether a path is a down (rollback) migration, which never describes the
/// schema: diesel's `down.sql`, golang-migrate and sqlx `*.down.sql`,
/// `*_down.sql`, Flyway undo scripts `U2__x.sql`, and files under a `down/`
/// directory.
pub fn is_down_migration(path: &str) -> bool {
    let mut components = path.split(['/', '\\']).filter(|c| !c.is_empty());
    let Some(file) = components.next_back() else {
        return false;
    };
    if components.any(|dir| dir.eq_ignore_ascii_case("down")) {
        return true;
    }
    let lower = file.to_ascii_lowercase();
    let stem = lower.strip_suffix(".sql").unwrap_or(&lower);
    if stem == "down" || stem.ends_with(".down") || stem.ends_with("_down") {
        return true;
    }
    // Flyway undo: `U<version>__<description>.sql` (capital U only, as Flyway).
    if let Some(rest) = file.strip_prefix('U')
        && let Some((version, _)) = rest.split_once("__")
    {
        return !version.is_empty()
            && version
                .chars()
                .all(|c| c.is_ascii_digit() || c == '.' || c == '_');
    }
    false
}
