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

#[test]
fn reverse_one_to_one_and_the_request_user() {
    let models = r#"
from django.conf import settings
from django.db import models


class User(models.Model):
    name = models.CharField(max_length=20)


class Profile(models.Model):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    city = models.CharField(max_length=20)


class Note(models.Model):
    author = models.ForeignKey(User, on_delete=models.CASCADE, related_name="notes")
"#;
    let views = r#"
from accounts.models import User
def f(request):
    for u in User.objects.all():
        print(u.profile.city)
    for u in User.objects.select_related("profile"):
        print(u.profile.city)
    return list(request.user.notes.all())
"#;
    let m = db(&[
        ("proj/settings.py", "AUTH_USER_MODEL = \"accounts.User\"\n"),
        ("accounts/models.py", models),
        ("accounts/views.py", views),
    ]);
    assert_eq!(loads(&m), ["u.profile User.profile 5"]);
    let notes = m
        .queries
        .iter()
        .find(|q| q.api == "request.user.notes.all")
        .unwrap();
    assert_eq!(filters(notes), ["accounts_note.author_id:Eq"]);
    assert!(notes.all_rows && notes.returned);
    // The one-to-one column is unique.
    assert_eq!(indexes(&m, "accounts_profile"), ["id", "user_id"]);
}

#[test]
fn relations_to_models_outside_the_project_load_too() {
    let models = r#"
from django.contrib.auth.models import User
from django.db import models


class Post(models.Model):
    author = models.ForeignKey(User, on_delete=models.CASCADE)
    title = models.CharField(max_length=20)
"#;
    let views = r#"
from blog.models import Post
def f():
    return [p.author.username for p in Post.objects.all()]
"#;
    let m = db(&[("blog/models.py", models), ("blog/views.py", views)]);
    assert_eq!(loads(&m), ["p.author Post.author 4"]);
}
