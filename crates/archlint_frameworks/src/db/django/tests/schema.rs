//! Schema from models and from migrations.

use super::support::*;

const MODELS: &str = r#"
from django.db import models
from django.conf import settings


class Timestamped(models.Model):
    created = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        abstract = True


class Customer(Timestamped):
    email = models.EmailField(unique=True)
    name = models.CharField(max_length=100)
    city = models.CharField(max_length=100, choices=CITIES)


class Tag(models.Model):
    name = models.CharField(max_length=50)


class Order(Timestamped):
    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="orders")
    status = models.CharField(max_length=20)
    reference = models.CharField(max_length=20, db_column="ref")
    tags = models.ManyToManyField(Tag)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, db_index=False)

    class Meta:
        db_table = "orders"
        indexes = [models.Index(fields=["status", "-created"], name="orders_status_created")]
        unique_together = ("customer", "reference")
        constraints = [
            models.UniqueConstraint(fields=["reference"], condition=models.Q(status="open"), name="open_ref"),
            models.CheckConstraint(check=models.Q(status__in=["a"]), name="chk"),
        ]
        ordering = ["-created"]


class OrderProxy(Order):
    class Meta:
        proxy = True


class SpecialOrder(Order):
    note = models.TextField()
"#;

#[test]
fn models_declare_tables_columns_and_indexes() {
    let m = db(&[("shop/models.py", MODELS)]);
    let keys: Vec<&String> = m.schema.tables.keys().collect();
    assert_eq!(
        keys,
        [
            "orders",
            "orders_tags",
            "shop_customer",
            "shop_specialorder",
            "shop_tag"
        ]
    );
    // Abstract parents give their fields; the implicit `id` is the primary key.
    let customer = m.schema.table("shop_customer").unwrap();
    let cols: Vec<&str> = customer.columns.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(cols, ["id", "created", "email", "name", "city"]);
    // A column limited to a few values says so (an index rarely helps there).
    assert_eq!(customer.columns[4].type_text, "models.CharField(choices)");
    assert_eq!(indexes(&m, "shop_customer"), ["id", "created", "email"]);
    let orders = m.schema.table("orders").unwrap();
    let cols: Vec<&str> = orders.columns.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(
        cols,
        ["id", "created", "customer_id", "status", "ref", "owner_id"]
    );
    // FK indexes are implicit; `-created` is `created`; Meta.ordering is no index.
    assert_eq!(
        indexes(&m, "orders"),
        ["id", "created", "customer_id,ref", "status,created", "ref"]
    );
    let partial: Vec<bool> = orders.indexes.iter().map(|i| i.partial).collect();
    assert_eq!(partial, [false, false, false, false, true]);
    assert_eq!(
        orders.foreign_keys[0].implicit_index.as_deref(),
        Some("django ForeignKey")
    );
    // The owner FK opted out of its index: the only unindexed foreign key,
    // located at its field line.
    let unindexed: Vec<(&str, &str, u32)> = m
        .schema
        .foreign_keys_without_index()
        .iter()
        .map(|(t, fk)| {
            (
                t.name.as_str(),
                fk.columns[0].as_str(),
                fk.declared_at.span.start.line,
            )
        })
        .collect();
    assert_eq!(unindexed, [("orders", "owner_id", 28)]);
    assert_eq!(orders.foreign_keys[1].ref_table, "auth_user");
    // The many-to-many table, the multi-table child and no proxy table.
    assert_eq!(
        indexes(&m, "orders_tags"),
        ["id", "order_id,tag_id", "tag_id"]
    );
    assert_eq!(indexes(&m, "shop_specialorder"), ["order_ptr_id"]);
}
