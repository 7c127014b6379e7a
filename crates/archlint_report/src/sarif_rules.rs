//! SARIF `reportingDescriptor`s from rule metadata, within GitHub's limits:
//! bounded lengths, at most 10 tags, only valid precision and
//! security-severity values (a non-numeric security-severity rejects the
//! whole upload), and never an empty required text.

use crate::markdown::{github_slug, markdown_to_text};
use crate::sarif_log::{Configuration, Help, ReportingDescriptor, RuleProperties, Text};
use archlint_model::{Level, RuleMeta};

const MAX_NAME_CHARS: usize = 255;
const MAX_DESCRIPTION_CHARS: usize = 1024;
/// GitHub accepts 20 tags but shows only 10.
const MAX_TAGS: usize = 10;

pub(crate) fn descriptor(rule: &RuleMeta, information_uri: &str) -> ReportingDescriptor {
    let short = first_non_empty(&[&rule.summary, &rule.id]);
    let full = first_non_empty(&[&rule.description, &rule.summary, &rule.id]);
    let help_text = markdown_to_text(&rule.docs);
    let security_severity = security_severity(rule.security_severity.as_deref());
    ReportingDescriptor {
        id: rule.id.clone(),
        name: truncate_chars(first_non_empty(&[&rule.name, &rule.id]), MAX_NAME_CHARS),
        short_description: Text {
            text: truncate_chars(short, MAX_DESCRIPTION_CHARS),
        },
        full_description: Text {
            text: truncate_chars(full, MAX_DESCRIPTION_CHARS),
        },
        help: Help {
            text: if help_text.trim().is_empty() {
                full.to_owned()
            } else {
                help_text
            },
            markdown: (!rule.docs.trim().is_empty()).then(|| rule.docs.clone()),
        },
        help_uri: help_uri(information_uri, &rule.id),
        default_configuration: Configuration {
            level: rule.default_level.as_str(),
        },
        properties: RuleProperties {
            tags: tags(&rule.tags, security_severity.is_some()),
            precision: precision(&rule.precision),
            problem_severity: problem_severity(rule.default_level),
            security_severity,
        },
    }
}

/// The rule's section of the generated `docs/rules.md` on the default branch.
pub(crate) fn help_uri(information_uri: &str, rule_id: &str) -> String {
    format!(
        "{}/blob/main/docs/rules.md#{}",
        information_uri.trim_end_matches('/'),
        github_slug(rule_id)
    )
}

fn first_non_empty<'s>(candidates: &[&'s str]) -> &'s str {
    candidates
        .iter()
        .copied()
        .find(|s| !s.trim().is_empty())
        .unwrap_or("archlint rule")
}

/// At most `max` characters (code points, as GitHub counts), ending in `…`
/// when cut; always cut on a char boundary.
pub(crate) fn truncate_chars(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_owned();
    }
    let mut cut: String = text.chars().take(max.saturating_sub(1)).collect();
    cut.push('…');
    cut
}

/// Unique tags in their order, `security` first when the rule has a security
/// severity (GitHub expects the two together), at most [`MAX_TAGS`].
fn tags(tags: &[String], security: bool) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    if security && !tags.iter().any(|t| t == "security") {
        out.push("security".to_owned());
    }
    for tag in tags {
        if !tag.trim().is_empty() && !out.contains(tag) {
            out.push(tag.clone());
        }
    }
    out.truncate(MAX_TAGS);
    out
}

fn precision(precision: &str) -> Option<String> {
    matches!(precision, "very-high" | "high" | "medium" | "low").then(|| precision.to_owned())
}

fn problem_severity(level: Level) -> &'static str {
    match level {
        Level::Error => "error",
        Level::Warning => "warning",
        Level::Note => "recommendation",
    }
}

/// The score as given if it is a number in (0, 10]; otherwise none, because
/// GitHub rejects the whole upload on a non-number.
fn security_severity(score: Option<&str>) -> Option<String> {
    let score = score?.trim();
    let value: f64 = score.parse().ok()?;
    (value.is_finite() && value > 0.0 && value <= 10.0).then(|| score.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn truncation_is_char_safe() {
        let long = "é".repeat(2000);
        let cut = truncate_chars(&long, 1024);
        assert_eq!(cut.chars().count(), 1024);
        assert!(cut.ends_with('…'));
        assert_eq!(truncate_chars("short", 1024), "short");
    }

    #[test]
    fn security_severity_must_be_a_score() {
        assert_eq!(security_severity(Some("7.5")).as_deref(), Some("7.5"));
        assert_eq!(security_severity(Some("high")), None);
        assert_eq!(security_severity(Some("NaN")), None);
        assert_eq!(security_severity(Some("0.0")), None);
        assert_eq!(security_severity(Some("11")), None);
        assert_eq!(security_severity(None), None);
    }

    #[test]
    fn tags_are_bounded_and_security_is_kept() {
        let many: Vec<String> = (0..15).map(|i| format!("t{i}")).collect();
        let out = tags(&many, true);
        assert_eq!(out.len(), 10);
        assert_eq!(out[0], "security");
        assert_eq!(tags(&["a".into(), "a".into()], false), vec!["a".to_owned()]);
    }

    #[test]
    fn help_uri_points_at_the_rules_doc_anchor() {
        assert_eq!(
            help_uri(
                "https://github.com/archlint/archlint/",
                "api/unauthenticated-endpoint"
            ),
            "https://github.com/archlint/archlint/blob/main/docs/rules.md#apiunauthenticated-endpoint"
        );
    }
}
