//! The README's rule table lists exactly the rules archlint has, each with
//! its default level among the levels the row names.

use std::path::Path;

#[test]
fn readme_rule_table_matches_the_registry() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let readme = std::fs::read_to_string(root.join("README.md")).expect("README.md");
    let start = readme
        .find("<!-- rules-table:start -->")
        .expect("README has a rules-table:start marker");
    let end = readme
        .find("<!-- rules-table:end -->")
        .expect("README has a rules-table:end marker");
    let mut rows: Vec<(String, String)> = readme[start..end]
        .lines()
        .filter_map(|l| {
            let cells: Vec<&str> = l.split('|').map(str::trim).collect();
            let id = cells.get(1)?.strip_prefix('`')?.strip_suffix('`')?;
            Some((id.to_string(), cells.get(2)?.to_string()))
        })
        .collect();
    rows.sort();
    let mut metas = archlint_rules::all_meta();
    metas.sort_by(|a, b| a.id.cmp(&b.id));
    let ids: Vec<&str> = rows.iter().map(|(id, _)| id.as_str()).collect();
    let want: Vec<&str> = metas.iter().map(|m| m.id.as_str()).collect();
    assert_eq!(ids, want, "README rule table and the rule registry differ");
    for (meta, (id, levels)) in metas.iter().zip(&rows) {
        assert!(
            levels.contains(meta.default_level.as_str()),
            "README row {id} gives levels `{levels}`, not the default `{}`",
            meta.default_level.as_str()
        );
    }
}
