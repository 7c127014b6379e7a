//! Rule documentation: the generated `docs/rules.md`, the anchors that SARIF
//! `helpUri` points at, and the plain-text rendering of a rule's Markdown docs
//! used for SARIF `help.text`.

use archlint_model::RuleMeta;

/// The command that regenerates `docs/rules.md`, quoted in its header.
const REGENERATE: &str = "cargo run -p archlint -- rules --format markdown > docs/rules.md";

/// The content of `docs/rules.md`: a generated-file header, a table of all
/// rules (id, level, summary), then one `## <id>` section per rule holding its
/// metadata and its docs, whose headings move one level down (`## How to fix`
/// becomes `### How to fix`).
pub fn rules_markdown(rules: &[RuleMeta]) -> String {
    let mut md = String::new();
    md.push_str("<!-- Generated file: do not edit. Regenerate with `");
    md.push_str(REGENERATE);
    md.push_str("`. -->\n\n# archlint rules\n\n");
    md.push_str(
        "> This file is generated from the rules' own documentation; do not edit it by hand.\n",
    );
    md.push_str("> Regenerate it with `");
    md.push_str(REGENERATE);
    md.push_str("`.\n\n");
    md.push_str(&format!(
        "{} {}.\n\n",
        rules.len(),
        if rules.len() == 1 { "rule" } else { "rules" }
    ));
    md.push_str("| Rule | Level | Summary |\n| --- | --- | --- |\n");
    for rule in rules {
        md.push_str(&format!(
            "| [{}](#{}) | {} | {} |\n",
            code_span(&rule.id),
            github_slug(&rule.id),
            rule.default_level.as_str(),
            table_cell(&rule.summary)
        ));
    }
    for rule in rules {
        md.push_str(&format!("\n## {}\n\n", rule.id));
        md.push_str(&metadata_line(rule));
        md.push_str("\n\n");
        let docs = shift_headings(rule.docs.trim());
        if !docs.is_empty() {
            md.push_str(&docs);
            md.push('\n');
        }
    }
    md
}

fn metadata_line(rule: &RuleMeta) -> String {
    let mut line = format!(
        "Level: **{}** · precision: **{}**",
        rule.default_level.as_str(),
        rule.precision
    );
    if !rule.tags.is_empty() {
        let tags: Vec<String> = rule.tags.iter().map(|t| code_span(t)).collect();
        line.push_str(&format!(" · tags: {}", tags.join(", ")));
    }
    if let Some(score) = &rule.security_severity {
        line.push_str(&format!(" · security severity: {score}"));
    }
    line
}

/// The anchor GitHub gives a heading: lower-case, punctuation removed except
/// `-` and `_`, spaces turned into `-` (as github-slugger does). `## api/foo-bar`
/// gets `#apifoo-bar`.
pub(crate) fn github_slug(heading: &str) -> String {
    heading
        .trim()
        .chars()
        .flat_map(char::to_lowercase)
        .filter_map(|c| match c {
            ' ' => Some('-'),
            '-' | '_' => Some(c),
            c if c.is_alphanumeric() => Some(c),
            _ => None,
        })
        .collect()
}

/// `text` as an inline code span that survives backticks and table pipes.
fn code_span(text: &str) -> String {
    let text = text.replace('|', "\\|").replace(['\n', '\r'], " ");
    if text.contains('`') {
        format!("`` {text} ``")
    } else {
        format!("`{text}`")
    }
}

/// One line of text safe in a Markdown table cell.
pub(crate) fn table_cell(text: &str) -> String {
    text.replace('|', "\\|").replace(['\n', '\r'], " ")
}

/// Where a code fence is open: its character and length.
struct Fence {
    ch: char,
    len: usize,
}

impl Fence {
    /// The fence a line opens, if it is a fence line (up to 3 spaces of indent).
    fn open(line: &str) -> Option<Fence> {
        let trimmed = line.trim_start_matches(' ');
        if line.len() - trimmed.len() > 3 {
            return None;
        }
        let ch = trimmed.chars().next().filter(|c| *c == '`' || *c == '~')?;
        let len = trimmed.chars().take_while(|c| *c == ch).count();
        (len >= 3).then_some(Fence { ch, len })
    }

    fn closes(&self, line: &str) -> bool {
        Fence::open(line).is_some_and(|f| f.ch == self.ch && f.len >= self.len)
            && line.trim().chars().all(|c| c == self.ch)
    }
}

/// Heading level and text of an ATX heading line (`## Title`), outside fences.
fn heading(line: &str) -> Option<(usize, &str)> {
    let trimmed = line.trim_start_matches(' ');
    if line.len() - trimmed.len() > 3 {
        return None;
    }
    let level = trimmed.chars().take_while(|c| *c == '#').count();
    let rest = &trimmed[level..];
    if !(1..=6).contains(&level) || !(rest.is_empty() || rest.starts_with([' ', '\t'])) {
        return None;
    }
    Some((level, rest.trim().trim_end_matches('#').trim_end()))
}

/// Moves every heading one level down (at most to level 6), leaving code
/// blocks alone: a `# comment` in a Python example is not a heading.
fn shift_headings(docs: &str) -> String {
    let mut out = Vec::new();
    let mut fence: Option<Fence> = None;
    for line in docs.lines() {
        match &fence {
            Some(open) => {
                if open.closes(line) {
                    fence = None;
                }
                out.push(line.to_owned());
            }
            None => {
                if let Some(open) = Fence::open(line) {
                    fence = Some(open);
                    out.push(line.to_owned());
                } else if let Some((level, _)) = heading(line) {
                    let line = line.trim_start_matches(' ');
                    out.push(if level < 6 {
                        format!("#{line}")
                    } else {
                        line.to_owned()
                    });
                } else {
                    out.push(line.trim_end().to_owned());
                }
            }
        }
    }
    out.join("\n")
}

/// A plain-text rendering of rule docs for readers that do not render
/// Markdown: headings lose their `#`, code blocks are indented by four spaces
/// instead of fenced, links become `text (url)`, bold and quote markers go.
/// Inline code keeps its backticks, which read well as plain text.
pub(crate) fn markdown_to_text(md: &str) -> String {
    let mut out: Vec<String> = Vec::new();
    let mut fence: Option<Fence> = None;
    for line in md.lines() {
        if let Some(open) = &fence {
            if open.closes(line) {
                fence = None;
            } else if line.trim().is_empty() {
                out.push(String::new());
            } else {
                out.push(format!("    {line}"));
            }
            continue;
        }
        if let Some(open) = Fence::open(line) {
            fence = Some(open);
        } else if let Some((_, title)) = heading(line) {
            out.push(inline_to_text(title));
        } else {
            let line = line.trim_end();
            let unquoted = line
                .strip_prefix("> ")
                .or_else(|| line.strip_prefix('>'))
                .unwrap_or(line);
            out.push(inline_to_text(unquoted));
        }
    }
    while out.last().is_some_and(|l| l.is_empty()) {
        out.pop();
    }
    out.join("\n")
}

/// Inline Markdown to text, copying code spans verbatim so `**kwargs` survives.
fn inline_to_text(line: &str) -> String {
    let chars: Vec<char> = line.chars().collect();
    let mut out = String::with_capacity(line.len());
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '`' {
            let run = chars[i..].iter().take_while(|&&x| x == '`').count();
            let close = find_run(&chars, i + run, '`', run);
            let end = close.map_or(chars.len(), |close| close + run);
            out.extend(&chars[i..end]);
            i = end;
        } else if (c == '*' || c == '_') && chars.get(i + 1) == Some(&c) {
            i += 2;
        } else if c == '[' || (c == '!' && chars.get(i + 1) == Some(&'[')) {
            let open = if c == '!' { i + 1 } else { i };
            match link_at(&chars, open) {
                Some((text, url, end)) => {
                    if text == url {
                        out.push_str(&url);
                    } else {
                        out.push_str(&format!("{} ({url})", inline_to_text(&text)));
                    }
                    i = end;
                }
                None => {
                    out.push(c);
                    i += 1;
                }
            }
        } else if c == '<' && chars[i + 1..].starts_with(&['h', 't', 't', 'p']) {
            match chars[i..].iter().position(|&x| x == '>') {
                Some(close) => {
                    out.extend(&chars[i + 1..i + close]);
                    i += close + 1;
                }
                None => {
                    out.push(c);
                    i += 1;
                }
            }
        } else {
            out.push(c);
            i += 1;
        }
    }
    out
}

/// Position of the next run of exactly `len` `ch` characters from `from`.
fn find_run(chars: &[char], from: usize, ch: char, len: usize) -> Option<usize> {
    let mut i = from;
    while i < chars.len() {
        if chars[i] == ch {
            let run = chars[i..].iter().take_while(|&&x| x == ch).count();
            if run == len {
                return Some(i);
            }
            i += run;
        } else {
            i += 1;
        }
    }
    None
}

/// `[text](url)` starting at `open` (the `[`): text, url and the index after `)`.
fn link_at(chars: &[char], open: usize) -> Option<(String, String, usize)> {
    let close = open + 1 + chars.get(open + 1..)?.iter().position(|&c| c == ']')?;
    if chars.get(close + 1) != Some(&'(') {
        return None;
    }
    let end = close + 2 + chars.get(close + 2..)?.iter().position(|&c| c == ')')?;
    let text: String = chars[open + 1..close].iter().collect();
    let url: String = chars[close + 2..end].iter().collect();
    Some((text, url, end + 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_match_github() {
        assert_eq!(
            github_slug("api/unauthenticated-endpoint"),
            "apiunauthenticated-endpoint"
        );
        assert_eq!(github_slug("db/n_plus_one Rule"), "dbn_plus_one-rule");
        assert_eq!(github_slug("How to fix?"), "how-to-fix");
    }

    #[test]
    fn headings_shift_outside_code_only() {
        let docs = "## What it finds\ntext\n```python\n# a comment\n```\n###### Deep";
        assert_eq!(
            shift_headings(docs),
            "### What it finds\ntext\n```python\n# a comment\n```\n###### Deep"
        );
    }

    #[test]
    fn text_rendering() {
        let md = "## How to fix\n\nUse **a** [guide](https://x.test/g) and `**kwargs`.\n\n```python\ndef f(**kwargs):\n    # keep\n```\n> quoted <https://y.test>\n";
        assert_eq!(
            markdown_to_text(md),
            "How to fix\n\nUse a guide (https://x.test/g) and `**kwargs`.\n\n    def f(**kwargs):\n        # keep\nquoted https://y.test"
        );
    }

    #[test]
    fn unbalanced_markup_does_not_panic() {
        for s in ["[", "[a](", "`", "``a`", "<http", "![x", "**", "a]b(c", "<"] {
            let _ = markdown_to_text(s);
        }
    }
}
