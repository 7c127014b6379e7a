//! The scope an expression is evaluated in, as seen from one place in a
//! function: its file, function, local definitions and whether the function
//! handles a route, with the step budget shared by one query's text
//! rebuilding and taint (each language wraps it with its own rules).

use super::Consts;
use super::locals::{Def, DefKind, Locals};
use crate::db::DbCx;
use archlint_model::{Expr, FuncRef, Function, Location, Param, Pos, Span};
use std::cell::Cell;

/// Deepest nesting of names, calls and operators followed.
pub const MAX_DEPTH: u32 = 16;
/// Steps allowed for one query's text and taint.
pub const BUDGET: u32 = 4096;

/// An evaluation scope: a function body (with its locals) or a module.
pub struct Scope<'a, 'p> {
    pub cx: &'a DbCx<'a, 'p>,
    pub consts: &'a Consts<'a, 'p>,
    pub file: u32,
    pub fref: Option<FuncRef>,
    pub func: Option<&'p Function>,
    pub locals: Option<&'a Locals<'p>>,
    pub is_handler: bool,
    pub budget: &'a Cell<u32>,
}

impl<'a, 'p> Scope<'a, 'p> {
    /// The module scope of `file`, sharing this evaluation's budget.
    pub fn module(&self, file: u32) -> Scope<'a, 'p> {
        Scope {
            cx: self.cx,
            consts: self.consts,
            file,
            fref: None,
            func: None,
            locals: None,
            is_handler: false,
            budget: self.budget,
        }
    }

    /// Takes one step of the budget; false when it is spent or `depth` is too deep.
    pub fn step(&self, depth: u32) -> bool {
        let left = self.budget.get();
        if left == 0 || depth > MAX_DEPTH {
            return false;
        }
        self.budget.set(left - 1);
        true
    }

    pub fn location(&self, span: Span) -> Location {
        self.cx.index.project.location(self.file, span)
    }

    /// Local definitions of `name` before `pos`.
    pub fn defs(&self, name: &str, pos: Pos) -> &'a [Def<'p>] {
        match self.locals {
            Some(l) => l.before(name, pos),
            None => &[],
        }
    }

    /// The last plain assignment of `name` before `pos`, when the name is
    /// local, with the definitions after it that mutate the value (`+=`,
    /// `push_str`, `append`, `write!`) for the caller to apply.
    pub fn last_assign(&self, name: &str, pos: Pos) -> Option<(&'p Expr, Pos, &'a [Def<'p>])> {
        let defs = self.defs(name, pos);
        let (i, d) = defs.iter().enumerate().rev().find(|(_, d)| {
            !matches!(
                d.kind,
                DefKind::Augment(_) | DefKind::Mutate(..) | DefKind::Write(_)
            )
        })?;
        match d.kind {
            DefKind::Assign { value, .. } => Some((value, d.at, defs.get(i + 1..).unwrap_or(&[]))),
            _ => None,
        }
    }

    /// The parameter of the enclosing function named exactly `name`.
    pub fn param(&self, name: &str) -> Option<&'p Param> {
        self.func?.params.iter().find(|p| p.name == name)
    }

    /// The constant a name or attribute refers to: its defining expression
    /// and the scope to evaluate it in (a different file's module scope
    /// when it was imported).
    pub fn definition(&self, e: &Expr) -> Option<(&'p Expr, Scope<'a, 'p>)> {
        let (file, value) = self.consts.definition(self.file, self.fref, e)?;
        Some((value, self.module(file)))
    }
}
