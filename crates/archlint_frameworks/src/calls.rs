//! Call resolution: which project function each call site invokes, as far as
//! names, imports, `self`/`Self` and module paths can prove it, and the
//! expensive work each function does directly. Method calls on values of
//! unknown type stay unresolved rather than guessed.

use crate::effects::{EffectSummary, Witness, classify};
use crate::knowledge::Knowledge;
use archlint_model::visit::{walk_expr, walk_stmts};
use archlint_model::{
    CallGraph, CallSite, ClassRef, Container, ExprKind, FuncRef, Function, Language, Loop,
    LoopKind, ProjectIndex, Symbol,
};
use rayon::prelude::*;
use rustc_hash::FxHashMap as HashMap;
use rustc_hash::FxHashSet;

/// The call graph and per-function effect summaries of a project.
pub struct CallInfo {
    pub graph: CallGraph,
    /// What each function reaches, itself or through calls.
    pub effects: HashMap<FuncRef, EffectSummary>,
}

/// Builds the call graph and summaries.
pub fn analyse_calls(index: &ProjectIndex, k: &Knowledge) -> CallInfo {
    let project = index.project;
    let mut graph = CallGraph::with_functions(project.functions().map(|(r, _)| r));
    let nested: Vec<NestedFns> = project.files.iter().map(|f| nested_fns(&f.facts)).collect();
    // Each function's calls and direct effects depend only on the index:
    // compute them in parallel, then add the edges in function order so the
    // graph is the same whatever the thread count.
    let functions: Vec<(FuncRef, &Function)> = project.functions().collect();
    let per_func: Vec<(Vec<(FuncRef, CallSite)>, EffectSummary)> = functions
        .par_iter()
        .map_init(CalleeMemo::default, |memo, &(fref, func)| {
            function_calls(index, k, &nested[fref.file as usize], fref, func, memo)
        })
        .collect();
    let mut direct: HashMap<FuncRef, EffectSummary> = HashMap::default();
    for (&(fref, _), (calls, mine)) in functions.iter().zip(per_func) {
        for (to, site) in calls {
            graph.add_call(fref, to, site);
        }
        direct.insert(fref, mine);
    }
    let effects = graph.summarize(
        |f| direct.get(&f).cloned().unwrap_or_default(),
        |acc, callee, _, _| acc.join(callee),
    );
    CallInfo { graph, effects }
}

/// The resolved calls of one function (callee and call site, in walk order)
/// and the effects of its own calls.
fn function_calls(
    index: &ProjectIndex,
    k: &Knowledge,
    nested: &NestedFns,
    fref: FuncRef,
    func: &Function,
    memo: &mut CalleeMemo,
) -> (Vec<(FuncRef, CallSite)>, EffectSummary) {
    let project = index.project;
    let mut calls = Vec::new();
    let mut mine = EffectSummary::default();
    let file = fref.file;
    let lang = project.files[file as usize].language;
    let shadows = LocalNames::of(func);
    let locals = external_locals(index, nested, fref, &shadows, lang);
    let once = if lang == Language::Rust {
        once_closures(func)
    } else {
        Vec::new()
    };
    let in_once = |span: archlint_model::Span| once.iter().any(|o| o.contains(&span));
    // Rust macros such as `sqlx::query!` are calls too; their effects come
    // after those of the calls (the first witness of a kind is kept).
    let mut macro_effects = Vec::new();
    let mut on_expr = |e: &archlint_model::Expr| {
        let (callee_expr, span) = match &e.kind {
            ExprKind::Call { func: callee, .. } => (callee.as_ref(), e.span),
            ExprKind::Macro { path, .. } => {
                if !in_once(e.span) {
                    let name = path.join("::");
                    let as_expr = archlint_model::Expr::new(ExprKind::Path(path.clone()), e.span);
                    let sym = Symbol::External(name.clone());
                    if let Some(effect) = classify(k, &as_expr, Some(&sym)) {
                        let witness = Witness {
                            call: format!("{name}!"),
                            location: project.location(file, e.span),
                        };
                        macro_effects.push((effect, witness));
                    }
                }
                return;
            }
            _ => return,
        };
        if in_once(span) {
            return;
        }
        let target = memo.resolve(index, nested, fref, &shadows, lang, callee_expr);
        match &target {
            Some(Symbol::Func(t)) => calls.push((
                *t,
                CallSite {
                    span,
                    loop_idx: loop_of(func, span),
                },
            )),
            Some(Symbol::Class(c)) => {
                if let Some(init) = index.method(*c, "__init__") {
                    calls.push((
                        init,
                        CallSite {
                            span,
                            loop_idx: loop_of(func, span),
                        },
                    ));
                }
            }
            _ => {}
        }
        // `client = httpx.AsyncClient()` then `client.get(...)`: the
        // receiver's constructor says what the method call is.
        let target = match (&target, &callee_expr.kind) {
            (None, ExprKind::Attr(recv, m)) => match &recv.unwrap_await().kind {
                ExprKind::Name(n) => locals
                    .get(n.as_str())
                    .map(|p| Symbol::External(format!("{p}.{m}"))),
                _ => None,
            },
            _ => target,
        };
        if let Some(effect) = classify(k, callee_expr, target.as_ref()) {
            mine.add(
                effect,
                Witness {
                    call: callee_text(callee_expr),
                    location: project.location(file, span),
                },
            );
        }
    };
    walk_stmts(&func.body, &mut on_expr);
    // Python keeps a `for` loop's iterable only in the loop: it runs once,
    // in the enclosing scope, and its calls count like any other.
    if lang == Language::Python {
        for l in &func.loops {
            if let (LoopKind::For | LoopKind::Comprehension, Some(it)) = (l.kind, &l.iter) {
                walk_expr(it, &mut on_expr);
            }
        }
    }
    for (effect, witness) in macro_effects {
        mine.add(effect, witness);
    }
    (calls, mine)
}

/// Rust initialisers whose closure runs once per process, whatever the
/// number of calls: `CELL.get_or_init(|| ..)` (`OnceCell`, `OnceLock`),
/// `Once::call_once`, `Lazy::new(|| ..)`.
const ONCE_METHODS: &[&str] = &[
    "call_once",
    "call_once_force",
    "get_or_init",
    "get_or_try_init",
];
const ONCE_TYPES: &[&str] = &["Lazy", "LazyCell", "LazyLock"];

/// Spans of the closures of a function that run at most once (arguments of
/// [`ONCE_METHODS`] calls and of `Lazy::new`): their calls are a one-time
/// cost, not work the function does on every call.
pub fn once_closures(func: &Function) -> Vec<archlint_model::Span> {
    let mut out = Vec::new();
    walk_stmts(&func.body, |e| {
        let ExprKind::Call { func: callee, args } = &e.kind else {
            return;
        };
        let once = match &callee.kind {
            ExprKind::Attr(_, m) => ONCE_METHODS.contains(&m.as_str()),
            ExprKind::Path(segs) => {
                segs.len() >= 2
                    && segs.last().is_some_and(|m| m == "new")
                    && ONCE_TYPES.contains(&segs[segs.len() - 2].as_str())
            }
            _ => false,
        };
        if once {
            out.extend(
                args.iter()
                    .filter(|a| matches!(a.value.kind, ExprKind::Lambda { .. }))
                    .map(|a| a.value.span),
            );
        }
    });
    out
}

/// Local variables bound to the result of a call into an external library
/// (`client = httpx.AsyncClient()`, `conn = sqlite3.connect(p)`, `with
/// requests.Session() as s`), by name, with the library path of the call.
fn external_locals<'f>(
    index: &ProjectIndex,
    nested: &NestedFns,
    fref: FuncRef,
    locals: &LocalNames<'f>,
    lang: Language,
) -> HashMap<&'f str, String> {
    let func = locals.func();
    let mut out = HashMap::default();
    for s in &func.body {
        let archlint_model::StmtKind::Assign { targets, value, .. } = &s.kind else {
            continue;
        };
        let [target] = targets.as_slice() else {
            continue;
        };
        let ExprKind::Name(n) = &target.kind else {
            continue;
        };
        let ExprKind::Call { func: callee, .. } = &value.unwrap_await().kind else {
            out.remove(n.as_str());
            continue;
        };
        match resolve_callee(index, nested, fref, locals, lang, callee) {
            Some(Symbol::External(p)) => {
                out.insert(n.as_str(), p.replace("::", "."));
            }
            _ => {
                out.remove(n.as_str());
            }
        }
    }
    out
}

/// The innermost loop of `func` containing `span`, by position.
fn loop_of(func: &Function, span: archlint_model::Span) -> Option<u32> {
    // A loop's iterable runs before the loop, not once per iteration; in
    // `[c for a in f() for c in g(a)]` the inner loop spans `f()` too, but
    // `f()` runs once, before both.
    let in_iter_of_self_or_outer = |first: &Loop| {
        let mut cur = Some(first);
        for _ in 0..64 {
            let Some(l) = cur else { return false };
            if l.iter.as_ref().is_some_and(|it| it.span.contains(&span)) {
                return true;
            }
            cur = l.parent.and_then(|p| func.loops.get(p as usize));
        }
        false
    };
    func.loops
        .iter()
        .enumerate()
        .filter(|(_, l)| l.span.contains(&span) && !in_iter_of_self_or_outer(l))
        .max_by_key(|(_, l)| l.span.start)
        .map(|(i, _)| i as u32)
}

/// `cursor.execute`, `sqlx::query`, or `<call>` for anything more complex.
pub fn callee_text(e: &archlint_model::Expr) -> String {
    if let Some(d) = e.dotted() {
        return if matches!(e.kind, ExprKind::Path(_)) {
            d.replace('.', "::")
        } else {
            d
        };
    }
    match &e.kind {
        ExprKind::Attr(_, m) => format!("….{m}"),
        _ => "<call>".into(),
    }
}

/// Functions nested in other functions of one file: (parent, name) to index.
pub type NestedFns<'a> = HashMap<(u32, &'a str), u32>;

/// Indexes the nested functions of a file.
pub fn nested_fns(facts: &archlint_model::FileFacts) -> NestedFns<'_> {
    let mut m = HashMap::default();
    for (i, f) in facts.functions.iter().enumerate() {
        if let Container::Function(p) = f.container {
            m.insert((p, f.name.as_str()), i as u32);
        }
    }
    m
}

/// Resolves the callee of a call made inside `func`.
pub fn resolve_callee(
    index: &ProjectIndex,
    nested: &NestedFns,
    fref: FuncRef,
    locals: &LocalNames,
    lang: Language,
    callee: &archlint_model::Expr,
) -> Option<Symbol> {
    let func = locals.func();
    let project = index.project;
    let facts = &project.files[fref.file as usize].facts;
    // A parameter or local variable shadows the module-level name or import
    // it is named after: what it holds, and so its methods, depend on the
    // caller or on the function's own code.
    if locals.roots(callee) {
        return None;
    }
    // Code inside an inline Rust module names its siblings relative to it.
    let inline = |segs: &[String]| {
        index
            .inline_relative_fn(fref.file, &func.module_path, segs)
            .map(Symbol::Func)
    };
    match &callee.kind {
        ExprKind::Name(n) => {
            // A function nested in this one (or in an enclosing one) shadows module-level names.
            if let Some(i) = nested_fn(nested, facts, fref, n) {
                return Some(Symbol::Func(FuncRef {
                    file: fref.file,
                    func: i,
                }));
            }
            inline(std::slice::from_ref(n)).or_else(|| index.resolve_name(fref.file, n))
        }
        ExprKind::Attr(recv, m) => {
            if let ExprKind::Name(r) = &recv.kind
                && (r == "self" || r == "cls")
            {
                return match (lang, owner(func, facts)) {
                    (Language::Python, Owner::Class(c)) => method_in_hierarchy(
                        index,
                        ClassRef {
                            file: fref.file,
                            class: c,
                        },
                        m,
                    )
                    .map(Symbol::Func),
                    (Language::Rust, Owner::Impl(ty)) => {
                        unique(index.rust_methods(&ty, m)).map(Symbol::Func)
                    }
                    _ => None,
                };
            }
            match index.resolve_expr(fref.file, callee) {
                Some(s @ (Symbol::Func(_) | Symbol::External(_) | Symbol::Class(_))) => Some(s),
                _ => None,
            }
        }
        ExprKind::Path(segs) => {
            if segs.len() == 2
                && segs[0] == "Self"
                && let Owner::Impl(ty) = owner(func, facts)
            {
                return unique(index.rust_methods(&ty, &segs[1])).map(Symbol::Func);
            }
            inline(segs).or_else(|| index.resolve_expr(fref.file, callee))
        }
        _ => None,
    }
}

/// The names local to one function that shadow module-level names and
/// imports: its parameters (other than `self`/`cls`, which are resolved
/// through the class or impl) and the names its body assigns or a `for`
/// loop binds. In Python such a name is local to the whole function; in Rust
/// a `let` binding shadows from where it stands, which this approximates.
pub struct LocalNames<'f> {
    func: &'f Function,
    names: FxHashSet<&'f str>,
}

impl<'f> LocalNames<'f> {
    pub fn of(func: &'f Function) -> Self {
        let mut names = FxHashSet::default();
        for p in &func.params {
            if p.name != "self" && p.name != "cls" {
                names.insert(p.name.as_str());
            }
        }
        let mut bind = |t: &'f archlint_model::Expr| match &t.kind {
            ExprKind::Name(n) => {
                names.insert(n.as_str());
            }
            ExprKind::Tuple(xs) | ExprKind::List(xs) => {
                for x in xs {
                    if let ExprKind::Name(n) = &x.kind {
                        names.insert(n.as_str());
                    }
                }
            }
            _ => {}
        };
        for st in &func.body {
            if let archlint_model::StmtKind::Assign { targets, .. } = &st.kind {
                targets.iter().for_each(&mut bind);
            }
        }
        // Comprehension variables are local to the comprehension only.
        for l in func
            .loops
            .iter()
            .filter(|l| l.kind != LoopKind::Comprehension)
        {
            if let Some(t) = &l.target {
                bind(t);
            }
        }
        LocalNames { func, names }
    }

    /// The function these names are local to.
    pub fn func(&self) -> &'f Function {
        self.func
    }

    /// Whether `callee` is one of these names, or an attribute chain rooted
    /// at one (`client.get`, `repo.users.find`).
    pub fn roots(&self, callee: &archlint_model::Expr) -> bool {
        let mut cur = callee;
        for _ in 0..64 {
            match &cur.kind {
                ExprKind::Attr(inner, _) => cur = inner,
                ExprKind::Name(n) => return self.names.contains(n.as_str()),
                _ => return false,
            }
        }
        false
    }
}

/// The function nested in `fref` (or in a function enclosing it) named `n`.
fn nested_fn(
    nested: &NestedFns,
    facts: &archlint_model::FileFacts,
    fref: FuncRef,
    n: &str,
) -> Option<u32> {
    let mut scope = Some(fref.func);
    let mut hops = 0;
    while let (Some(s), true) = (scope, hops < 16) {
        if let Some(&i) = nested.get(&(s, n)) {
            return Some(i);
        }
        scope = match facts.functions.get(s as usize).map(|f| f.container) {
            Some(Container::Function(p)) => Some(p),
            _ => None,
        };
        hops += 1;
    }
    None
}

/// Memo of [`resolve_callee`] for callees whose resolution depends only on
/// their file, Rust inline module and text (names no nested function,
/// parameter or local variable shadows, attribute chains not on `self` or
/// such a local, paths other than `Self::..`): the same few names are
/// called all over a file, and resolving one walks imports and modules.
#[derive(Default)]
pub struct CalleeMemo {
    map: HashMap<u32, HashMap<String, Option<Symbol>>>,
    key: String,
}

impl CalleeMemo {
    pub fn resolve(
        &mut self,
        index: &ProjectIndex,
        nested: &NestedFns,
        fref: FuncRef,
        locals: &LocalNames,
        lang: Language,
        callee: &archlint_model::Expr,
    ) -> Option<Symbol> {
        let func = locals.func();
        let facts = &index.project.files[fref.file as usize].facts;
        if !context_free_key(callee, &mut self.key)
            || locals.roots(callee)
            || matches!(&callee.kind, ExprKind::Name(n) if nested_fn(nested, facts, fref, n).is_some())
        {
            return resolve_callee(index, nested, fref, locals, lang, callee);
        }
        // Inside an inline Rust module a name can mean something else than
        // at the file's top level: the module is part of the key.
        for m in &func.module_path {
            self.key.push_str(" in ");
            self.key.push_str(m);
        }
        let per_file = self.map.entry(fref.file).or_default();
        if let Some(hit) = per_file.get(self.key.as_str()) {
            return hit.clone();
        }
        let sym = resolve_callee(index, nested, fref, locals, lang, callee);
        per_file.insert(self.key.clone(), sym.clone());
        sym
    }
}

/// Writes a key for `callee` when its resolution depends on nothing but its
/// text: `name`, `a.b.c` (not on `self`/`cls`), `a::b` (not `Self::..`).
fn context_free_key(callee: &archlint_model::Expr, key: &mut String) -> bool {
    key.clear();
    match &callee.kind {
        ExprKind::Name(n) => {
            key.push_str(n);
            true
        }
        ExprKind::Path(segs) => {
            if segs.first().is_some_and(|s| s == "Self") {
                return false;
            }
            for s in segs {
                key.push_str("::");
                key.push_str(s);
            }
            true
        }
        ExprKind::Attr(..) => {
            // Attribute chains are walked iteratively, innermost name first.
            let mut parts: Vec<&str> = Vec::new();
            let mut cur = callee;
            loop {
                match &cur.kind {
                    ExprKind::Attr(inner, a) => {
                        parts.push(a);
                        cur = inner;
                    }
                    ExprKind::Name(n) if n != "self" && n != "cls" => {
                        parts.push(n);
                        break;
                    }
                    _ => return false,
                }
            }
            for (i, p) in parts.iter().rev().enumerate() {
                if i > 0 {
                    key.push('.');
                }
                key.push_str(p);
            }
            true
        }
        _ => false,
    }
}

fn unique(fs: &[FuncRef]) -> Option<FuncRef> {
    if fs.len() == 1 {
        fs.first().copied()
    } else {
        None
    }
}

enum Owner {
    Class(u32),
    Impl(String),
    None,
}

/// The class or impl a function belongs to, looking through nested functions.
fn owner(func: &Function, facts: &archlint_model::FileFacts) -> Owner {
    let mut cur = func;
    for _ in 0..32 {
        match cur.container {
            Container::Class(c) => return Owner::Class(c),
            Container::Impl(i) => {
                return facts
                    .impls
                    .get(i as usize)
                    .map(|im| Owner::Impl(im.self_ty.clone()))
                    .unwrap_or(Owner::None);
            }
            Container::Function(p) => match facts.functions.get(p as usize) {
                Some(parent) => cur = parent,
                None => return Owner::None,
            },
            Container::Module => return Owner::None,
        }
    }
    Owner::None
}

/// A method of a class or, failing that, of its project base classes (bounded depth).
pub fn method_in_hierarchy(index: &ProjectIndex, class: ClassRef, name: &str) -> Option<FuncRef> {
    let mut todo = vec![(class, 0u32)];
    while let Some((c, depth)) = todo.pop() {
        if let Some(f) = index.method(c, name) {
            return Some(f);
        }
        if depth >= 8 {
            continue;
        }
        let Some(cls) = index.project.class(c) else {
            continue;
        };
        for base in cls.bases.iter().rev().filter(|a| a.name.is_none()) {
            if let Some(Symbol::Class(b)) = index.resolve_expr(c.file, &base.value) {
                todo.push((b, depth + 1));
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use archlint_model::{ModuleName, Project, SourceFile};

    fn graph_of(src: &str) -> (Project, Vec<(String, String, Option<u32>)>) {
        let facts = archlint_python::PythonExtractor::new().extract(src.as_bytes());
        let project = Project::new(vec![SourceFile {
            path: "m.py".into(),
            language: Language::Python,
            module: ModuleName {
                module: "m".into(),
                ..Default::default()
            },
            facts,
        }]);
        let edges = {
            let index = ProjectIndex::new(&project);
            let info = analyse_calls(&index, &Knowledge::builtin());
            let mut edges = Vec::new();
            for (f, func) in project.functions() {
                for (c, site) in info.graph.callees(f) {
                    let callee = project.func(c).map(|x| x.name.clone()).unwrap_or_default();
                    edges.push((func.name.clone(), callee, site.loop_idx));
                }
            }
            edges
        };
        (project, edges)
    }

    #[test]
    fn calls_in_loop_iterables_are_edges_outside_the_loop() {
        let src = "def recent():\n    return []\n\ndef show(x):\n    return x\n\ndef page():\n    return [show(n) for n in recent()]\n";
        let (_, edges) = graph_of(src);
        assert!(
            edges.contains(&("page".into(), "recent".into(), None)),
            "{edges:?}"
        );
        assert!(
            edges.contains(&("page".into(), "show".into(), Some(0))),
            "{edges:?}"
        );
    }

    /// The functions `f` calls, among `edges` from [`graph_of`].
    fn callees_in<'e>(edges: &'e [(String, String, Option<u32>)], f: &str) -> Vec<&'e str> {
        edges
            .iter()
            .filter(|(a, _, _)| a == f)
            .map(|(_, b, _)| b.as_str())
            .collect()
    }

    #[test]
    fn parameters_shadow_module_names() {
        // `notify` the parameter is whatever the caller passes, not the
        // module's `notify`; the same name elsewhere in the file still is.
        let src = "class Mailer:\n    def send(self):\n        return 1\n\nmailer = Mailer()\n\ndef notify(x):\n    return x\n\ndef run(notify, mailer):\n    notify(1)\n    mailer.send()\n\ndef ping():\n    notify(2)\n    mailer.send()\n";
        let (_, edges) = graph_of(src);
        assert_eq!(callees_in(&edges, "run"), Vec::<&str>::new(), "{edges:?}");
        assert_eq!(callees_in(&edges, "ping"), ["notify"], "{edges:?}");
    }

    #[test]
    fn locals_shadow_module_names() {
        // A name assigned in a function is local to all of it (Python):
        // `notify` and `mailer` there are what the function made, not the
        // module's; the same names elsewhere in the file still are.
        let src = "class Mailer:\n    def send(self):\n        return 1\n\nmailer = Mailer()\n\ndef notify(x):\n    return x\n\ndef run(make):\n    notify = make()\n    notify(1)\n    for mailer in make():\n        mailer.send()\n\ndef ping():\n    notify(2)\n    mailer.send()\n";
        let (_, edges) = graph_of(src);
        assert_eq!(callees_in(&edges, "run"), Vec::<&str>::new(), "{edges:?}");
        assert_eq!(callees_in(&edges, "ping"), ["notify"], "{edges:?}");
    }

    #[test]
    fn outer_iterables_of_nested_comprehensions_run_once() {
        let src = "def ranges():\n    return []\n\ndef split(a):\n    return [a]\n\ndef page():\n    return [c for a in ranges() for c in split(a)]\n";
        let (_, edges) = graph_of(src);
        assert!(
            edges.contains(&("page".into(), "ranges".into(), None)),
            "{edges:?}"
        );
        assert!(
            edges.contains(&("page".into(), "split".into(), Some(0))),
            "{edges:?}"
        );
    }

    #[test]
    fn effects_reach_through_resolved_calls_and_library_locals() {
        let src = "import httpx\n\ndef fetch(u):\n    client = httpx.Client()\n    return client.get(u)\n\ndef handler():\n    return fetch('x')\n";
        let effects = effects_of(src);
        let (_, effect, call) = effects
            .iter()
            .find(|(name, _, _)| name == "handler")
            .unwrap();
        assert_eq!(
            *effect,
            Some(crate::effects::Effect::Http),
            "handler reaches the HTTP call"
        );
        assert_eq!(call, "client.get");
    }

    /// The effect each function of `src` reaches, as `(function, effect, call)`.
    fn effects_of(src: &str) -> Vec<(String, Option<crate::effects::Effect>, String)> {
        let facts = archlint_python::PythonExtractor::new().extract(src.as_bytes());
        let project = Project::new(vec![SourceFile {
            path: "m.py".into(),
            language: Language::Python,
            module: ModuleName {
                module: "m".into(),
                ..Default::default()
            },
            facts,
        }]);
        let index = ProjectIndex::new(&project);
        let info = analyse_calls(&index, &Knowledge::builtin());
        project
            .functions()
            .map(|(r, f)| {
                let any = info.effects[&r].any();
                (
                    f.name.clone(),
                    any.map(|(e, _)| e),
                    any.map(|(_, w)| w.call.clone()).unwrap_or_default(),
                )
            })
            .collect()
    }

    #[test]
    fn transactions_builders_and_http_sessions_are_not_queries() {
        use crate::effects::Effect;
        let src = "from django.db import transaction, router\nfrom flask import session\nfrom sqlalchemy import select\nimport requests\n\n\
def atomic():\n    with transaction.atomic(using=router.db_for_write(None)):\n        pass\n\n\
def theme():\n    return session.get('theme')\n\n\
def dj(request):\n    return request.session.get('cart')\n\n\
def build():\n    return select(1)\n\n\
def remote(u):\n    s = requests.Session()\n    return s.get(u)\n\n\
def real(db):\n    with transaction.atomic():\n        return db.session.get(1)\n";
        let got = effects_of(src);
        let want = [
            ("atomic", None, ""),
            ("theme", None, ""),
            ("dj", None, ""),
            ("build", None, ""),
            ("remote", Some(Effect::Http), "s.get"),
            ("real", Some(Effect::Database), "db.session.get"),
        ];
        for (name, effect, call) in want {
            assert!(
                got.iter()
                    .any(|(n, e, c)| n == name && *e == effect && c == call),
                "{name}: {got:?}"
            );
        }
    }
}
