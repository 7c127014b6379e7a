//! A small synthetic scan shared by the integration tests: two rules, three
//! findings (one with related locations, one with a flow, one in a file that
//! is not on disk), two notifications, and a temp dir holding the sources.

#![allow(dead_code)]

use archlint_model::{
    Confidence, Evidence, Finding, Framework, FuncRef, Handler, Level, Location, MethodSet,
    Notification, NotificationKind, Pos, Related, Route, RuleMeta, Scope, Span,
};
use archlint_report::{ReportInput, ScanSummary, fingerprint};
use std::collections::BTreeMap;

pub struct Fixture {
    pub dir: tempfile::TempDir,
    pub rules: Vec<RuleMeta>,
    pub findings: Vec<Finding>,
    pub notifications: Vec<Notification>,
    /// Empty: every fixture file is read from the temp dir root.
    pub sources: BTreeMap<String, std::path::PathBuf>,
}

impl Fixture {
    pub fn input(&self) -> ReportInput<'_> {
        ReportInput {
            tool_name: "archlint",
            tool_version: "0.1.0",
            information_uri: "https://github.com/archlint/archlint",
            rules: &self.rules,
            findings: &self.findings,
            notifications: &self.notifications,
            root: self.dir.path(),
            sources: &self.sources,
            summary: ScanSummary {
                files_scanned: 4,
                files_skipped: 1,
                routes: 3,
            },
        }
    }
}

pub const ORDERS_PY: &str = r#"from flask import Flask, request

app = Flask(__name__)


@app.post("/orders")
def create_order():
    for item in request.json["items"]:
        save_item(item)
    return {"ok": True}
"#;

pub const REPO_PY: &str =
    "def save_item(item):\n    db.execute(\"INSERT INTO order_items VALUES (?)\", item)\n";

pub const AUTH_PY: &str =
    "from flask_login import login_required\n\n@login_required\ndef me():\n    ...\n";

pub fn span(sl: u32, sc: u32, el: u32, ec: u32) -> Span {
    Span::new(Pos { line: sl, col: sc }, Pos { line: el, col: ec })
}

pub fn loc(path: &str, span: Span) -> Location {
    Location {
        path: path.to_owned(),
        span,
    }
}

pub fn related(path: &str, span: Span, message: &str) -> Related {
    Related {
        location: loc(path, span),
        message: message.to_owned(),
    }
}

pub fn finding(
    rule: &str,
    level: Level,
    path: &str,
    span: Span,
    message: &str,
    anchor: &str,
) -> Finding {
    Finding {
        rule: rule.to_owned(),
        level,
        confidence: Confidence::High,
        message: message.to_owned(),
        location: loc(path, span),
        related: Vec::new(),
        flow: Vec::new(),
        anchor: anchor.to_owned(),
        fingerprint: fingerprint(rule, path, anchor),
        properties: BTreeMap::new(),
    }
}

pub fn rules() -> Vec<RuleMeta> {
    vec![
        RuleMeta {
            id: "api/unauthenticated-endpoint".into(),
            pack: "api".into(),
            name: "UnauthenticatedEndpoint".into(),
            summary: "State-changing endpoint without authentication".into(),
            description: "Finds HTTP routes that change state (POST, PUT, PATCH, DELETE) with no authentication at \
                          any level while the routes around them are authenticated."
                .into(),
            default_level: Level::Error,
            precision: "high".into(),
            tags: vec!["security".into(), "external/cwe/cwe-306".into()],
            security_severity: Some("7.5".into()),
            docs: "## What it finds\n\nA route that changes state and has no **authentication**.\n\n\
                   ## Why it matters\n\nAnyone can call it. See [CWE-306](https://cwe.mitre.org/data/definitions/306.html).\n\n\
                   ## Example\n\n```python\n@app.post(\"/orders\")\ndef create_order():  # no auth\n    ...\n```\n\n\
                   ## How to fix\n\nAdd `@login_required`.\n\n\
                   ## How to suppress\n\nList the path in `public_paths`.\n"
                .into(),
        },
        RuleMeta {
            id: "db/n-plus-one".into(),
            pack: "db".into(),
            name: "NPlusOne".into(),
            summary: "Query executed once per item of a loop".into(),
            description: "Finds database queries that run inside a loop, directly or through calls.".into(),
            default_level: Level::Warning,
            precision: "medium".into(),
            tags: vec!["performance".into()],
            security_severity: None,
            docs: "## What it finds\n\nA query inside a loop.\n\n## Why it matters\n\nOne round trip per item.\n\n\
                   ## Example\n\n```python\nfor item in items:\n    # one query each\n    db.execute(SQL, item)\n```\n\n\
                   ## How to fix\n\nBatch the query (`executemany`, `IN (...)`).\n\n\
                   ## How to suppress\n\nAdd `# archlint: ignore[db/n-plus-one]` on the line.\n"
                .into(),
        },
    ]
}

pub fn fixture() -> Fixture {
    let dir = tempfile::tempdir().expect("temp dir");
    for (path, text) in [
        ("app/orders.py", ORDERS_PY),
        ("app/repo.py", REPO_PY),
        ("app/auth.py", AUTH_PY),
    ] {
        let full = dir.path().join(path);
        std::fs::create_dir_all(full.parent().expect("parent")).expect("mkdir");
        std::fs::write(full, text).expect("write source");
    }

    let mut unauth = finding(
        "api/unauthenticated-endpoint",
        Level::Error,
        "app/orders.py",
        span(7, 5, 7, 17),
        "route `POST /orders` has no authentication while its siblings do",
        "POST /orders create_order",
    );
    unauth.related = vec![
        related("app/orders.py", span(6, 1, 6, 21), "route declared here"),
        related(
            "app/auth.py",
            span(3, 1, 3, 16),
            "other routes of this app use `@login_required`",
        ),
    ];
    unauth.properties = BTreeMap::from([
        ("framework".to_owned(), "flask".to_owned()),
        ("method".to_owned(), "POST".to_owned()),
        ("path".to_owned(), "/orders".to_owned()),
    ]);

    let mut n_plus_one = finding(
        "db/n-plus-one",
        Level::Warning,
        "app/orders.py",
        span(9, 9, 9, 24),
        "`save_item` runs a query once per item of this loop",
        "create_order save_item",
    );
    n_plus_one.confidence = Confidence::Medium;
    n_plus_one.flow = vec![
        related(
            "app/orders.py",
            span(8, 5, 8, 39),
            "loop over `request.json[\"items\"]`",
        ),
        related("app/orders.py", span(9, 9, 9, 24), "calls `save_item`"),
        related(
            "app/repo.py",
            span(2, 5, 2, 59),
            "executes `INSERT INTO order_items`",
        ),
    ];

    // A file that is not on disk: the text report shows no snippet for it.
    let mut note = finding(
        "db/n-plus-one",
        Level::Note,
        "my app/#1 views.py",
        span(12, 3, 12, 40),
        "query inside a loop over a small constant list",
        "views loop",
    );
    note.confidence = Confidence::Low;

    let notifications = vec![
        Notification {
            kind: NotificationKind::TooLarge,
            level: Level::Note,
            path: Some("static/bundle.js".into()),
            span: None,
            // The engine's own wording, so the snapshots show real output.
            message: "skipped: larger than the 2097152-byte limit (max-file-size)".into(),
        },
        Notification {
            kind: NotificationKind::SyntaxError,
            level: Level::Warning,
            path: Some("app/broken.py".into()),
            span: Some(span(3, 1, 3, 5)),
            message: "syntax error at line 3: analysed the parts that parse (1 error region)"
                .into(),
        },
    ];

    Fixture {
        dir,
        rules: rules(),
        findings: vec![unauth, n_plus_one, note],
        notifications,
        sources: BTreeMap::new(),
    }
}

pub fn routes() -> Vec<Route> {
    let handler = |name: &str, path: &str, line: u32| Handler {
        name: name.to_owned(),
        location: loc(path, span(line, 5, line, 5 + name.len() as u32)),
        funcs: vec![FuncRef { file: 0, func: 0 }],
        unseen_dispatch: None,
    };
    vec![
        Route {
            framework: Framework::Flask,
            methods: MethodSet::POST,
            path: "/orders".into(),
            handler: handler("create_order", "app/orders.py", 7),
            registration: None,
            group: "app".into(),
            auth: vec![],
            public: vec![],
            rate_limit: vec![],
        },
        Route {
            framework: Framework::Flask,
            methods: MethodSet::GET.union(MethodSet::HEAD),
            path: "/users/<int:id>".into(),
            handler: handler("get_user", "app/users.py", 12),
            registration: None,
            group: "app".into(),
            auth: vec![Evidence {
                scope: Scope::Route,
                what: "@login_required".into(),
                location: Some(loc("app/users.py", span(11, 1, 11, 16))),
            }],
            public: vec![],
            rate_limit: vec![Evidence {
                scope: Scope::App,
                what: "Limiter(app, default_limits=[\"100/hour\"])".into(),
                location: None,
            }],
        },
        Route {
            framework: Framework::Fastapi,
            methods: MethodSet::GET,
            path: "/health|status".into(),
            handler: handler("health", "svc/main.py", 3),
            registration: None,
            group: "router".into(),
            auth: vec![],
            public: vec![Evidence {
                scope: Scope::Config,
                what: "public_paths = [\"/health\"]".into(),
                location: None,
            }],
            rate_limit: vec![],
        },
    ]
}
