//! The scan: discovery, configuration, parallel extraction, the project model,
//! routes, rules, and the finalisation every finding goes through once
//! (selection, level overrides, inline suppressions, fingerprints, order).

pub mod config;
pub mod discover;
pub mod error;
pub mod extract;
pub mod guard;
pub mod modules;
pub mod process;
pub mod root;
pub mod sqlfiles;
pub mod suppress;
mod timing;

use archlint_frameworks::Knowledge;
use archlint_frameworks::knowledge::Extension;
use archlint_model::{
    DbModel, Dialect, Finding, Level, Notification, Project, ProjectIndex, Route, RuleMeta,
    SourceFile,
};
use archlint_rules::{Context, select};
pub use config::{Config, LoadedConfig};
pub use error::EngineError;
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// What to scan and how.
#[derive(Clone, Debug, Default)]
pub struct ScanOptions {
    pub paths: Vec<PathBuf>,
    pub config: Option<PathBuf>,
    /// Worker threads; 0 = one per core.
    pub threads: usize,
    pub project_root: Option<PathBuf>,
    /// Rule ids or packs from the command line (extend/override the config).
    pub select: Vec<String>,
    pub ignore: Vec<String>,
    /// Whether to run the rules (false for `archlint routes`).
    pub run_rules: bool,
    /// Whether to build the database model without running rules (`archlint schema`).
    pub build_db: bool,
}

/// Everything a scan produced.
pub struct Scan {
    /// Directory finding paths are relative to.
    pub root: PathBuf,
    /// Where each reported path is on disk (absolute). A reported path is not
    /// always `root` joined with it: files outside the root and non-UTF-8 file
    /// names are shown under another name (see [`root::PathNamer`]).
    pub sources: BTreeMap<String, PathBuf>,
    pub project: Project,
    pub routes: Vec<Route>,
    /// Queries, schema and list views (built when rules run or when asked for).
    pub db: DbModel,
    pub findings: Vec<Finding>,
    pub notifications: Vec<Notification>,
    /// Every rule archlint has, sorted by id, whether or not it was selected:
    /// a SARIF log describes them all, so its rule list and `ruleIndex` values
    /// are the same in every run of one version.
    pub rules: Vec<RuleMeta>,
    pub files_scanned: usize,
    pub files_skipped: usize,
    pub bytes: u64,
    pub config_source: Option<PathBuf>,
}

impl Scan {
    /// What the report writers need of this scan, for a tool of that name,
    /// version and home page.
    pub fn report_input<'a>(
        &'a self,
        tool_name: &'a str,
        tool_version: &'a str,
        information_uri: &'a str,
    ) -> archlint_report::ReportInput<'a> {
        archlint_report::ReportInput {
            tool_name,
            tool_version,
            information_uri,
            rules: &self.rules,
            findings: &self.findings,
            notifications: &self.notifications,
            root: &self.root,
            sources: &self.sources,
            summary: archlint_report::ScanSummary {
                files_scanned: self.files_scanned,
                files_skipped: self.files_skipped,
                routes: self.routes.len(),
            },
        }
    }
}

/// Runs a scan. `progress` is called once per analysed file with the total.
pub fn scan(opts: &ScanOptions, progress: &(dyn Fn(usize) + Sync)) -> Result<Scan, EngineError> {
    let mut timer = timing::Timer::from_env();
    let paths = resolve_paths(&opts.paths)?;
    let root = root::project_root(opts.project_root.as_deref(), &paths)?;
    let config_dir = paths
        .iter()
        .find(|p| p.is_dir())
        .cloned()
        .unwrap_or_else(|| root.clone());
    let mut loaded = config::Config::load(opts.config.as_deref(), &config_dir)?;
    if loaded.source.is_none() && config_dir != root {
        loaded = config::Config::load(None, &root)?;
    }
    let cfg = &loaded.config;

    let all_rules = archlint_rules::all_rules();
    let metas: Vec<RuleMeta> = all_rules.iter().map(|r| r.meta().clone()).collect();
    let select: Vec<String> = if opts.select.is_empty() {
        cfg.rules.select.clone()
    } else {
        opts.select.clone()
    };
    let mut ignore = cfg.rules.ignore.clone();
    ignore.extend(opts.ignore.iter().cloned());
    // The config's own names were checked when it was loaded (with their
    // line); what is left unknown here came from the command line.
    if let Some(bad) = select::unknown(&select, &metas).or_else(|| select::unknown(&ignore, &metas))
    {
        return Err(EngineError::Usage(format!(
            "unknown rule or pack `{bad}` (see `archlint rules`)"
        )));
    }

    let threads = if opts.threads == 0 {
        std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(1)
    } else {
        opts.threads
    };
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .map_err(|e| EngineError::Usage(format!("cannot start {threads} threads: {e}")))?;

    let mut excludes: Vec<String> = match &cfg.exclude {
        Some(e) => e.clone(),
        None => discover::DEFAULT_EXCLUDES
            .iter()
            .map(|s| s.to_string())
            .collect(),
    };
    excludes.extend(cfg.extend_exclude.iter().cloned());
    let exclude_set = discover::exclude_set(&excludes).map_err(|e| EngineError::Config {
        path: loaded.source.clone().unwrap_or_default(),
        line: None,
        message: format!("invalid exclude glob: {e}"),
    })?;
    let namer = root::PathNamer::new(&root, &paths);
    let display = |p: &Path| namer.display(p);
    let found = discover::discover(&paths, &exclude_set, threads, &display);
    timer.lap("discover");
    let max = cfg.max_file_size.unwrap_or(config::DEFAULT_MAX_FILE_SIZE);

    let dialect: Dialect = cfg
        .database
        .dialect
        .as_deref()
        .and_then(|d| d.parse().ok())
        .unwrap_or_default();
    // Display names for every file, worked out in parallel (path components
    // are slow to compare, and there is one name per file).
    let sql: Vec<(PathBuf, String)> = pool.install(|| {
        found
            .sql_files
            .par_iter()
            .map(|p| (p.clone(), display(p)))
            .collect()
    });
    let want_db = opts.run_rules || opts.build_db;
    let jobs: Vec<(usize, String)> = pool.install(|| {
        found
            .files
            .par_iter()
            .enumerate()
            .map(|(i, f)| (i, display(&f.abs)))
            .collect()
    });
    let total = jobs.len();
    let mut sources: BTreeMap<String, PathBuf> = BTreeMap::new();
    for (i, rel) in &jobs {
        sources
            .entry(rel.clone())
            .or_insert_with(|| found.files[*i].abs.clone());
    }
    for (abs, rel) in &sql {
        sources.entry(rel.clone()).or_insert_with(|| abs.clone());
    }
    // Module names (directory lookups, Cargo.toml reads) and the `.sql`
    // files' schema depend on no facts: they are read on one worker while the
    // others extract.
    type SqlRead = (Vec<archlint_model::SchemaSource>, Vec<Notification>);
    let ((modules, sql_read), outcomes): (
        (Vec<archlint_model::ModuleName>, Option<SqlRead>),
        Vec<extract::FileOutcome>,
    ) = pool.install(|| {
        rayon::join(
            || {
                let mut namer = modules::ModuleNamer::default();
                let names = found
                    .files
                    .iter()
                    .map(|f| namer.name(&f.abs, f.language))
                    .collect();
                let sql_read = want_db.then(|| sqlfiles::read_sql_files(&sql, max, dialect));
                (names, sql_read)
            },
            || {
                jobs.par_iter()
                    .map(|(i, rel)| {
                        let out = extract::analyse(&found.files[*i], rel, max);
                        progress(total);
                        out
                    })
                    .collect()
            },
        )
    });
    let outcomes = outcomes
        .into_iter()
        .zip(modules)
        .zip(jobs)
        .map(|((out, module), (i, rel))| (out, rel, module, i));

    let mut notifications = found.notifications;
    let mut files = Vec::with_capacity(outcomes.len());
    let mut skipped = 0;
    let mut bytes = 0;
    for (outcome, rel, module, i) in outcomes {
        notifications.extend(outcome.notifications);
        bytes += outcome.bytes;
        match outcome.facts {
            Some(facts) => files.push(SourceFile {
                path: rel,
                language: found.files[i].language,
                module,
                facts,
            }),
            None => skipped += 1,
        }
    }
    let project = Project::new(files);
    timer.lap("extract");

    let mut knowledge = Knowledge::builtin();
    let n = |c: &config::NamesConfig| -> [Vec<String>; 6] {
        [
            c.decorators.clone(),
            c.dependencies.clone(),
            c.classes.clone(),
            c.middleware.clone(),
            c.extractors.clone(),
            c.calls.clone(),
        ]
    };
    let (auth, public, rate) = (n(&cfg.auth), n(&cfg.public), n(&cfg.rate_limit));
    knowledge.extend(&Extension {
        auth: refs(&auth),
        public: refs(&public),
        rate_limit: refs(&rate),
        public_paths: cfg.public_paths.as_deref(),
        extend_public_paths: &cfg.extend_public_paths,
    });

    let index = ProjectIndex::new(&project);
    timer.lap("index");
    // A panic in one framework's route builder, one group of database
    // collectors or the call analysis costs only that unit's output.
    let panics = std::sync::Mutex::new(Vec::new());
    let guarded = |unit: String, what: String, work: &mut dyn FnMut()| -> bool {
        match guard::run(&unit, work) {
            Ok(()) => true,
            Err(msg) => {
                let note = guard::notification(None, format!("internal error in {what}: {msg}"));
                panics.lock().unwrap_or_else(|e| e.into_inner()).push(note);
                false
            }
        }
    };
    let route_guard = |name: &str, work: &mut dyn FnMut()| {
        let what = format!("the {name} route builder ({name} routes are missing)");
        guarded(format!("routes {name}"), what, work)
    };
    let db_guard = |name: &str, work: &mut dyn FnMut()| {
        let what = format!("the {name} database collectors (their queries and schema are missing)");
        guarded(format!("database {name}"), what, work)
    };
    // Routes then the database model on one side, the call graph on the other:
    // independent work, run side by side on the scan's pool.
    let ((routes, db), calls) = pool.install(|| {
        rayon::join(
            || {
                let routes =
                    archlint_frameworks::build_routes_guarded(&index, &knowledge, &route_guard);
                let db = if want_db {
                    let mut input = sql_read;
                    let mut db = None;
                    guarded(
                        "database model".into(),
                        "building the database model (it is empty)".into(),
                        &mut || {
                            let (sources, problems) = input.take().unwrap_or_default();
                            db = Some(archlint_frameworks::db::build_db_guarded(
                                &index, &knowledge, &routes, dialect, sources, problems, &db_guard,
                            ))
                        },
                    );
                    db.unwrap_or_default()
                } else {
                    DbModel::default()
                };
                (routes, db)
            },
            || {
                opts.run_rules.then(|| {
                    let mut calls = None;
                    guarded(
                        "call graph".into(),
                        "the call analysis (rules ran without the call graph)".into(),
                        &mut || {
                            calls = Some(archlint_frameworks::calls::analyse_calls(
                                &index, &knowledge,
                            ))
                        },
                    );
                    calls.unwrap_or_else(|| archlint_frameworks::CallInfo {
                        graph: archlint_model::CallGraph::with_functions(
                            project.functions().map(|(f, _)| f),
                        ),
                        effects: Default::default(),
                    })
                })
            },
        )
    });
    notifications.extend(panics.into_inner().unwrap_or_else(|e| e.into_inner()));
    timer.lap("routes, db, calls");
    notifications.extend(db.problems.iter().cloned());
    let mut findings = Vec::new();
    if let Some(calls) = calls {
        let cx = Context {
            index: &index,
            routes: &routes,
            calls: &calls,
            knowledge: &knowledge,
            db: &db,
        };
        let enabled: Vec<&dyn archlint_rules::Rule> = all_rules
            .iter()
            .map(|r| r.as_ref())
            .filter(|r| select::enabled(r.meta(), &select, &ignore))
            .filter(|r| cfg.rules.level.get(&r.meta().id).map(String::as_str) != Some("off"))
            .collect();
        // A rule that panics loses its findings, not the scan.
        let per_rule: Vec<Result<Vec<Finding>, Notification>> = pool.install(|| {
            enabled
                .par_iter()
                .map(|r| {
                    let id = &r.meta().id;
                    guard::run(&format!("rule {id}"), || {
                        let mut out = Vec::new();
                        r.check(&cx, &mut out);
                        out
                    })
                    .map_err(|msg| {
                        let msg = format!(
                            "internal error in rule {id} (its findings are missing): {msg}"
                        );
                        guard::notification(None, msg)
                    })
                })
                .collect()
        });
        for result in per_rule {
            match result {
                Ok(out) => findings.extend(out),
                Err(note) => notifications.push(note),
            }
        }
        findings = pool.install(|| finalise(findings, &sources, &cfg.rules.level));
        timer.lap("rules");
    }
    notifications.sort();
    notifications.dedup();
    drop(index);
    Ok(Scan {
        root,
        sources,
        project,
        routes,
        db,
        findings,
        notifications,
        rules: metas,
        files_scanned: total - skipped,
        files_skipped: skipped,
        bytes,
        config_source: loaded.source,
    })
}

fn refs(a: &[Vec<String>; 6]) -> [&[String]; 6] {
    [&a[0], &a[1], &a[2], &a[3], &a[4], &a[5]]
}

/// Level overrides, inline suppressions, fingerprints and the total order.
fn finalise(
    mut findings: Vec<Finding>,
    sources: &BTreeMap<String, PathBuf>,
    levels: &BTreeMap<String, String>,
) -> Vec<Finding> {
    for f in &mut findings {
        if let Some(l) = levels.get(&f.rule).and_then(|l| Level::parse(l)) {
            f.level = l;
        }
    }
    // Suppressions: read each file with findings once, from where it really
    // is (a reported path is not always under the project root).
    let mut by_path: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (i, f) in findings.iter().enumerate() {
        by_path.entry(f.location.path.clone()).or_default().push(i);
    }
    // Files are read and searched in parallel; which findings go is merged
    // back by index, so the outcome does not depend on the order.
    let by_path: Vec<(String, Vec<usize>)> = by_path.into_iter().collect();
    let suppressed: Vec<Vec<usize>> = by_path
        .par_iter()
        .map(|(path, idxs)| {
            let Some(Ok(text)) = sources.get(path).map(std::fs::read) else {
                return Vec::new();
            };
            let text = String::from_utf8_lossy(&text);
            let lines: Vec<&str> = text.lines().collect();
            idxs.iter()
                .copied()
                .filter(|&i| {
                    let f = &findings[i];
                    // Lines of the finding and of its related locations in this file
                    // (the SQL text a ruff or bandit suppression sits on).
                    let spans = std::iter::once(&f.location).chain(
                        f.related
                            .iter()
                            .map(|r| &r.location)
                            .filter(|l| l.path == f.location.path),
                    );
                    let mut at: Vec<u32> = spans
                        .flat_map(|l| l.span.start.line..=l.span.end.line.max(l.span.start.line))
                        .collect();
                    at.sort_unstable();
                    at.dedup();
                    suppress::is_suppressed(&lines, f.location.span.start.line, &f.rule)
                        || suppress::foreign_suppression(&lines, at, &f.rule)
                })
                .collect()
        })
        .collect();
    let mut keep = vec![true; findings.len()];
    for i in suppressed.into_iter().flatten() {
        keep[i] = false;
    }
    let mut it = keep.into_iter();
    findings.retain(|_| it.next().unwrap_or(true));
    findings.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    // Fingerprints: identical (rule, path, anchor) get an occurrence number.
    let mut seen: BTreeMap<(String, String, String), u32> = BTreeMap::new();
    for f in &mut findings {
        let n = seen
            .entry((f.rule.clone(), f.location.path.clone(), f.anchor.clone()))
            .or_insert(0);
        *n += 1;
        let anchor = if *n == 1 {
            f.anchor.clone()
        } else {
            format!("{}#{}", f.anchor, n)
        };
        f.fingerprint = archlint_report::fingerprint(&f.rule, &f.location.path, &anchor);
    }
    findings
}

/// Checks that every path exists and makes it absolute.
fn resolve_paths(paths: &[PathBuf]) -> Result<Vec<PathBuf>, EngineError> {
    let paths: Vec<PathBuf> = if paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        paths.to_vec()
    };
    paths
        .iter()
        .map(|p| {
            std::fs::canonicalize(p).map_err(|e| EngineError::Io {
                path: p.clone(),
                message: if e.kind() == std::io::ErrorKind::NotFound {
                    "no such file or directory".into()
                } else {
                    format!("cannot open: {e}")
                },
            })
        })
        .collect()
}
