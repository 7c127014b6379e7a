//! Lazy relation loads inside loops over querysets.

use super::orm::MODELS;
use super::support::*;
use archlint_model::{DbModel, QuerySource};

fn shop(views: &str) -> DbModel {
    db(&[("shop/models.py", MODELS), ("shop/views.py", views)])
}

/// `api relation line` of each lazy load.
fn loads(m: &DbModel) -> Vec<String> {
    m.queries
        .iter()
        .filter_map(|q| match &q.source {
            QuerySource::LazyLoad(r) => Some(format!("{} {r} {}", q.api, q.span.start.line)),
            _ => None,
        })
        .collect()
}

#[test]
fn forward_relations_in_loops_load_per_row() {
    let m = shop(
        r#"
from shop.models import Order
def report():
    for order in Order.objects.all():
        print(order.customer.email, order.customer.city, order.customer_id)
    orders = Order.objects.filter(status="x")
    names = [o.customer.email for o in orders]
    for i, o in enumerate(orders):
        print(o.status)
    return names
"#,
    );
    assert_eq!(
        loads(&m),
        [
            "order.customer Order.customer 5",
            "o.customer Order.customer 7"
        ]
    );
    let first = m
        .queries
        .iter()
        .find(|q| q.api == "order.customer")
        .unwrap();
    assert_eq!(first.loop_idx, Some(0));
    assert_eq!(filters(first), ["shop_customer.id:Eq"]);
}

#[test]
fn eager_loading_covers_its_relations() {
    let m = shop(
        r#"
from shop.models import Order, Customer
def report():
    for order in Order.objects.select_related("customer"):
        print(order.customer.email)
    for order in Order.objects.prefetch_related("items", "tags"):
        print(order.items.all(), order.tags.count(), order.items.filter(sku="a"))
    for c in Customer.objects.prefetch_related("orders__items"):
        for o in c.orders.all():
            for i in o.items.all():
                print(i.sku, o.customer.city)
    for row in Order.objects.values("customer__email"):
        print(row)
"#,
    );
    assert_eq!(
        loads(&m),
        ["order.items Order.items 7", "o.customer Order.customer 11"]
    );
}

#[test]
fn related_managers_and_reverse_relations_in_loops() {
    let m = shop(
        r#"
from shop.models import Order
def report(customer):
    for order in Order.objects.filter(customer=customer):
        n = order.items.count()
        for tag in order.tags.all():
            print(tag.name)
        for item in order.items.all():
            print(item.order.status)
"#,
    );
    assert_eq!(
        loads(&m),
        [
            "order.items Order.items 5",
            "order.tags Order.tags 6",
            "item.order Item.order 9"
        ]
    );
    let tags = m.queries.iter().find(|q| q.api == "order.tags").unwrap();
    // The inner loop's iterable runs once per outer row.
    assert_eq!(tags.loop_idx, Some(0));
    // No ORM fact doubles a lazy load.
    assert!(!m.queries.iter().any(|q| q.api.starts_with("order.items.")));
}

#[test]
fn lazy_related_querysets_handed_on_load_nothing() {
    let m = shop(
        r#"
from shop.models import Order
def report(jobs):
    for order in Order.objects.all():
        jobs.submit(recount, order.items.all())
        total = len(order.items.filter(sku="x"))
"#,
    );
    assert_eq!(loads(&m), ["order.items Order.items 6"]);
}
