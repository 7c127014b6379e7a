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
pub mod schema;
pub use schema::{
    Column, Constraint, ForeignKey, Index, IndexColumn, IndexKind, OrderKey, Schema, SchemaOp,
    SchemaSource, Table,
};
pub mod query;
pub use query::{ColumnOp, ColumnUse, Dialect, QueryKind, QueryShape, Selected, TableRef};
pub mod db;
pub use db::{DbModel, Hole, ListView, QueryFact, QuerySource, SqlText, Taint, TextBuilder};
