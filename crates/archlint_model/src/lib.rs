//! The project model: per-file facts, source locations, routes and evidence,
//! findings, and the call graph. This crate knows nothing of tree-sitter or of
//! any framework; extractors fill it, the framework layer and rules read it.

pub mod facts;
pub mod span;
pub mod visit;

pub use facts::*;
pub use span::{LineMap, Pos, Span};
pub mod finding;
pub use finding::{
    Confidence, Finding, Level, Location, Notification, NotificationKind, Related, RuleMeta,
};
pub mod route;
pub use route::{Evidence, Framework, FuncRef, Handler, MethodSet, Route, Scope};
pub mod project;
pub mod resolve;
pub use project::{ClassRef, ModuleName, Project, SourceFile};
pub use resolve::{ProjectIndex, Symbol};
pub mod graph;
pub use graph::{CallGraph, CallSite};
