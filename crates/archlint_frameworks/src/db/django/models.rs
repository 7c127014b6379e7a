//! The project's Django models, read from their classes: which classes are
//! models (through project base classes, abstract or concrete), their app,
//! table, fields (abstract parents' first), effective `Meta` options,
//! managers, multi-table parents and proxies. Relations between models
//! (targets and reverse accessors) are resolved in [`super::relations`].

use super::apps::Apps;
use super::fields::field_def;
use super::state::{FieldDef, FieldKind, Options, RelKind, Relation, Target, default_table};
use archlint_model::{
    Class, ClassRef, Expr, ExprKind, Language, Location, ProjectIndex, StmtKind, Symbol,
};
use rustc_hash::FxHashMap as HashMap;
use std::collections::BTreeMap;

/// Index of a model in [`Models::list`].
pub type ModelId = usize;

/// Bound on the depth of model class hierarchies followed.
const MAX_DEPTH: u32 = 16;

/// A model class of the project.
#[derive(Debug)]
pub struct Model {
    pub class: ClassRef,
    pub name: String,
    /// App label, lower-case.
    pub app: String,
    /// Own fields, after those of abstract parents.
    pub fields: Vec<FieldDef>,
    pub options: Options,
    /// Concrete (multi-table) parents, nearest first.
    pub parents: Vec<ModelId>,
    /// Every field of the model is known: no base outside the project
    /// other than `models.Model`.
    pub complete: bool,
    /// Managers declared on the model or its bases, own first
    /// (`objects = OrderManager()`, `published = PublishedManager()`).
    pub managers: Vec<Manager>,
    /// The class name.
    pub at: Location,
}

impl Model {
    /// Whether the model has a table of its own.
    pub fn is_concrete(&self) -> bool {
        !self.options.is_abstract && !self.options.proxy
    }

    /// Own field by name, or by its attribute name (`customer_id`).
    pub fn field(&self, name: &str) -> Option<&FieldDef> {
        self.fields.iter().find(|f| f.name == name)
    }
}

/// A manager attribute of a model.
#[derive(Clone, Debug)]
pub struct Manager {
    pub name: String,
    /// The manager class when the project defines it (`OrderManager`,
    /// `OrderManager.from_queryset(...)`): its `get_queryset` may filter.
    pub class: Option<ClassRef>,
    /// The queryset class when the project defines it
    /// (`OrderQuerySet.as_manager()`, `Manager.from_queryset(OrderQuerySet)()`).
    pub queryset: Option<ClassRef>,
}

/// A reverse relation: another model's relation field pointing here.
#[derive(Clone, Debug)]
pub struct Reverse {
    /// `order.items` (`None` with `related_name="+"`).
    pub accessor: Option<String>,
    /// `Order.objects.filter(items__sku=...)`.
    pub query_name: String,
    pub from: ModelId,
    /// Index into `from`'s fields.
    pub field: usize,
    pub kind: RelKind,
}

/// Every model of the project, by class and by `app.Model` label.
#[derive(Default)]
pub struct Models {
    pub list: Vec<Model>,
    pub by_class: HashMap<ClassRef, ModelId>,
    /// `(app, model lower-case)` to model.
    pub by_label: BTreeMap<(String, String), ModelId>,
    /// Reverse relations per model (filled by `relations`).
    pub reverse: Vec<Vec<Reverse>>,
    /// `AUTH_USER_MODEL` from settings, as `(app, model lower-case)`.
    pub auth_user: Option<(String, String)>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    NotModel,
    /// A model; `complete` when all its bases are known.
    Model {
        complete: bool,
    },
}

struct Builder<'a, 'p> {
    index: &'a ProjectIndex<'p>,
    apps: &'a Apps,
    kinds: HashMap<ClassRef, Kind>,
    models: Models,
}

/// Whether a class outside the project is Django's `models.Model`.
fn is_django_model(path: &str) -> bool {
    path == "models.Model" || (path.starts_with("django.") && path.ends_with(".Model"))
}

/// The `Meta` class nested in `class`.
fn meta_class<'p>(index: &ProjectIndex<'p>, c: ClassRef) -> Option<(ClassRef, &'p Class)> {
    let file = index.project.file(c.file)?;
    file.facts
        .classes
        .iter()
        .enumerate()
        .find(|(_, k)| k.parent == Some(c.class) && k.name == "Meta")
        .map(|(i, k)| {
            (
                ClassRef {
                    file: c.file,
                    class: i as u32,
                },
                k,
            )
        })
}

/// `name = value` statements of a class body with a single name target.
fn assignments(class: &Class) -> impl Iterator<Item = (&str, &Expr, archlint_model::Span)> {
    class.body.iter().filter_map(|s| match &s.kind {
        StmtKind::Assign {
            targets,
            value,
            augmented: false,
            ..
        } => match targets.as_slice() {
            [t] => match &t.kind {
                ExprKind::Name(n) => Some((n.as_str(), value, s.span)),
                _ => None,
            },
            _ => None,
        },
        _ => None,
    })
}

/// The manager a value creates (`OrderManager()`, `OrderQuerySet.as_manager()`,
/// `OrderManager.from_queryset(Q)()`), with its project class when there is one.
fn manager(index: &ProjectIndex, file: u32, name: &str, value: &Expr) -> Option<Manager> {
    let (callee, _) = value.as_call()?;
    let text = crate::routes::short(callee);
    if !(text.ends_with("Manager") || text.contains("as_manager") || text.contains("from_queryset"))
    {
        return None;
    }
    let resolve = |e: &Expr| match index.resolve_expr(file, e) {
        Some(Symbol::Class(c)) => Some(c),
        _ => None,
    };
    let (class, queryset) = match callee.as_call() {
        // `X.from_queryset(Q)()`.
        Some((f, args)) => match &f.kind {
            ExprKind::Attr(x, m) if m == "from_queryset" => {
                (resolve(x), args.first().and_then(|a| resolve(&a.value)))
            }
            _ => (None, None),
        },
        None => match &callee.kind {
            ExprKind::Attr(x, m) if m == "as_manager" => (None, resolve(x)),
            _ => (resolve(callee), None),
        },
    };
    Some(Manager {
        name: name.to_string(),
        class,
        queryset,
    })
}

impl<'a, 'p> Builder<'a, 'p> {
    fn kind(&mut self, c: ClassRef, depth: u32) -> Kind {
        if let Some(k) = self.kinds.get(&c) {
            return *k;
        }
        // Guards cycles: a class being examined is not a model through itself.
        self.kinds.insert(c, Kind::NotModel);
        let Some(class) = self.index.project.class(c) else {
            return Kind::NotModel;
        };
        let mut kind = Kind::NotModel;
        let mut complete = true;
        let mut maybe = false;
        for base in class.bases.iter().filter(|a| a.name.is_none()) {
            match self.index.resolve_expr(c.file, &base.value) {
                Some(Symbol::Class(b)) if depth < MAX_DEPTH => match self.kind(b, depth + 1) {
                    Kind::Model { complete: c2 } => {
                        kind = Kind::Model { complete: true };
                        complete &= c2;
                    }
                    Kind::NotModel => {}
                },
                other => {
                    let path = match other {
                        Some(Symbol::External(p)) => p,
                        _ => base.value.dotted().unwrap_or_default(),
                    };
                    if is_django_model(&path) {
                        kind = Kind::Model { complete: true };
                    } else if path.contains(".models.") && !path.starts_with("django.db.") {
                        // `wagtail.models.Page`, `mptt.models.MPTTModel`: a model
                        // whose inherited fields we cannot see.
                        maybe = true;
                    }
                }
            }
        }
        if maybe {
            let declares = meta_class(self.index, c).is_some()
                || assignments(class).any(|(n, v, _)| {
                    field_def(
                        self.index,
                        c.file,
                        n,
                        v,
                        self.index.project.location(c.file, v.span),
                    )
                    .is_some()
                });
            if declares {
                kind = Kind::Model { complete: true };
                complete = false;
            }
        }
        let kind = match kind {
            Kind::Model { .. } => Kind::Model { complete },
            k => k,
        };
        self.kinds.insert(c, kind);
        kind
    }

    /// Project base classes of `c` that are models, in order.
    fn model_bases(&mut self, c: ClassRef) -> Vec<ClassRef> {
        let Some(class) = self.index.project.class(c) else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for base in class.bases.iter().filter(|a| a.name.is_none()) {
            if let Some(Symbol::Class(b)) = self.index.resolve_expr(c.file, &base.value)
                && matches!(self.kind(b, 0), Kind::Model { .. })
            {
                out.push(b);
            }
        }
        out
    }

    /// Builds the model of `c` (and of its model bases first).
    fn model(&mut self, c: ClassRef, depth: u32) -> Option<ModelId> {
        if let Some(&id) = self.models.by_class.get(&c) {
            return Some(id);
        }
        if depth > MAX_DEPTH || !matches!(self.kind(c, 0), Kind::Model { .. }) {
            return None;
        }
        let project = self.index.project;
        let class = project.class(c)?;
        let file = project.file(c.file)?;
        let Kind::Model { complete } = self.kind(c, 0) else {
            return None;
        };
        let mut fields: Vec<FieldDef> = Vec::new();
        let mut inherited: Option<Options> = None;
        let mut parents = Vec::new();
        let mut managers = Vec::new();
        for b in self.model_bases(c) {
            let Some(bid) = self.model(b, depth + 1) else {
                continue;
            };
            let base = &self.models.list[bid];
            if base.options.is_abstract {
                fields.extend(base.fields.iter().cloned());
                if inherited.is_none() {
                    inherited = Some(base.options.clone());
                }
                managers.extend(base.managers.iter().cloned());
            } else {
                parents.push(bid);
                managers.extend(base.managers.iter().cloned());
            }
        }
        let mut own = Vec::new();
        for (name, value, span) in assignments(class) {
            let at = project.location(c.file, span);
            if let Some(f) = field_def(self.index, c.file, name, value, at) {
                fields.retain(|x| x.name != f.name);
                fields.push(f);
            } else if let Some(m) = manager(self.index, c.file, name, value) {
                own.push(m);
            }
        }
        // Own managers first: they shadow inherited ones of the same name.
        own.extend(managers);
        let mut names = std::collections::BTreeSet::new();
        own.retain(|m: &Manager| names.insert(m.name.clone()));
        let managers = own;
        let mut options = self.options(c, inherited);
        // Only `Meta.abstract = True` written on the class itself makes it abstract.
        if let Some((_, meta)) = meta_class(self.index, c) {
            options.is_abstract = assignments(meta)
                .any(|(n, v, _)| n == "abstract" && matches!(v.kind, ExprKind::Bool(true)));
        } else {
            options.is_abstract = false;
        }
        if let Some(&parent) = parents.first()
            && !options.proxy
            && !fields
                .iter()
                .any(|f| f.relation().is_some_and(|r| r.parent_link))
        {
            // Multi-table inheritance: `<parent>_ptr`, the primary key.
            let p = &self.models.list[parent];
            fields.insert(
                0,
                FieldDef {
                    name: format!("{}_ptr", p.name.to_lowercase()),
                    kind: FieldKind::Relation(Relation {
                        kind: RelKind::OneToOne,
                        target: Target::Class(p.class),
                        to_field: None,
                        related_name: Some("+".into()),
                        related_query_name: None,
                        through: None,
                        m2m_table: None,
                        db_constraint: true,
                        parent_link: true,
                    }),
                    type_text: "models.OneToOneField".into(),
                    db_column: None,
                    null: false,
                    primary_key: true,
                    unique: true,
                    db_index: None,
                    at: project.location(c.file, class.name_span),
                },
            );
        }
        let app = options
            .app_label
            .clone()
            .unwrap_or_else(|| self.apps.label_of(&file.module.module));
        let id = self.models.list.len();
        self.models.list.push(Model {
            class: c,
            name: class.name.clone(),
            app: app.clone(),
            fields,
            options,
            parents,
            complete,
            managers,
            at: project.location(c.file, class.name_span),
        });
        self.models.by_class.insert(c, id);
        self.models
            .by_label
            .entry((app, class.name.to_lowercase()))
            .or_insert(id);
        Some(id)
    }

    /// The effective options of `c`: its `Meta` (extending a parent's `Meta`
    /// when it subclasses it), or an abstract parent's when it has none.
    fn options(&self, c: ClassRef, inherited: Option<Options>) -> Options {
        let project = self.index.project;
        let Some((_, meta)) = meta_class(self.index, c) else {
            let mut o = inherited.unwrap_or_default();
            o.db_table = None;
            o.proxy = false;
            return o;
        };
        let mut o = if meta.bases.is_empty() {
            Options::default()
        } else {
            let mut o = inherited.unwrap_or_default();
            o.db_table = None;
            o.proxy = false;
            o
        };
        for (name, value, _) in assignments(meta) {
            o.apply(project, c.file, name, value);
        }
        o
    }
}

/// Every model class of the project.
pub fn collect(index: &ProjectIndex, apps: &Apps) -> Models {
    let mut b = Builder {
        index,
        apps,
        kinds: HashMap::default(),
        models: Models::default(),
    };
    for (fi, file) in index.project.files.iter().enumerate() {
        if file.language != Language::Python {
            continue;
        }
        for (ci, class) in file.facts.classes.iter().enumerate() {
            if class.parent.is_some() || class.in_function.is_some() {
                continue;
            }
            b.model(
                ClassRef {
                    file: fi as u32,
                    class: ci as u32,
                },
                0,
            );
        }
    }
    let mut models = b.models;
    models.reverse = vec![Vec::new(); models.list.len()];
    models
}

impl Models {
    /// The model a relation target names, seen from model `from`.
    pub fn resolve(&self, from: ModelId, target: &Target) -> Option<ModelId> {
        match target {
            Target::SelfModel => Some(from),
            Target::Class(c) => self.by_class.get(c).copied(),
            Target::Label { app, model } => {
                let app = app
                    .clone()
                    .or_else(|| self.list.get(from).map(|m| m.app.clone()))?;
                self.by_label.get(&(app, model.to_lowercase())).copied()
            }
            Target::AuthUser => self
                .auth_user
                .as_ref()
                .and_then(|k| self.by_label.get(k).copied()),
            Target::Unknown => None,
        }
    }

    /// The concrete model whose table a model's rows live in (itself, or
    /// what a proxy stands for).
    pub fn concrete(&self, mut id: ModelId) -> ModelId {
        for _ in 0..MAX_DEPTH {
            match self.list.get(id) {
                Some(m) if m.options.proxy => match m.parents.first() {
                    Some(&p) => id = p,
                    None => return id,
                },
                _ => return id,
            }
        }
        id
    }

    /// The table of a model (a proxy's is its concrete model's).
    pub fn table(&self, id: ModelId) -> String {
        let id = self.concrete(id);
        match self.list.get(id) {
            Some(m) => m
                .options
                .db_table
                .clone()
                .unwrap_or_else(|| default_table(&m.app, &m.name)),
            None => String::new(),
        }
    }

    /// The primary-key field of a model (own, or a multi-table parent link);
    /// `None` means the implicit `id`.
    pub fn pk_field(&self, id: ModelId) -> Option<&FieldDef> {
        let m = self.list.get(self.concrete(id))?;
        m.fields.iter().find(|f| f.primary_key)
    }

    /// The primary-key column of a model.
    pub fn pk_column(&self, id: ModelId) -> String {
        self.pk_field(id)
            .and_then(FieldDef::column)
            .unwrap_or_else(|| "id".into())
    }
}
