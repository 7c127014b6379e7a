//! Rule documentation files (`rules/<pack>/<name>.md`): TOML front matter
//! between `+++` lines with the rule's metadata, then the Markdown docs.

use archlint_model::{Level, RuleMeta};
use serde::Deserialize;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FrontMatter {
    id: String,
    name: String,
    summary: String,
    level: String,
    precision: String,
    tags: Vec<String>,
    security_severity: Option<String>,
    description: String,
}

/// Parses an embedded rule document. The documents are part of the binary and
/// checked by tests, so a malformed one is a build defect, reported loudly.
pub fn parse(doc: &str) -> RuleMeta {
    let rest = doc
        .strip_prefix("+++\n")
        .expect("rule doc starts with +++ front matter");
    let (front, body) = rest
        .split_once("\n+++\n")
        .expect("rule doc front matter ends with +++");
    let fm: FrontMatter = toml::from_str(front).expect("rule doc front matter is valid TOML");
    let pack = fm.id.split('/').next().unwrap_or("").to_string();
    RuleMeta {
        pack,
        default_level: Level::parse(&fm.level).expect("rule doc level is error, warning or note"),
        id: fm.id,
        name: fm.name,
        summary: fm.summary,
        description: fm.description,
        precision: fm.precision,
        tags: fm.tags,
        security_severity: fm.security_severity,
        docs: body.trim_start().to_string(),
    }
}
