//! Per-file facts: what one source file says, lowered from its syntax tree
//! into a small language-neutral form. Extractors produce a [`FileFacts`] per
//! file and drop the tree; everything later works on these facts only.
//!
//! Facts record what the code *says* (a decorator named `login_required`, a call
//! to `cursor.execute` with this string, a loop spanning these lines), never
//! what it means: classification happens later, from data under `rules/`.

use crate::span::Span;
use serde::{Deserialize, Serialize};

/// Source language of a file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Language {
    Python,
    Rust,
}

impl Language {
    pub fn name(self) -> &'static str {
        match self {
            Language::Python => "python",
            Language::Rust => "rust",
        }
    }
}

/// Index of a [`Function`] in [`FileFacts::functions`].
pub type FuncIdx = u32;
/// Index of a [`Class`] in [`FileFacts::classes`].
pub type ClassIdx = u32;
/// Index of an [`Impl`] in [`FileFacts::impls`].
pub type ImplIdx = u32;
/// Index of a [`Loop`] in its function's (or the module's) `loops`.
pub type LoopIdx = u32;

/// Everything one file contributes to the project model.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct FileFacts {
    pub imports: Vec<Import>,
    /// Every function, method, nested function and (Rust) associated fn, in source order.
    pub functions: Vec<Function>,
    /// Python classes (including nested ones such as Django's `Meta`), in source order.
    pub classes: Vec<Class>,
    /// Rust `impl` blocks.
    pub impls: Vec<Impl>,
    /// Rust turbofish type arguments of paths used as values
    /// (`route_post::<AddAdmin>` handed to a router), sorted by span.
    pub type_args: Vec<TypeArgs>,
    /// Module-level statements: Python module body (including the bodies of
    /// module-level `if`/`try`/`with` blocks), Rust `const`/`static` items.
    pub module_stmts: Vec<Stmt>,
    /// Loops at module level (rare, but `for` at module level exists).
    pub module_loops: Vec<Loop>,
    /// Rust macro invocations in item position (`diesel::table! { .. }`,
    /// `joinable!(..)`), kept as text: their input is not Rust expressions.
    pub item_macros: Vec<ItemMacro>,
    /// Where the parser recovered from errors (ERROR or MISSING nodes), first few only.
    pub syntax_errors: Vec<Span>,
    /// True when a nesting bound was hit and deeper code was not lowered.
    pub truncated: bool,
}

/// An import binding one local name.
///
/// Python: `import a.b` binds `a` (module `a.b`, name `None`, alias `a`);
/// `import a.b as c` binds `c`; `from .x import y as z` gives level 1, module
/// `x`, name `y`, alias `z`; `from x import *` has name `*`.
/// Rust: `use crate::a::{b, c as d};` gives two imports with module
/// `crate::a`, names `b` and `c`, aliases `b` and `d`; `use a::b::*` has name
/// `*`; `use a::b;` has module `a`, name `b`. Level is always 0.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Import {
    pub module: String,
    pub name: Option<String>,
    pub alias: String,
    /// Number of leading dots of a Python relative import.
    pub level: u32,
    pub span: Span,
}

/// A Rust macro invoked as an item, with its input as written.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ItemMacro {
    /// The macro's path without `!` (`["diesel", "table"]`).
    pub path: Vec<String>,
    /// The token tree's text, delimiters included (`{ users (id) { .. } }`),
    /// cut at [`ItemMacro::MAX_BODY`] bytes.
    pub body: String,
    /// Where `body` starts, so positions inside it can be computed.
    pub body_start: crate::span::Pos,
    /// The whole invocation.
    pub span: Span,
}

impl ItemMacro {
    /// Longest body kept: generated schemas run to a few hundred KiB at most.
    pub const MAX_BODY: usize = 512 * 1024;

    /// The position of byte `offset` of `body` (UTF-16 columns, as every
    /// [`crate::span::Pos`]).
    pub fn pos_at(&self, offset: usize) -> crate::span::Pos {
        let mut pos = self.body_start;
        let head = self.body.get(..offset).unwrap_or(&self.body);
        for c in head.chars() {
            if c == '\n' {
                pos.line += 1;
                pos.col = 1;
            } else {
                pos.col += c.len_utf16() as u32;
            }
        }
        pos
    }
}

/// What a function is defined inside.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Container {
    Module,
    Class(ClassIdx),
    Impl(ImplIdx),
    Function(FuncIdx),
}

/// A function, method or Rust fn.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Function {
    pub name: String,
    pub container: Container,
    /// Rust inline module path inside this file (`mod a { mod b { fn f() } }` gives `["a", "b"]`); empty otherwise.
    pub module_path: Vec<String>,
    pub is_async: bool,
    /// Python decorators; Rust outer attributes other than doc comments, lowered as
    /// expressions (`#[get("/p")]` is a call of `get` with one string argument).
    pub decorators: Vec<Expr>,
    pub params: Vec<Param>,
    /// Python return annotation / Rust return type.
    pub returns: Option<Expr>,
    /// The body, flattened: compound statements contribute the expressions they
    /// evaluate (conditions, with-items, iterables) and the statements of their blocks.
    pub body: Vec<Stmt>,
    pub loops: Vec<Loop>,
    /// `if` statements and expressions (and `elif`): the span of the
    /// condition and of the block that runs when it holds.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub branches: Vec<Branch>,
    /// The whole definition, decorators included.
    pub span: Span,
    /// The function's name in its `def`/`fn` line.
    pub name_span: Span,
}

/// Kind of a parameter.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ParamKind {
    Normal,
    /// Python keyword-only parameter (after `*` or `*args`).
    KeywordOnly,
    /// Python `*args`.
    VarArgs,
    /// Python `**kwargs`.
    VarKwargs,
    /// Python `self`/`cls` as first parameter of a method, Rust `self`/`&self`/`&mut self`.
    SelfParam,
}

/// A function parameter.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Param {
    /// Python: the name. Rust: the pattern's text (`user`, `AuthUser(user)`, `Path(id)`).
    pub name: String,
    pub kind: ParamKind,
    /// Python annotation as an expression; Rust type as [`ExprKind::Type`].
    pub annotation: Option<Expr>,
    /// Python default value (`Depends(get_user)`).
    pub default: Option<Expr>,
    pub span: Span,
}

/// A Python class.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Class {
    pub name: String,
    /// Enclosing class (Django `Meta`) or `None`.
    pub parent: Option<ClassIdx>,
    /// Enclosing function when a class is defined inside a function.
    pub in_function: Option<FuncIdx>,
    /// Base classes and keywords (`metaclass=...`) as call-style arguments.
    pub bases: Vec<Arg>,
    pub decorators: Vec<Expr>,
    /// Class-level statements (`permission_classes = [IsAuthenticated]`, `queryset = ...`).
    pub body: Vec<Stmt>,
    pub span: Span,
    pub name_span: Span,
}

/// A Rust `impl` block.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Impl {
    /// The trait path's text without generics (`FromRequest`, `axum::extract::FromRequestParts`), if any.
    pub trait_name: Option<String>,
    /// The self type's text without generics or references (`AuthUser`, `Claims`).
    pub self_ty: String,
    /// Inline module path, as for functions.
    pub module_path: Vec<String>,
    pub span: Span,
}

/// The turbofish of a Rust path used as a value: `route_post::<AddAdmin>`
/// gives the span of `route_post` (the expression the path lowers to) and
/// `["AddAdmin"]`. Generics are otherwise dropped from paths.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TypeArgs {
    pub span: Span,
    /// Each type argument's text, whitespace removed; lifetimes left out.
    pub types: Vec<String>,
}

impl FileFacts {
    /// The turbofish type arguments of the path expression at `span`.
    pub fn type_args_at(&self, span: Span) -> &[String] {
        match self.type_args.binary_search_by(|t| t.span.cmp(&span)) {
            Ok(i) => self.type_args.get(i).map_or(&[], |t| t.types.as_slice()),
            Err(_) => &[],
        }
    }
}

/// A statement-level fact inside a body.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Stmt {
    pub kind: StmtKind,
    pub span: Span,
    /// Innermost loop enclosing this statement, index into the owner's `loops`.
    pub loop_idx: Option<LoopIdx>,
}

/// What a statement does.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum StmtKind {
    /// `targets = value`; Python `x: T = v`, `a = b = v`, `x += v` (with `augmented`),
    /// `with v as x`; Rust `let x = v;`, `let x: T = v;`, `x = v;`, `const X: T = v;`.
    Assign {
        targets: Vec<Expr>,
        value: Expr,
        /// Boxed: rare, and every statement would otherwise pay for it.
        annotation: Option<Box<Expr>>,
        augmented: bool,
    },
    /// An expression evaluated for its effect or for control flow: an expression
    /// statement, an `if`/`while`/`match` condition, a `with` item without target,
    /// an `assert`, a `raise`.
    Expr(Expr),
    /// `return v` / Python `yield v` / Rust tail expression or `return v`.
    Return(Expr),
}

/// Kind of a loop.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum LoopKind {
    For,
    While,
    /// Rust `loop {}`.
    Loop,
    /// Python list/set/dict comprehension or generator expression.
    Comprehension,
}

/// An `if` in a function body: its condition's statements lie within `cond`,
/// the statements it guards within `body`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Branch {
    pub cond: Span,
    pub body: Span,
}

/// A loop in a body. Statements inside it carry its index as `loop_idx`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Loop {
    pub kind: LoopKind,
    /// The loop variable(s) (`for x in ...`), if any.
    pub target: Option<Expr>,
    /// What is iterated (`for` and comprehensions), or the condition (`while`).
    pub iter: Option<Expr>,
    /// Enclosing loop, if nested.
    pub parent: Option<LoopIdx>,
    pub span: Span,
}

/// An expression, lowered. Every node keeps its span.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Expr {
    pub kind: ExprKind,
    pub span: Span,
}

/// Binary operators that matter to the rules; everything else is `Other`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum BinOp {
    Add,
    /// `%` (also Python string formatting).
    Mod,
    Eq,
    NotEq,
    In,
    NotIn,
    And,
    Or,
    Lt,
    Gt,
    Other,
}

/// A piece of an interpolated string.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum StrPart {
    Lit(String),
    /// An interpolated expression (`{user_id}`).
    Expr(Expr),
}

/// Expression kinds. Anything not modelled is [`ExprKind::Other`], which keeps
/// the sub-expressions that were lowered (so calls inside it are not lost).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum ExprKind {
    /// A string literal with escapes resolved where simple (Python implicit
    /// concatenation of literals is one `Str`). Rust raw strings included.
    Str(String),
    /// Python f-string (Rust `format!` stays a [`ExprKind::Macro`]).
    FStr(Vec<StrPart>),
    /// Numeric literal, as written.
    Number(String),
    Bool(bool),
    /// Python `None`.
    NoneLit,
    /// A bare identifier (Python name, Rust single-segment path, `self`).
    Name(String),
    /// `value.attr` (Python attribute, Rust field access or method receiver).
    Attr(Box<Expr>, String),
    /// Rust multi-segment path `a::b::c`, `Self::new` (generics dropped).
    Path(Vec<String>),
    /// A call. Python `f(a, k=v)`; Rust `f(a)`, method calls `recv.m(a)` (func is
    /// `Attr(recv, "m")`), struct literals `S { a: 1 }` (named args).
    Call {
        func: Box<Expr>,
        args: Vec<Arg>,
    },
    /// A Rust macro invocation `path!(...)` / `#[attr(...)]`-style token trees,
    /// with comma-separated arguments lowered best-effort (string literals,
    /// paths, `name = value` pairs as named args when in an attribute).
    Macro {
        path: Vec<String>,
        /// Boxed to keep every expression small: facts live for the whole scan.
        args: Box<Vec<Arg>>,
    },
    /// `value[index]` (Python subscript, Rust index). Python slices become `Other`.
    Subscript(Box<Expr>, Vec<Expr>),
    List(Vec<Expr>),
    Tuple(Vec<Expr>),
    Set(Vec<Expr>),
    Dict(Vec<(Expr, Expr)>),
    /// `left op right`; also Python comparisons (first operator only for chains).
    Binary(BinOp, Box<Expr>, Box<Expr>),
    /// `not x`, `-x`, Rust `!x`, `*x`, `&x`.
    Unary(Box<Expr>),
    /// `await x` / `x.await`.
    Await(Box<Expr>),
    /// Python `lambda`, Rust closure; body statements flattened as in functions.
    Lambda {
        params: Vec<String>,
        /// Boxed to keep every expression small.
        body: Box<Vec<Stmt>>,
    },
    /// A Rust type in expression position or an annotation (`TypedHeader<Authorization<Bearer>>`),
    /// as source text with whitespace removed.
    Type(String),
    /// Python slice `a:b`, star-expressions, conditional expressions, Rust
    /// blocks used as values, `if`/`match` expressions: sub-expressions only.
    Other(Vec<Expr>),
}

/// A call argument. `name` is the keyword (`methods=`), `*` / `**` for Python
/// star arguments, or `None` for a positional argument.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Arg {
    pub name: Option<String>,
    pub value: Expr,
}

/// Memory per fact matters on million-line projects: keep the hot types small.
const _: () = assert!(std::mem::size_of::<Expr>() <= 56);

impl ExprKind {
    /// Releases the spare capacity of this node's own vectors and strings.
    fn shrink_own(&mut self) {
        match self {
            ExprKind::Str(s) | ExprKind::Number(s) | ExprKind::Name(s) | ExprKind::Type(s) => {
                s.shrink_to_fit()
            }
            ExprKind::Attr(_, a) => a.shrink_to_fit(),
            ExprKind::Path(segs) => segs.shrink_to_fit(),
            ExprKind::FStr(parts) => parts.shrink_to_fit(),
            ExprKind::Call { args, .. } => args.shrink_to_fit(),
            ExprKind::Macro { path, args } => {
                path.shrink_to_fit();
                args.shrink_to_fit();
            }
            ExprKind::Subscript(_, idx) => idx.shrink_to_fit(),
            ExprKind::List(xs) | ExprKind::Tuple(xs) | ExprKind::Set(xs) | ExprKind::Other(xs) => {
                xs.shrink_to_fit()
            }
            ExprKind::Dict(kvs) => kvs.shrink_to_fit(),
            ExprKind::Lambda { params, body } => {
                params.shrink_to_fit();
                body.shrink_to_fit();
            }
            ExprKind::Bool(_)
            | ExprKind::NoneLit
            | ExprKind::Unary(_)
            | ExprKind::Await(_)
            | ExprKind::Binary(..) => {}
        }
    }
}

impl Expr {
    /// An expression; the lists and text of its own kind (not of the
    /// expressions inside) give back their spare capacity now, while they are
    /// in cache: facts live for the whole scan, and extractors build them by
    /// pushing. Then no pass over every expression is needed afterwards.
    pub fn new(mut kind: ExprKind, span: Span) -> Self {
        kind.shrink_own();
        Expr { kind, span }
    }

    /// The string value when this is a plain string literal.
    pub fn as_str(&self) -> Option<&str> {
        match &self.kind {
            ExprKind::Str(s) => Some(s),
            _ => None,
        }
    }

    /// Dotted text of a name, attribute chain or path (`a.b.c`, `a::b::c` with
    /// `sep`), or `None` when the chain contains anything else.
    pub fn dotted(&self) -> Option<String> {
        let mut parts: Vec<&str> = Vec::new();
        let mut cur = self;
        // Iterative: attribute chains can be long.
        loop {
            match &cur.kind {
                ExprKind::Name(n) => {
                    parts.push(n);
                    break;
                }
                ExprKind::Attr(inner, attr) => {
                    parts.push(attr);
                    cur = inner;
                }
                ExprKind::Path(segs) => {
                    for s in segs.iter().rev() {
                        parts.push(s);
                    }
                    break;
                }
                _ => return None,
            }
        }
        parts.reverse();
        Some(parts.join("."))
    }

    /// The last identifier of a name, attribute or path (`login_required` for
    /// `auth.login_required`), looking through a call (`@limiter.limit(...)`
    /// gives `limit`).
    pub fn last_name(&self) -> Option<&str> {
        match &self.kind {
            ExprKind::Name(n) => Some(n),
            ExprKind::Attr(_, a) => Some(a),
            ExprKind::Path(segs) => segs.last().map(String::as_str),
            ExprKind::Call { func, .. } => func.last_name(),
            ExprKind::Macro { path, .. } => path.last().map(String::as_str),
            ExprKind::Await(inner) => inner.last_name(),
            _ => None,
        }
    }

    /// For a call, its callee and arguments.
    pub fn as_call(&self) -> Option<(&Expr, &[Arg])> {
        match &self.kind {
            ExprKind::Call { func, args } => Some((func, args)),
            _ => None,
        }
    }

    /// Looks through `await`, Python parentheses are already gone.
    pub fn unwrap_await(&self) -> &Expr {
        let mut cur = self;
        while let ExprKind::Await(inner) = &cur.kind {
            cur = inner;
        }
        cur
    }
}

/// Helpers on call argument lists.
pub trait ArgsExt {
    /// The keyword argument `name`.
    fn keyword(&self, name: &str) -> Option<&Expr>;
    /// The `i`-th positional argument.
    fn positional(&self, i: usize) -> Option<&Expr>;
}

impl ArgsExt for [Arg] {
    fn keyword(&self, name: &str) -> Option<&Expr> {
        self.iter()
            .find(|a| a.name.as_deref() == Some(name))
            .map(|a| &a.value)
    }

    fn positional(&self, i: usize) -> Option<&Expr> {
        self.iter()
            .filter(|a| a.name.is_none())
            .nth(i)
            .map(|a| &a.value)
    }
}
