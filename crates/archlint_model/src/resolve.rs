//! Name resolution across files: which function, class, module or module-level
//! value an identifier, attribute chain or Rust path refers to, following
//! Python imports and Rust `use` declarations and module paths.
//!
//! Lookups only: nothing here iterates a hash map into output, so results do
//! not depend on hash order. Every chain of imports is followed a bounded
//! number of steps, so import cycles terminate.

use crate::facts::{Container, Expr, ExprKind, FileFacts, Import, Language, StmtKind};
use crate::project::{ClassRef, Project};
use crate::route::FuncRef;
use rayon::prelude::*;
use rustc_hash::FxHashMap as HashMap;
use std::borrow::Cow;

/// What a name refers to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Symbol {
    Func(FuncRef),
    Class(ClassRef),
    /// A whole module (file index).
    Module(u32),
    /// A module-level assignment (`bp = Blueprint(...)`, `const SQL: &str = ...`):
    /// file index and index into that file's `module_stmts`.
    Global {
        file: u32,
        stmt: u32,
    },
    /// Something outside the project, by its full dotted (Python) or `::` (Rust) path.
    External(String),
}

const MAX_HOPS: u32 = 12;

/// What a module-level name of a file is bound to, in the order a lookup
/// prefers them: a function, a class, an assignment, an import.
#[derive(Clone, Copy)]
enum Binding {
    Func(u32),
    Class(u32),
    Global(u32),
    Import(u32),
}

/// One file's module-level names. Keys borrow from the project's facts.
#[derive(Default)]
struct FileSymbols<'p> {
    /// Functions by name; those of inline Rust modules by `mod::name`.
    funcs: HashMap<Cow<'p, str>, u32>,
    /// Every name with the binding a lookup finds first (see [`Binding`]).
    names: HashMap<Cow<'p, str>, Binding>,
    /// Imports by the name they bind (the first of a name).
    imports: HashMap<&'p str, u32>,
    glob_imports: Vec<u32>,
    /// Methods by name: the class and the method (the last of a name per class).
    methods: HashMap<&'p str, Vec<(u32, u32)>>,
}

/// What one file adds to the project-wide tables besides its own symbols.
#[derive(Default)]
struct FileExtras<'p> {
    inline_fn_names: Vec<&'p str>,
    rs_methods: Vec<(&'p str, &'p str, FuncRef)>,
}

/// Indexes of a [`Project`] for name resolution.
pub struct ProjectIndex<'p> {
    pub project: &'p Project,
    files: Vec<FileSymbols<'p>>,
    py_modules: HashMap<&'p str, u32>,
    /// Last dotted component suffixes (`views`, `api.views`) to candidate files,
    /// for imports that name a package from above the scan root.
    py_suffixes: HashMap<String, Vec<u32>>,
    /// Rust module files by crate name, then module path (`crate::a::b`);
    /// its keys are the project's crates.
    rs_modules: HashMap<&'p str, HashMap<&'p str, u32>>,
    /// Rust impl methods by self type name and method name.
    rs_methods: HashMap<&'p str, HashMap<&'p str, Vec<FuncRef>>>,
    /// Names of the functions declared in Rust inline modules: most paths
    /// name none of them, and are not looked up as inline-module paths.
    inline_fn_names: rustc_hash::FxHashSet<&'p str>,
    /// Per Python file, per import, what its module parts name (worked out
    /// once: most imports are looked up many times).
    py_imports: Vec<Vec<PyImport>>,
}

/// A Python import's targets: for `import a.b [as c]` the module bound
/// (`a`, or `a.b` under an alias), for `from a import n` the dotted
/// `a.n`; and whether those and the absolute `a` are project modules.
struct PyImport {
    target: String,
    target_module: Option<u32>,
    abs_module: Option<u32>,
}

/// The symbols of file `fi`, and what it adds to the project-wide tables.
fn file_symbols(fi: u32, facts: &FileFacts) -> (FileSymbols<'_>, FileExtras<'_>) {
    let mut syms = FileSymbols::default();
    let mut extras = FileExtras::default();
    let mut classes: HashMap<&str, u32> = HashMap::default();
    let mut globals: HashMap<&str, u32> = HashMap::default();
    for (i, f) in facts.functions.iter().enumerate() {
        match f.container {
            Container::Module => {
                let key = if f.module_path.is_empty() {
                    Cow::Borrowed(f.name.as_str())
                } else {
                    extras.inline_fn_names.push(&f.name);
                    Cow::Owned(format!("{}::{}", f.module_path.join("::"), f.name))
                };
                syms.funcs.insert(key, i as u32);
            }
            Container::Class(c) => {
                let of_name = syms.methods.entry(&f.name).or_default();
                match of_name.iter_mut().find(|(class, _)| *class == c) {
                    Some(m) => m.1 = i as u32,
                    None => of_name.push((c, i as u32)),
                }
            }
            Container::Impl(im) => {
                if let Some(imp) = facts.impls.get(im as usize) {
                    extras.rs_methods.push((
                        &imp.self_ty,
                        &f.name,
                        FuncRef {
                            file: fi,
                            func: i as u32,
                        },
                    ));
                }
            }
            Container::Function(_) => {}
        }
    }
    for (i, c) in facts.classes.iter().enumerate() {
        if c.parent.is_none() && c.in_function.is_none() {
            classes.insert(&c.name, i as u32);
        }
    }
    for (i, s) in facts.module_stmts.iter().enumerate() {
        if let StmtKind::Assign { targets, .. } = &s.kind {
            for t in targets {
                if let ExprKind::Name(n) = &t.kind {
                    globals.insert(n, i as u32);
                }
            }
        }
    }
    for (i, im) in facts.imports.iter().enumerate() {
        if im.name.as_deref() == Some("*") {
            syms.glob_imports.push(i as u32);
        } else {
            syms.imports.entry(&im.alias).or_insert(i as u32);
        }
    }
    // Least preferred first, so that a preferred binding replaces it.
    syms.names
        .reserve(syms.funcs.len() + classes.len() + globals.len() + syms.imports.len());
    let bindings = syms
        .imports
        .iter()
        .map(|(&n, &i)| (n, Binding::Import(i)))
        .chain(globals.into_iter().map(|(n, i)| (n, Binding::Global(i))))
        .chain(classes.into_iter().map(|(n, i)| (n, Binding::Class(i))));
    for (n, b) in bindings {
        syms.names.insert(Cow::Borrowed(n), b);
    }
    for (n, &i) in &syms.funcs {
        syms.names.insert(n.clone(), Binding::Func(i));
    }
    (syms, extras)
}

impl<'p> ProjectIndex<'p> {
    pub fn new(project: &'p Project) -> Self {
        // Each file's tables are its own: built in parallel, merged in file order.
        let per_file: Vec<(FileSymbols<'p>, FileExtras<'p>)> = project
            .files
            .par_iter()
            .enumerate()
            .map(|(fi, file)| file_symbols(fi as u32, &file.facts))
            .collect();
        let mut idx = ProjectIndex {
            project,
            files: Vec::with_capacity(project.files.len()),
            py_modules: HashMap::default(),
            py_suffixes: HashMap::default(),
            rs_modules: HashMap::default(),
            rs_methods: HashMap::default(),
            inline_fn_names: Default::default(),
            py_imports: Vec::new(),
        };
        for (fi, (file, (syms, extras))) in project.files.iter().zip(per_file).enumerate() {
            let fi = fi as u32;
            idx.inline_fn_names.extend(extras.inline_fn_names);
            for (ty, name, f) in extras.rs_methods {
                idx.rs_methods
                    .entry(ty)
                    .or_default()
                    .entry(name)
                    .or_default()
                    .push(f);
            }
            idx.files.push(syms);
            match file.language {
                Language::Python => {
                    let m = file.module.module.as_str();
                    let parts: Vec<&str> = m.split('.').collect();
                    for start in 1..parts.len() {
                        idx.py_suffixes
                            .entry(parts[start..].join("."))
                            .or_default()
                            .push(fi);
                    }
                    idx.py_modules.insert(m, fi);
                }
                Language::Rust => {
                    idx.rs_modules
                        .entry(&file.module.crate_name)
                        .or_default()
                        .insert(&file.module.module, fi);
                }
            }
        }
        idx.py_imports = project
            .files
            .par_iter()
            .enumerate()
            .map(|(fi, file)| match file.language {
                Language::Python => file
                    .facts
                    .imports
                    .iter()
                    .map(|im| idx.py_import(fi as u32, im))
                    .collect(),
                Language::Rust => Vec::new(),
            })
            .collect();
        idx
    }

    fn py_import(&self, file: u32, im: &Import) -> PyImport {
        let abs = self.py_absolute(file, im);
        let target = match &im.name {
            // `import a.b` binds `a`; `import a.b as c` binds `a.b`.
            None => {
                let first = abs.split('.').next().unwrap_or(&abs);
                if im.alias == first {
                    first.to_string()
                } else {
                    abs.clone()
                }
            }
            Some(name) if abs.is_empty() => name.clone(),
            Some(name) => format!("{abs}.{name}"),
        };
        PyImport {
            target_module: self.find_py_module(&target, file),
            abs_module: self.find_py_module(&abs, file),
            target,
        }
    }

    /// Resolves a name, attribute chain or path used in file `file`.
    pub fn resolve_expr(&self, file: u32, expr: &Expr) -> Option<Symbol> {
        self.resolve_expr_hops(file, expr, 0)
    }

    fn resolve_expr_hops(&self, file: u32, expr: &Expr, hops: u32) -> Option<Symbol> {
        if hops > MAX_HOPS {
            return None;
        }
        match &expr.kind {
            ExprKind::Name(n) => self.resolve_name_hops(file, n, hops),
            ExprKind::Path(segs) => self.resolve_rust_path(file, segs, hops),
            ExprKind::Attr(inner, attr) => {
                let base = self.resolve_expr_hops(file, inner, hops + 1)?;
                self.member(base, attr, hops + 1)
            }
            _ => None,
        }
    }

    /// Resolves a bare name in the module scope of `file`.
    pub fn resolve_name(&self, file: u32, name: &str) -> Option<Symbol> {
        self.resolve_name_hops(file, name, 0)
    }

    fn resolve_name_hops(&self, file: u32, name: &str, hops: u32) -> Option<Symbol> {
        if hops > MAX_HOPS {
            return None;
        }
        let syms = self.files.get(file as usize)?;
        match syms.names.get(name) {
            Some(&Binding::Func(f)) => return Some(Symbol::Func(FuncRef { file, func: f })),
            Some(&Binding::Class(c)) => return Some(Symbol::Class(ClassRef { file, class: c })),
            Some(&Binding::Global(g)) => return Some(Symbol::Global { file, stmt: g }),
            Some(&Binding::Import(i)) => return self.resolve_import(file, i, hops + 1),
            None => {}
        }
        // Names brought in by `from x import *` / `use x::*`.
        for &i in &syms.glob_imports {
            let im = &self.project.files[file as usize].facts.imports[i as usize];
            let target = match self.project.files[file as usize].language {
                Language::Python => self.py_import_module(file, i),
                Language::Rust => self.rust_module_path(file, &split_path(&im.module), hops + 1),
            };
            if let Some(Symbol::Module(m)) = target
                && m != file
                && let Some(s) = self.lookup_in_module(m, name, hops + 1)
            {
                return Some(s);
            }
        }
        None
    }

    /// Looks `name` up as a module-level symbol of file `m` (no glob imports of
    /// the target, to stay bounded).
    fn lookup_in_module(&self, m: u32, name: &str, hops: u32) -> Option<Symbol> {
        let syms = self.files.get(m as usize)?;
        if syms.names.contains_key(name) {
            return self.resolve_name_hops(m, name, hops);
        }
        None
    }

    fn member(&self, base: Symbol, attr: &str, hops: u32) -> Option<Symbol> {
        match base {
            Symbol::Module(m) => {
                let file = self.project.file(m)?;
                if file.language == Language::Python {
                    let sub = format!("{}.{}", file.module.module, attr);
                    if let Some(&f) = self.py_modules.get(sub.as_str()) {
                        return Some(Symbol::Module(f));
                    }
                }
                self.resolve_name_hops(m, attr, hops)
            }
            Symbol::Class(c) => self.method(c, attr).map(Symbol::Func),
            Symbol::External(s) => Some(Symbol::External(format!("{s}.{attr}"))),
            _ => None,
        }
    }

    /// A method of a Python class by name (own methods only).
    pub fn method(&self, c: ClassRef, name: &str) -> Option<FuncRef> {
        let syms = self.files.get(c.file as usize)?;
        syms.methods
            .get(name)?
            .iter()
            .find(|(class, _)| *class == c.class)
            .map(|&(_, f)| FuncRef {
                file: c.file,
                func: f,
            })
    }

    /// Whether a Rust crate of this name is part of the project.
    pub fn is_project_crate(&self, name: &str) -> bool {
        self.rs_modules.contains_key(name)
    }

    /// Rust impl methods `Type::name` anywhere in the project.
    pub fn rust_methods(&self, self_ty: &str, name: &str) -> &[FuncRef] {
        self.rs_methods
            .get(self_ty)
            .and_then(|m| m.get(name))
            .map(Vec::as_slice)
            .unwrap_or(&[])
    }

    fn resolve_import(&self, file: u32, i: u32, hops: u32) -> Option<Symbol> {
        let im = self.project.files[file as usize]
            .facts
            .imports
            .get(i as usize)?;
        match self.project.files[file as usize].language {
            Language::Python => self.resolve_py_import(file, i, im, hops),
            Language::Rust => {
                let mut segs = split_path(&im.module);
                if let Some(n) = &im.name
                    && n != "self"
                {
                    segs.push(n.clone());
                }
                self.resolve_rust_path_no_imports(file, &segs, hops)
            }
        }
    }

    /// Absolute module named by a Python import's module part.
    fn py_absolute(&self, file: u32, im: &Import) -> String {
        if im.level == 0 {
            return im.module.clone();
        }
        let f = &self.project.files[file as usize];
        let mut pkg: Vec<&str> = f
            .module
            .module
            .split('.')
            .filter(|s| !s.is_empty())
            .collect();
        if !f.module.is_package {
            pkg.pop();
        }
        for _ in 1..im.level {
            pkg.pop();
        }
        let mut out = pkg.join(".");
        if !im.module.is_empty() {
            if !out.is_empty() {
                out.push('.');
            }
            out.push_str(&im.module);
        }
        out
    }

    fn py_import_module(&self, file: u32, i: u32) -> Option<Symbol> {
        let t = self.py_imports.get(file as usize)?.get(i as usize)?;
        t.abs_module.map(Symbol::Module)
    }

    fn resolve_py_import(&self, file: u32, i: u32, im: &Import, hops: u32) -> Option<Symbol> {
        let t = self.py_imports.get(file as usize)?.get(i as usize)?;
        if let Some(m) = t.target_module {
            return Some(Symbol::Module(m));
        }
        if let Some(name) = &im.name
            && let Some(m) = t.abs_module
            && m != file
            && let Some(s) = self.resolve_name_hops(m, name, hops + 1)
        {
            return Some(s);
        }
        Some(Symbol::External(t.target.clone()))
    }

    /// Finds a Python module by absolute dotted name; falls back to a unique
    /// suffix match, preferring the candidate closest to the importing file.
    pub fn find_py_module(&self, name: &str, from: u32) -> Option<u32> {
        if name.is_empty() {
            return None;
        }
        if let Some(&f) = self.py_modules.get(name) {
            return Some(f);
        }
        let cands = self.py_suffixes.get(name)?;
        if cands.len() == 1 {
            return cands.first().copied();
        }
        let from_mod = &self.project.files.get(from as usize)?.module.module;
        cands.iter().copied().max_by_key(|&c| {
            let m = &self.project.files[c as usize].module.module;
            let common = m
                .split('.')
                .zip(from_mod.split('.'))
                .take_while(|(a, b)| a == b)
                .count();
            (common, std::cmp::Reverse(c))
        })
    }

    fn resolve_rust_path(&self, file: u32, segs: &[String], hops: u32) -> Option<Symbol> {
        let first = segs.first()?;
        if segs.len() == 1 {
            return self.resolve_name_hops(file, first, hops);
        }
        // `alias::rest` where `alias` was imported.
        if !matches!(first.as_str(), "crate" | "self" | "super" | "Self")
            && let Some(&i) = self.files.get(file as usize)?.imports.get(first.as_str())
        {
            let im = &self.project.files[file as usize].facts.imports[i as usize];
            let mut full = split_path(&im.module);
            if let Some(n) = &im.name
                && n != "self"
            {
                full.push(n.clone());
            }
            full.extend(segs[1..].iter().cloned());
            return self.resolve_rust_path_no_imports(file, &full, hops + 1);
        }
        self.resolve_rust_path_no_imports(file, segs, hops)
    }

    /// Resolves `a::b::c` from file `file` without consulting its `use` list
    /// for the first segment.
    fn resolve_rust_path_no_imports(
        &self,
        file: u32,
        segs: &[String],
        hops: u32,
    ) -> Option<Symbol> {
        if hops > MAX_HOPS || segs.is_empty() {
            return None;
        }
        let (last, prefix) = segs.split_last()?;
        if prefix.is_empty() {
            return self.resolve_name_hops(file, last, hops);
        }
        // `Type::method` for an impl in the project.
        if let Some(ty) = prefix.last() {
            let ty = if ty == "Self" {
                self.self_type_of(file).unwrap_or_default()
            } else {
                ty.clone()
            };
            let ms = self.rust_methods(&ty, last);
            if ms.len() == 1 {
                return ms.first().copied().map(Symbol::Func);
            }
        }
        match self.rust_module_path(file, prefix, hops) {
            Some(Symbol::Module(m)) => self
                .lookup_in_module(m, last, hops + 1)
                .or_else(|| {
                    let f = self.project.file(m)?;
                    let sub = join_mod(&f.module.module, last);
                    self.rust_module(&f.module.crate_name, &sub)
                        .map(Symbol::Module)
                })
                .or_else(|| Some(Symbol::External(segs.join("::")))),
            _ => self
                .inline_module_fn(file, prefix, last, hops)
                .or_else(|| Some(Symbol::External(segs.join("::")))),
        }
    }

    /// The function a path written inside the inline module `module_path`
    /// of `file` names (`list`, `self::list`, `super::helpers::x`,
    /// `nested::y`), when it is a function of that file: Rust looks items up
    /// in the module the code is in, not the file's top level.
    pub fn inline_relative_fn(
        &self,
        file: u32,
        module_path: &[String],
        segs: &[String],
    ) -> Option<FuncRef> {
        let (last, path) = segs.split_last()?;
        if module_path.is_empty() || !self.inline_fn_names.contains(last.as_str()) {
            return None;
        }
        self.fn_in_file(file, module_path, path, last)
    }

    /// A function of an inline module (`mod handlers { pub fn list() .. }`)
    /// named by `prefix::last`: the longest leading part of `prefix` that is
    /// a module file (none: this file; `self`: this file too), and the rest
    /// the inline modules inside that file.
    fn inline_module_fn(
        &self,
        file: u32,
        prefix: &[String],
        last: &str,
        hops: u32,
    ) -> Option<Symbol> {
        if !self.inline_fn_names.contains(last) {
            return None;
        }
        for k in (0..prefix.len()).rev() {
            let (head, rest) = prefix.split_at(k);
            let base = match head {
                [] => file,
                [s] if s == "self" => file,
                _ => match self.rust_module_path(file, head, hops + 1) {
                    Some(Symbol::Module(m)) => m,
                    _ => continue,
                },
            };
            if let Some(f) = self.fn_in_file(base, &[], rest, last) {
                return Some(Symbol::Func(f));
            }
        }
        None
    }

    /// The function `path::last` of `file`, the path read from inside its
    /// inline module `from` (empty: the file's top level): leading `self`
    /// and `super` move between the file's modules; any other keyword, or
    /// `super` past the top level, leaves the file.
    fn fn_in_file(
        &self,
        file: u32,
        from: &[String],
        path: &[String],
        last: &str,
    ) -> Option<FuncRef> {
        let mut base: Vec<&str> = from.iter().map(String::as_str).collect();
        let mut rest = path;
        while let Some((first, tail)) = rest.split_first() {
            match first.as_str() {
                "self" => rest = tail,
                "super" => {
                    base.pop()?;
                    rest = tail;
                }
                _ => break,
            }
        }
        if rest
            .iter()
            .any(|s| matches!(s.as_str(), "crate" | "self" | "super" | "Self"))
        {
            return None;
        }
        let key = base
            .into_iter()
            .chain(rest.iter().map(String::as_str))
            .chain([last])
            .collect::<Vec<_>>()
            .join("::");
        let &func = self.files.get(file as usize)?.funcs.get(key.as_str())?;
        Some(FuncRef { file, func })
    }

    /// Resolves a Rust module path (`crate::a::b`, `super::x`, `other_crate::m`)
    /// to a file of the project.
    fn rust_module_path(&self, file: u32, segs: &[String], hops: u32) -> Option<Symbol> {
        if hops > MAX_HOPS {
            return None;
        }
        let f = self.project.file(file)?;
        let krate = f.module.crate_name.as_str();
        let mut cur: Vec<&str> = path_segments(&f.module.module).collect();
        let mut it = segs.iter().peekable();
        let mut krate_used = krate;
        match it.peek().map(|s| s.as_str()) {
            Some("crate") => {
                cur = vec!["crate"];
                it.next();
            }
            Some("self") => {
                it.next();
            }
            Some("super") => {
                while it.peek().map(|s| s.as_str()) == Some("super") {
                    it.next();
                    if cur.len() > 1 {
                        cur.pop();
                    }
                }
            }
            Some(name) if self.rs_modules.contains_key(name) && name != krate => {
                krate_used = name;
                cur = vec!["crate"];
                it.next();
            }
            Some(name) => {
                // A child module of the current one (`mod handlers;` then `handlers::x`),
                // else a crate-relative path (2015-style), else unknown.
                let mut key = String::new();
                join_mod_into(&mut key, &cur.join("::"), name);
                if self.rust_module(krate, &key).is_none() {
                    join_mod_into(&mut key, "crate", name);
                    if self.rust_module(krate, &key).is_some() {
                        cur = vec!["crate"];
                    } else {
                        return None;
                    }
                }
            }
            None => {}
        }
        cur.extend(it.map(String::as_str));
        self.rust_module(krate_used, &cur.join("::"))
            .map(Symbol::Module)
    }

    /// The file of module `module` (`crate::a::b`) of crate `krate`.
    fn rust_module(&self, krate: &str, module: &str) -> Option<u32> {
        self.rs_modules.get(krate)?.get(module).copied()
    }

    fn self_type_of(&self, file: u32) -> Option<String> {
        // Only meaningful with a function context; callers that know the impl use rust_methods directly.
        let f = self.project.file(file)?;
        if f.facts.impls.len() == 1 {
            f.facts.impls.first().map(|i| i.self_ty.clone())
        } else {
            None
        }
    }
}

fn split_path(s: &str) -> Vec<String> {
    path_segments(s).map(str::to_string).collect()
}

/// The segments of a Rust path (`a::b::c`), empty ones skipped.
fn path_segments(s: &str) -> impl Iterator<Item = &str> {
    s.split("::").filter(|p| !p.is_empty())
}

fn join_mod(base: &str, name: &str) -> String {
    let mut out = String::new();
    join_mod_into(&mut out, base, name);
    out
}

/// Writes module `name` under `base` (`a::b` and `c` give `a::b::c`) into
/// `out`, replacing what it held: one buffer serves several tries.
fn join_mod_into(out: &mut String, base: &str, name: &str) {
    out.clear();
    out.push_str(base);
    if !base.is_empty() {
        out.push_str("::");
    }
    out.push_str(name);
}
