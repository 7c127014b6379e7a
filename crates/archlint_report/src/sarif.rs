//! The SARIF 2.1.0 log for GitHub code scanning, written to the checklist in
//! `shared/sarif/sarif-github.md`: one run, every rule described, relative
//! `%SRCROOT%` URIs, our own fingerprint key (GitHub computes
//! `primaryLocationLineHash` itself), and GitHub's upload limits enforced by
//! dropping the least severe results with a notification saying so.

use crate::ReportInput;
use crate::fingerprint::fingerprint;
use crate::limits::{Limits, fit_gzip, kept, severity_order};
use crate::sarif_log::{
    ArtifactLocation, AutomationDetails, CodeFlow, DescriptorReference, Driver, Invocation,
    Location, Log, PhysicalLocation, Region, Run, SARIF_VERSION, SCHEMA_URI, SarifNotification,
    SarifResult, Text, ThreadFlow, ThreadFlowLocation, Tool,
};
use crate::sarif_rules::descriptor;
use crate::uri::path_to_uri;
use archlint_model::{Finding, Level, Notification, NotificationKind, Related, Span};
use std::collections::BTreeMap;
use std::io::{self, Write};

/// Our key in `partialFingerprints`. GitHub only reads
/// `primaryLocationLineHash`; this one is for baselines and other consumers.
const FINGERPRINT_KEY: &str = "archlintFingerprint/v1";

/// Writes the SARIF log, pretty-printed with a trailing newline.
pub fn write_sarif(input: &ReportInput, out: &mut dyn Write) -> io::Result<()> {
    write_sarif_with(input, out, Limits::GITHUB)
}

pub(crate) fn write_sarif_with(
    input: &ReportInput,
    out: &mut dyn Write,
    limits: Limits,
) -> io::Result<()> {
    let rules: Vec<_> = input
        .rules
        .iter()
        .map(|rule| descriptor(rule, input.information_uri))
        .collect();
    let rule_index: BTreeMap<&str, usize> = input
        .rules
        .iter()
        .enumerate()
        .map(|(i, rule)| (rule.id.as_str(), i))
        .collect();

    let mut notices: Vec<SarifNotification> =
        input.notifications.iter().map(notification).collect();

    // The result-count limit first: keep the most severe, in their original order.
    let all: Vec<&Finding> = input.findings.iter().collect();
    let by_count = kept(&severity_order(&all), limits.results);
    if by_count.len() < all.len() {
        notices.push(limit_notice(format!(
            "{} results exceed GitHub's limit of {} per run; the {} least severe were left out of this log",
            all.len(),
            limits.results,
            all.len() - by_count.len()
        )));
    }
    let findings: Vec<&Finding> = by_count
        .iter()
        .filter_map(|&i| all.get(i).copied())
        .collect();

    let mut cut_related = 0;
    let mut cut_flows = 0;
    let results: Vec<SarifResult> = findings
        .iter()
        .map(|f| {
            cut_related += usize::from(f.related.len() > limits.related);
            cut_flows += usize::from(f.flow.len() > limits.flow);
            result(f, rule_index.get(f.rule.as_str()).copied(), limits)
        })
        .collect();
    if cut_related > 0 {
        notices.push(limit_notice(format!(
            "{cut_related} results had more than {} related locations; only the first {} are listed",
            limits.related, limits.related
        )));
    }
    if cut_flows > 0 {
        notices.push(limit_notice(format!(
            "{cut_flows} results had flows longer than {} steps; only the first {} steps are listed",
            limits.flow, limits.flow
        )));
    }

    // Then the size limit: fewer results until the compressed log fits.
    let order = severity_order(&findings);
    let render = |keep: usize| -> io::Result<Vec<u8>> {
        let kept_results: Vec<&SarifResult> = kept(&order, keep)
            .into_iter()
            .filter_map(|i| results.get(i))
            .collect();
        let mut run_notices: Vec<&SarifNotification> = notices.iter().collect();
        let size_notice = (keep < results.len()).then(|| {
            limit_notice(format!(
                "the log would exceed GitHub's limit of {} bytes gzip-compressed; the {} least severe results were left out",
                limits.gzip_bytes,
                results.len() - keep
            ))
        });
        run_notices.extend(size_notice.as_ref());
        let log = Log {
            schema: SCHEMA_URI,
            version: SARIF_VERSION,
            runs: [Run {
                tool: Tool {
                    driver: Driver {
                        name: input.tool_name,
                        semantic_version: input.tool_version,
                        information_uri: input.information_uri,
                        rules: &rules,
                    },
                },
                // The category GitHub keys alerts on: keep it stable forever.
                automation_details: AutomationDetails {
                    id: format!("{}/", input.tool_name),
                },
                column_kind: "utf16CodeUnits",
                invocations: [Invocation {
                    execution_successful: true,
                    tool_execution_notifications: run_notices,
                }],
                results: kept_results,
            }],
        };
        let mut bytes = serde_json::to_vec_pretty(&log).map_err(io::Error::other)?;
        bytes.push(b'\n');
        Ok(bytes)
    };
    let (bytes, _) = fit_gzip(results.len(), limits.gzip_bytes, render)?;
    out.write_all(&bytes)
}

fn result(f: &Finding, rule_index: Option<usize>, limits: Limits) -> SarifResult {
    let related_locations = f
        .related
        .iter()
        .take(limits.related)
        .enumerate()
        .map(|(i, r)| Location {
            id: Some(i),
            ..related_location(r)
        })
        .collect();
    let steps: Vec<ThreadFlowLocation> = f
        .flow
        .iter()
        .take(limits.flow)
        .map(|step| ThreadFlowLocation {
            location: related_location(step),
        })
        .collect();
    let code_flows = if steps.is_empty() {
        Vec::new()
    } else {
        vec![CodeFlow {
            thread_flows: [ThreadFlow { locations: steps }],
        }]
    };
    let fp = if f.fingerprint.is_empty() {
        // The engine fills it; computing it here keeps the key present regardless.
        fingerprint(&f.rule, &f.location.path, &f.anchor)
    } else {
        f.fingerprint.clone()
    };
    let mut properties = f.properties.clone();
    properties.insert("confidence".to_owned(), confidence(f).to_owned());
    SarifResult {
        rule_id: f.rule.clone(),
        rule_index,
        level: f.level.as_str(),
        message: Text {
            text: non_empty(&f.message, &f.rule),
        },
        locations: [Location {
            id: None,
            physical_location: physical(&f.location.path, Some(f.location.span)),
            message: None,
        }],
        related_locations,
        code_flows,
        partial_fingerprints: BTreeMap::from([(FINGERPRINT_KEY.to_owned(), fp)]),
        properties,
    }
}

fn confidence(f: &Finding) -> &'static str {
    match f.confidence {
        archlint_model::Confidence::Low => "low",
        archlint_model::Confidence::Medium => "medium",
        archlint_model::Confidence::High => "high",
    }
}

fn related_location(r: &Related) -> Location {
    Location {
        id: None,
        physical_location: physical(&r.location.path, Some(r.location.span)),
        message: (!r.message.trim().is_empty()).then(|| Text {
            text: r.message.clone(),
        }),
    }
}

fn physical(path: &str, span: Option<Span>) -> PhysicalLocation {
    PhysicalLocation {
        artifact_location: ArtifactLocation {
            uri: path_to_uri(path),
            uri_base_id: "%SRCROOT%",
        },
        region: span.map(region),
    }
}

/// A region valid for the schema and GitHub: lines and columns at least 1,
/// and an end never before the start.
fn region(span: Span) -> Region {
    let start_line = span.start.line.max(1);
    let start_column = span.start.col.max(1);
    let (mut end_line, mut end_column) = (span.end.line, span.end.col.max(1));
    if (end_line, end_column) < (start_line, start_column) {
        (end_line, end_column) = (start_line, start_column);
    }
    Region {
        start_line,
        start_column,
        end_line,
        end_column,
    }
}

fn notification(n: &Notification) -> SarifNotification {
    SarifNotification {
        level: n.level.as_str(),
        message: Text {
            text: non_empty(&n.message, n.kind.as_str()),
        },
        locations: n
            .path
            .iter()
            .map(|path| Location {
                id: None,
                physical_location: physical(path, n.span),
                message: None,
            })
            .collect(),
        descriptor: DescriptorReference {
            id: n.kind.as_str().to_owned(),
        },
    }
}

fn limit_notice(text: String) -> SarifNotification {
    notification(&Notification {
        kind: NotificationKind::ResultLimit,
        level: Level::Warning,
        path: None,
        span: None,
        message: text,
    })
}

fn non_empty(text: &str, fallback: &str) -> String {
    if text.trim().is_empty() {
        fallback.to_owned()
    } else {
        text.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use archlint_model::{Confidence, Location, Pos, RuleMeta};

    fn finding(level: Level, line: u32, message: String) -> Finding {
        let span = Span::new(Pos { line, col: 1 }, Pos { line, col: 5 });
        Finding {
            rule: "db/x".into(),
            level,
            confidence: Confidence::High,
            message,
            location: Location {
                path: "a.py".into(),
                span,
            },
            related: Vec::new(),
            flow: Vec::new(),
            anchor: format!("a{line}"),
            fingerprint: String::new(),
            properties: BTreeMap::new(),
        }
    }

    fn rule() -> RuleMeta {
        RuleMeta {
            id: "db/x".into(),
            pack: "db".into(),
            name: "X".into(),
            summary: "x".into(),
            description: "x".into(),
            default_level: Level::Warning,
            precision: "high".into(),
            tags: Vec::new(),
            security_severity: None,
            docs: String::new(),
        }
    }

    fn sarif(findings: &[Finding], limits: Limits) -> (serde_json::Value, Vec<u8>) {
        let rules = [rule()];
        let input = ReportInput {
            tool_name: "archlint",
            tool_version: "0.1.0",
            information_uri: "https://github.com/archlint/archlint",
            rules: &rules,
            findings,
            notifications: &[],
            root: std::path::Path::new("."),
            sources: &BTreeMap::new(),
            summary: crate::ScanSummary::default(),
        };
        let mut out = Vec::new();
        write_sarif_with(&input, &mut out, limits).unwrap();
        (serde_json::from_slice(&out).unwrap(), out)
    }

    fn notices(log: &serde_json::Value) -> Vec<String> {
        log["runs"][0]["invocations"][0]["toolExecutionNotifications"]
            .as_array()
            .unwrap()
            .iter()
            .map(|n| n["message"]["text"].as_str().unwrap().to_owned())
            .collect()
    }

    #[test]
    fn related_and_flow_locations_are_capped() {
        let mut f = finding(Level::Error, 1, "m".into());
        let step = Related {
            location: f.location.clone(),
            message: "step".into(),
        };
        f.related = vec![step.clone(); 5];
        f.flow = vec![step; 7];
        let limits = Limits {
            related: 3,
            flow: 4,
            ..Limits::GITHUB
        };
        let (log, _) = sarif(&[f], limits);
        let result = &log["runs"][0]["results"][0];
        assert_eq!(result["relatedLocations"].as_array().unwrap().len(), 3);
        assert_eq!(result["relatedLocations"][2]["id"], 2);
        assert_eq!(
            result["codeFlows"][0]["threadFlows"][0]["locations"]
                .as_array()
                .unwrap()
                .len(),
            4
        );
        let texts = notices(&log);
        assert_eq!(texts.len(), 2, "{texts:?}");
        assert!(texts[0].contains("more than 3 related locations"));
        assert!(texts[1].contains("longer than 4 steps"));
        // An empty engine fingerprint is filled in rather than left out.
        assert_eq!(
            result["partialFingerprints"][FINGERPRINT_KEY],
            fingerprint("db/x", "a.py", "a1").as_str()
        );
    }

    #[test]
    fn oversized_logs_drop_the_least_severe_results() {
        // Distinct, poorly compressible messages so the size grows with the count.
        let findings: Vec<Finding> = (0..400u32)
            .map(|i| {
                let level = if i % 4 == 0 {
                    Level::Error
                } else {
                    Level::Note
                };
                finding(level, i + 1, noise(i))
            })
            .collect();
        let (full, _) = sarif(&findings, Limits::GITHUB);
        assert_eq!(full["runs"][0]["results"].as_array().unwrap().len(), 400);

        let limits = Limits {
            gzip_bytes: 60_000,
            ..Limits::GITHUB
        };
        let (log, bytes) = sarif(&findings, limits);
        let results = log["runs"][0]["results"].as_array().unwrap();
        assert!(
            results.len() > 100 && results.len() < 400,
            "kept {}",
            results.len()
        );
        // All 100 errors survive; only notes were dropped.
        assert_eq!(
            results.iter().filter(|r| r["level"] == "error").count(),
            100
        );
        let texts = notices(&log);
        assert_eq!(texts.len(), 1);
        assert!(texts[0].contains(&format!(
            "the {} least severe results were left out",
            400 - results.len()
        )));
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        gz.write_all(&bytes).unwrap();
        assert!(gz.finish().unwrap().len() <= 60_000);
    }

    /// 320 hex digits of xorshift output: text that gzip cannot shrink much.
    fn noise(seed: u32) -> String {
        let mut x = seed.wrapping_mul(2_654_435_761).max(1);
        (0..40)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 17;
                x ^= x << 5;
                format!("{x:08x}")
            })
            .collect()
    }

    #[test]
    fn regions_are_always_valid() {
        let r = region(Span::default());
        assert_eq!(
            (r.start_line, r.start_column, r.end_line, r.end_column),
            (1, 1, 1, 1)
        );
        let r = region(Span::new(Pos { line: 5, col: 9 }, Pos { line: 5, col: 3 }));
        assert_eq!((r.end_line, r.end_column), (5, 9));
        let r = region(Span::new(Pos { line: 5, col: 9 }, Pos { line: 7, col: 1 }));
        assert_eq!((r.end_line, r.end_column), (7, 1));
    }
}
