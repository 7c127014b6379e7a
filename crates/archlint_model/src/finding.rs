//! Findings, rule metadata and scan notifications: what rules produce and
//! what the report writers consume.

use crate::span::Span;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Severity of a finding, ordered `Note < Warning < Error`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Note,
    Warning,
    Error,
}

impl Level {
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Note => "note",
            Level::Warning => "warning",
            Level::Error => "error",
        }
    }

    pub fn parse(s: &str) -> Option<Level> {
        match s {
            "note" => Some(Level::Note),
            "warning" => Some(Level::Warning),
            "error" => Some(Level::Error),
            _ => None,
        }
    }
}

/// A place in a file of the scanned project. `path` is relative to the
/// project root with `/` separators.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Location {
    pub path: String,
    pub span: Span,
}

/// A secondary location with what it shows.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Related {
    pub location: Location,
    pub message: String,
}

/// How sure a rule is of a finding.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Confidence {
    Low,
    Medium,
    High,
}

/// One problem found by one rule.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    /// Stable rule id, e.g. `api/unauthenticated-endpoint`.
    pub rule: String,
    pub level: Level,
    pub confidence: Confidence,
    /// What is wrong, one sentence first, lower-case start, no trailing period.
    pub message: String,
    pub location: Location,
    pub related: Vec<Related>,
    /// Steps from source to sink for interprocedural findings (SARIF `codeFlows`).
    pub flow: Vec<Related>,
    /// What identifies this finding independently of line numbers (for
    /// example `POST /orders create_order`); hashed into `fingerprint`.
    pub anchor: String,
    /// Filled in when findings are finalised: a hash of rule, path and anchor.
    pub fingerprint: String,
    /// Extra facts for machine consumers (method, path, framework...).
    pub properties: BTreeMap<String, String>,
}

impl Finding {
    /// Total order used for every output: path, position, rule, message.
    pub fn sort_key(&self) -> (&str, Span, &str, &str, &str) {
        (
            &self.location.path,
            self.location.span,
            &self.rule,
            &self.message,
            &self.anchor,
        )
    }
}

/// Static description of a rule, shared by `archlint rules`, `explain`, SARIF and docs.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RuleMeta {
    /// `pack/name`, e.g. `api/unauthenticated-endpoint`.
    pub id: String,
    /// The pack, e.g. `api`.
    pub pack: String,
    /// CamelCase name, e.g. `UnauthenticatedEndpoint`.
    pub name: String,
    /// One line: what the rule finds.
    pub summary: String,
    /// A paragraph: what it finds and why it matters (at most 1024 characters).
    pub description: String,
    pub default_level: Level,
    /// `very-high`, `high`, `medium` or `low`.
    pub precision: String,
    /// Tags such as `security`, `external/cwe/cwe-306`.
    pub tags: Vec<String>,
    /// CVSS-like score for security rules ("7.5"); `None` for others.
    pub security_severity: Option<String>,
    /// Full documentation in Markdown with the fixed headings.
    pub docs: String,
}

/// Why a file was skipped or only partly analysed, or another scan event.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum NotificationKind {
    TooLarge,
    NotUtf8,
    Binary,
    Unreadable,
    SyntaxError,
    Truncated,
    Panic,
    WalkError,
    SqlParse,
    ResultLimit,
}

impl NotificationKind {
    pub fn as_str(self) -> &'static str {
        match self {
            NotificationKind::TooLarge => "too-large",
            NotificationKind::NotUtf8 => "not-utf8",
            NotificationKind::Binary => "binary",
            NotificationKind::Unreadable => "unreadable",
            NotificationKind::SyntaxError => "syntax-error",
            NotificationKind::Truncated => "truncated",
            NotificationKind::Panic => "panic",
            NotificationKind::WalkError => "walk-error",
            NotificationKind::SqlParse => "sql-parse",
            NotificationKind::ResultLimit => "result-limit",
        }
    }
}

/// A scan event worth telling the user: a file skipped or not fully parsed.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Notification {
    pub kind: NotificationKind,
    pub level: Level,
    /// The file concerned, relative to the project root, if any.
    pub path: Option<String>,
    pub span: Option<Span>,
    pub message: String,
}
