//! What a Django model declares, whether read from `models.py` or rebuilt
//! from migrations: fields (columns and relations) and `Meta` options
//! (table name, indexes, unique and index groups, constraints). Both sources
//! lower to these types, and one function turns them into schema operations.

use archlint_model::{ClassRef, Location};

/// What a relation field points at.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Target {
    /// `"self"`.
    SelfModel,
    /// `"Customer"` or `"shop.Customer"` (app label lower-cased when given).
    Label { app: Option<String>, model: String },
    /// A model class of the project.
    Class(ClassRef),
    /// `settings.AUTH_USER_MODEL` / `get_user_model()`.
    AuthUser,
    /// Anything else.
    Unknown,
}

/// Kind of a relation field.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RelKind {
    ForeignKey,
    OneToOne,
    ManyToMany,
}

/// A relation field's specifics.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Relation {
    pub kind: RelKind,
    pub target: Target,
    /// `to_field=`: the referenced column's field name.
    pub to_field: Option<String>,
    /// `related_name=` (`"+"` hides the reverse relation).
    pub related_name: Option<String>,
    pub related_query_name: Option<String>,
    /// Many-to-many `through=` model: the through table is that model's own.
    pub through: Option<Target>,
    /// Many-to-many `db_table=`.
    pub m2m_table: Option<String>,
    /// `db_constraint=False`: no foreign key in the database.
    pub db_constraint: bool,
    /// A multi-table inheritance parent link (`<parent>_ptr`).
    pub parent_link: bool,
}

/// What kind of field.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FieldKind {
    /// A plain column (`CharField`, `IntegerField`, a custom `*Field`).
    Column,
    Relation(Relation),
    /// No column of its own (`GenericForeignKey`, `GenericRelation`).
    Virtual,
}

/// A model field.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldDef {
    pub name: String,
    pub kind: FieldKind,
    /// The class as written (`models.CharField`).
    pub type_text: String,
    pub db_column: Option<String>,
    pub null: bool,
    pub primary_key: bool,
    pub unique: bool,
    /// `db_index=`; `None` when not given.
    pub db_index: Option<bool>,
    /// The field's line: its class attribute or its `("name", Field(...))` tuple.
    pub at: Location,
}

impl FieldDef {
    /// The database column, for fields that have one.
    pub fn column(&self) -> Option<String> {
        match &self.kind {
            FieldKind::Column => Some(self.db_column.clone().unwrap_or_else(|| self.name.clone())),
            FieldKind::Relation(r) if r.kind != RelKind::ManyToMany => Some(
                self.db_column
                    .clone()
                    .unwrap_or_else(|| format!("{}_id", self.name)),
            ),
            _ => None,
        }
    }

    /// The relation, when this field is one.
    pub fn relation(&self) -> Option<&Relation> {
        match &self.kind {
            FieldKind::Relation(r) => Some(r),
            _ => None,
        }
    }

    /// A forward many-to-one or one-to-one relation (loads one object).
    pub fn is_single_relation(&self) -> bool {
        self.relation()
            .is_some_and(|r| r.kind != RelKind::ManyToMany)
    }
}

/// One key part of an index as declared: a field name or an expression.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum IndexPart {
    Field(String),
    Expression(String),
}

/// An index, a unique group or a unique constraint as declared.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IndexDef {
    pub name: Option<String>,
    pub parts: Vec<IndexPart>,
    pub unique: bool,
    /// Declared with `condition=`.
    pub partial: bool,
    /// `GinIndex` is `gin`, and so on; `None` for a plain `Index`.
    pub method: Option<String>,
    pub at: Location,
}

/// `Meta` options (or a migration's `options={...}`) that matter to the schema.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Options {
    pub db_table: Option<String>,
    pub app_label: Option<String>,
    pub is_abstract: bool,
    pub proxy: bool,
    /// `managed = False`: Django neither creates nor migrates the table.
    pub unmanaged: bool,
    /// `Meta.indexes`.
    pub indexes: Vec<IndexDef>,
    /// `Meta.constraints` that are unique constraints.
    pub constraints: Vec<IndexDef>,
    /// `unique_together` groups.
    pub unique_together: Vec<IndexDef>,
    /// `index_together` groups.
    pub index_together: Vec<IndexDef>,
    /// Something in the options could not be read (a computed list).
    pub unreadable: bool,
}

/// Django's default table name: `<app_label>_<model name lower-cased>`.
pub fn default_table(app: &str, model: &str) -> String {
    format!("{}_{}", app.to_lowercase(), model.to_lowercase())
}
