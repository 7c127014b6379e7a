//! The database model of a project: every query the code runs (raw SQL, ORM
//! calls, lazy relation loads), the merged schema with where each part was
//! declared, and list views the database rules judge. Built by the framework
//! layer from facts and `.sql` files; read by the `db/*` rules.

use crate::facts::LoopIdx;
use crate::finding::{Location, Notification};
use crate::query::QueryShape;
use crate::route::FuncRef;
use crate::schema::{Schema, SchemaSource};
use crate::span::Span;
use serde::Serialize;

/// How a query reaches the database.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum QuerySource {
    /// SQL text handed to an execution API (`cursor.execute`, `sqlx::query`).
    RawSql,
    /// An ORM call (`User.objects.filter`, `session.query(User)`, diesel DSL, sea-orm).
    Orm,
    /// An ORM relation loaded lazily on attribute access (`order.customer`),
    /// with the model and field (`Order.customer`).
    LazyLoad(String),
}

/// How dynamic SQL text was built.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum TextBuilder {
    /// Python f-string.
    FString,
    /// Python `"..." % args`.
    Percent,
    /// Python `"...".format(...)`.
    Format,
    /// `+` concatenation (Python, Rust `String + &str`).
    Concat,
    /// Rust `format!`.
    FormatMacro,
    /// Rust `push_str`/`+=`/`write!` onto a string.
    PushStr,
    /// `" ".join(...)` and similar.
    Join,
}

/// Where a non-constant piece of SQL text comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Taint {
    /// Resolved to a constant after all (a module constant, a literal): harmless.
    Constant,
    /// Not known.
    Unknown,
    /// A parameter of the enclosing function (request input when that function is a handler).
    Parameter,
    /// Request input: `request.args/json/form/GET/POST/data/query_params`,
    /// axum/actix/rocket extractors (`Query<..>`, `Json<..>`, `Path<..>`, `Form<..>`).
    Request,
}

/// A non-constant piece of a dynamic query text.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Hole {
    /// The expression as written, short (`user_id`, `request.args["q"]`).
    pub text: String,
    pub span: Span,
    pub taint: Taint,
}

/// The SQL text of a raw query.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum SqlText {
    /// Fully known text (a literal, or a constant resolved through names).
    Constant(String),
    /// Built at runtime: the constant fragments (one more than holes) and the holes.
    Dynamic {
        builder: TextBuilder,
        fragments: Vec<String>,
        holes: Vec<Hole>,
    },
}

/// One query in the code.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct QueryFact {
    /// File index in the project.
    pub file: u32,
    /// The function the query runs in (`None` at module level).
    pub func: Option<FuncRef>,
    /// The executing call, ORM chain, or relation attribute access.
    pub span: Span,
    /// Innermost loop of `func` (or the module) around the query.
    pub loop_idx: Option<LoopIdx>,
    /// The API as written: `cursor.execute`, `sqlx::query!`, `User.objects.filter`, `order.customer`.
    pub api: String,
    pub source: QuerySource,
    /// Raw SQL text, when there is any.
    pub text: Option<SqlText>,
    /// Where the SQL text is written (the literal or the constant's definition), when known.
    pub text_at: Option<Location>,
    /// Whether values are passed separately as bound parameters.
    pub bound_params: bool,
    /// The normalised shape, when the text parsed or the ORM call was understood.
    pub shape: Option<QueryShape>,
    /// Whether the call returns every row it matches with no LIMIT, slice,
    /// `first()`/`get()` or paginator (`.all()`, `fetch_all`, `objects.all()`).
    pub all_rows: bool,
    /// Whether the result is returned by `func` (directly, or through one
    /// local variable), for the unbounded-query rule.
    pub returned: bool,
    /// The local variable the result is assigned to, if any (`orders = ...`),
    /// so a later loop over it can be recognised.
    pub bound_to: Option<String>,
}

/// A list endpoint whose framework paginates only when configured (DRF list
/// views and viewsets), with what was found.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ListView {
    /// The view class's name location (matches the route's handler location).
    pub handler: Location,
    /// The `queryset = ...` assignment (or `get_queryset` return), where findings go.
    pub queryset: Location,
    /// `pagination_class` on the class or a base, or `DEFAULT_PAGINATION_CLASS` in settings.
    pub paginated: bool,
}

/// Everything the database rules read.
#[derive(Clone, Debug, Default)]
pub struct DbModel {
    pub queries: Vec<QueryFact>,
    /// Schema declarations per source, in migration order.
    pub sources: Vec<SchemaSource>,
    /// The merged schema.
    pub schema: Schema,
    pub list_views: Vec<ListView>,
    /// SQL that did not parse, and similar, as notifications with locations.
    pub problems: Vec<Notification>,
}
