//! ORM chains as query facts: shapes, bounds, returns and locals.

use super::support::*;
use archlint_model::{ColumnOp, QueryKind, QuerySource, Selected};

pub const MODELS: &str = r#"
from django.db import models


class Customer(models.Model):
    email = models.EmailField()
    city = models.CharField(max_length=50)


class Tag(models.Model):
    name = models.CharField(max_length=20)


class Order(models.Model):
    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="orders")
    status = models.CharField(max_length=20, db_index=True)
    created = models.DateTimeField()
    tags = models.ManyToManyField(Tag, related_name="orders")


class Item(models.Model):
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="items")
    sku = models.CharField(max_length=20)
"#;

fn shop(views: &str) -> archlint_model::DbModel {
    db(&[("shop/models.py", MODELS), ("shop/views.py", views)])
}

#[test]
fn filters_lookups_ordering_and_slices() {
    let m = shop(
        r#"
from shop.models import Order, Customer
def recent(request, x):
    return list(Order.objects.filter(status="open", customer__email__iexact=x).exclude(created__year=2020).order_by("-created")[:20])
"#,
    );
    let q = one(&m, "Order.objects.filter");
    assert_eq!(q.source, QuerySource::Orm);
    assert_eq!(
        filters(q),
        [
            "shop_order.status:Eq",
            "shop_customer.email:Eq:upper(email)",
            "shop_order.created:Other"
        ]
    );
    let s = q.shape.as_ref().unwrap();
    assert_eq!(s.tables.len(), 2);
    assert_eq!(s.joins[0].0.column, "customer_id");
    assert_eq!(s.joins[0].1.column, "id");
    assert_eq!(s.order_by[0].column, "created");
    assert!(s.limit && !s.offset);
    assert_eq!(s.selected, Selected::Star);
    assert!(!q.all_rows);
    assert!(q.returned);
    assert_eq!(q.span.start.line, 4);
}

#[test]
fn foreign_key_lookups_use_the_column() {
    let m = shop(
        r#"
from django.db.models import Q
from shop.models import Order
def f(c):
    a = Order.objects.filter(customer=c).count()
    b = Order.objects.filter(customer__id=c).exists()
    d = Order.objects.filter(customer_id__in=[1, 2]).first()
    e = Order.objects.get(pk=c)
    g = Order.objects.filter(Q(status="a") | Q(created__gte=c), tags__name="x")
    h = Order.objects.filter(items__sku__startswith="A").values("id", "status")
    return a, b, d, e, g, h
"#,
    );
    let all = by_api(&m, "Order.objects.filter");
    assert_eq!(filters(all[0]), ["shop_order.customer_id:Eq"]);
    assert!(all[0].shape.as_ref().unwrap().aggregate);
    assert_eq!(filters(all[1]), ["shop_order.customer_id:Eq"]);
    assert_eq!(filters(all[2]), ["shop_order.customer_id:In"]);
    assert!(all[2].shape.as_ref().unwrap().limit);
    assert_eq!(
        filters(all[3]),
        [
            "shop_order.status:Eq:or",
            "shop_order.created:Range:or",
            "shop_tag.name:Eq"
        ]
    );
    let s = all[3].shape.as_ref().unwrap();
    let joined: Vec<String> = s
        .joins
        .iter()
        .map(|(a, b)| {
            format!(
                "{}.{}={}.{}",
                a.table.as_deref().unwrap(),
                a.column,
                b.table.as_deref().unwrap(),
                b.column
            )
        })
        .collect();
    assert_eq!(
        joined,
        [
            "shop_order.id=shop_order_tags.order_id",
            "shop_order_tags.tag_id=shop_tag.id"
        ]
    );
    assert!(all[3].all_rows && all[3].returned);
    assert_eq!(filters(all[4]), ["shop_item.sku:Like"]);
    assert_eq!(
        all[4].shape.as_ref().unwrap().selected,
        Selected::Columns(vec!["id".into(), "status".into()])
    );
    let get = one(&m, "Order.objects.get");
    assert_eq!(filters(get), ["shop_order.id:Eq"]);
    assert!(!get.all_rows);
}

#[test]
fn unknown_fields_and_methods_give_no_shape() {
    let m = shop(
        r#"
from shop.models import Order
def f(x, **kw):
    a = Order.objects.filter(nope=x)
    b = Order.objects.filter(**kw)
    c = Order.objects.custom_thing().filter(status=x)
    d = Order.objects.annotate(n=Count("items")).filter(n__gt=1, status=x)
    e = Order.objects.none()
    return a, b, c, d, e
"#,
    );
    let q: Vec<Vec<String>> = m.queries.iter().map(filters).collect();
    assert_eq!(
        q,
        [
            vec!["<no shape>"],
            vec!["<no shape>"],
            vec!["<no shape>"],
            vec!["shop_order.status:Eq"],
        ]
    );
    assert!(m.queries.iter().take(3).all(|q| !q.all_rows));
}

#[test]
fn locals_refine_and_return_querysets() {
    let m = shop(
        r#"
from shop.models import Order
def listing(request):
    qs = Order.objects.all()
    if request.GET.get("s"):
        qs = qs.filter(status=request.GET["s"])
    return JsonResponse(list(qs.values()), safe=False)

def bounded(request):
    orders = Order.objects.filter(status="x").order_by("-created")
    page = orders[:50]
    return JsonResponse({"orders": [o.id for o in page]})

def serialized(request):
    orders = Order.objects.filter(status="x")
    return Response(OrderSerializer(orders, many=True).data)
"#,
    );
    let apis: Vec<(&str, bool, bool, Option<&str>)> = m
        .queries
        .iter()
        .map(|q| {
            (
                q.api.as_str(),
                q.all_rows,
                q.returned,
                q.bound_to.as_deref(),
            )
        })
        .collect();
    assert_eq!(
        apis,
        [
            // `Order.objects.all()` and `qs.filter(...)` are only refined:
            // their refinement carries their conditions.
            ("qs.values", true, true, None),
            // `orders` is sliced: the slice is what is returned, bounded.
            ("orders", false, true, Some("page")),
            ("Order.objects.filter", true, true, Some("orders")),
        ]
    );
    let values = &m.queries[0];
    assert_eq!(filters(values), ["shop_order.status:Eq"]);
}

#[test]
fn related_managers_and_shortcuts() {
    let m = shop(
        r#"
from django.shortcuts import get_object_or_404
from shop.models import Order
def detail(request, pk):
    order = get_object_or_404(Order, pk=pk)
    items = order.items.filter(sku__in=["a"])
    tags = order.tags.all()
    return render(request, "x.html", {"items": items, "tags": tags})
"#,
    );
    let g = one(&m, "get_object_or_404");
    assert_eq!(filters(g), ["shop_order.id:Eq"]);
    assert!(g.shape.as_ref().unwrap().limit);
    let items = one(&m, "order.items.filter");
    assert_eq!(
        filters(items),
        ["shop_item.order_id:Eq", "shop_item.sku:In"]
    );
    let tags = one(&m, "order.tags.all");
    assert_eq!(filters(tags), ["shop_order_tags.order_id:Eq"]);
    assert_eq!(tags.shape.as_ref().unwrap().tables[0].name, "shop_tag");
}

#[test]
fn writes_and_class_querysets() {
    let m = shop(
        r#"
from shop.models import Order
class OrderView(ListAPIView):
    queryset = Order.objects.filter(status="open")

def close(pk):
    Order.objects.filter(pk=pk).update(status="closed")
    Order.objects.create(status="new")
"#,
    );
    let kinds: Vec<(Option<QueryKind>, bool, bool)> = m
        .queries
        .iter()
        .map(|q| {
            (
                q.shape.as_ref().map(|s| s.kind),
                q.func.is_some(),
                q.all_rows,
            )
        })
        .collect();
    assert_eq!(
        kinds,
        [
            (Some(QueryKind::Select), false, true),
            (Some(QueryKind::Update), true, false),
            (Some(QueryKind::Insert), true, false),
        ]
    );
    let upd = &m.queries[1];
    assert_eq!(upd.shape.as_ref().unwrap().filters[0].op, ColumnOp::Eq);
}

#[test]
fn custom_managers_add_their_filters() {
    let models = r#"
from django.db import models


class LiveManager(models.Manager):
    def get_queryset(self):
        return super().get_queryset().filter(deleted=False)


class CachedManager(models.Manager):
    def get_queryset(self):
        return self.cached_queryset()

    def by_code(self, code):
        return CACHE.get(code) or self.get(code=code)


class Doc(models.Model):
    deleted = models.BooleanField(default=False)
    path = models.CharField(max_length=100)
    objects = models.Manager()
    live = LiveManager()
    odd = CachedManager()
"#;
    let views = r#"
from shop.models import Doc
def f(p):
    a = Doc.live.get(path=p)
    b = Doc.objects.get(path=p)
    c = Doc.odd.get(path=p)
    d = Doc.odd.by_code(p)
    e = Doc.odd.by_code(p).pk
    return a, b, c, d, e
"#;
    let m = db(&[("shop/models.py", models), ("shop/views.py", views)]);
    let q: Vec<(String, Vec<String>)> = m
        .queries
        .iter()
        .map(|q| (q.api.clone(), filters(q)))
        .collect();
    assert_eq!(
        q,
        [
            (
                "Doc.live.get".to_string(),
                vec![
                    "shop_doc.deleted:Eq".to_string(),
                    "shop_doc.path:Eq".to_string()
                ]
            ),
            (
                "Doc.objects.get".to_string(),
                vec!["shop_doc.path:Eq".to_string()]
            ),
            // A `get_queryset` we cannot read: no shape. A custom method last
            // may be anything (a cached lookup): no query.
            ("Doc.odd.get".to_string(), vec!["<no shape>".to_string()]),
        ]
    );
}

#[test]
fn lazy_querysets_in_loops_run_where_they_are_consumed() {
    let m = shop(
        r#"
from shop.models import Order, Customer
def f(names, forms):
    for name in names:
        field = Field(queryset=Order.objects.filter(status=name))
        qs = Customer.objects.filter(city=name)
        form = Form(customers=qs)
        n = len(Order.objects.filter(status=name))
        for c in Customer.objects.filter(email=name):
            print(c)
        later = Order.objects.filter(created=name)
        if later:
            print(later)
"#,
    );
    let q: Vec<(String, Option<u32>)> = m
        .queries
        .iter()
        .map(|q| (q.api.clone(), q.loop_idx))
        .collect();
    assert_eq!(
        q,
        [
            ("Order.objects.filter".to_string(), None),
            ("Customer.objects.filter".to_string(), None),
            ("Order.objects.filter".to_string(), Some(0)),
            ("Customer.objects.filter".to_string(), Some(0)),
            ("Order.objects.filter".to_string(), Some(0)),
        ]
    );
}

#[test]
fn custom_manager_and_queryset_methods_are_read() {
    let models = r#"
from django.db import models


class DocQuerySet(models.QuerySet):
    def published(self):
        return self.filter(state="published")

    def by_author(self, a):
        if a is None:
            return self
        return self.filter(author=a)


class DocManager(models.Manager.from_queryset(DocQuerySet)):
    def recent(self):
        return self.get_queryset().order_by("-created")[:10]


class Doc(models.Model):
    state = models.CharField(max_length=10)
    author = models.CharField(max_length=10)
    created = models.DateTimeField()
    objects = DocManager()
    docs = DocQuerySet.as_manager()
"#;
    let views = r#"
from shop.models import Doc
def f(a):
    x = list(Doc.objects.published().filter(created__gt=a))
    y = list(Doc.objects.recent())
    z = list(Doc.docs.by_author(a))
    return x, y, z
"#;
    let m = db(&[("shop/models.py", models), ("shop/views.py", views)]);
    let q: Vec<(String, Vec<String>, bool)> = m
        .queries
        .iter()
        .map(|q| {
            (
                q.api.clone(),
                filters(q),
                q.shape.as_ref().is_some_and(|s| s.limit),
            )
        })
        .collect();
    assert_eq!(
        q,
        [
            (
                "Doc.objects.published".to_string(),
                vec![
                    "shop_doc.state:Eq".to_string(),
                    "shop_doc.created:Range".to_string()
                ],
                false
            ),
            ("Doc.objects.recent".to_string(), vec![], true),
        ]
    );
}
