//! Schema from migrations, replayed in order.

use super::support::*;

const MODELS: &str = r#"
from django.db import models


class Customer(models.Model):
    email = models.EmailField()


class Order(models.Model):
    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, db_index=False)
    status = models.CharField(max_length=20, db_index=True, choices=STATUSES)
"#;

const INITIAL: &str = r#"
from django.db import migrations, models
import django.db.models.deletion


class Migration(migrations.Migration):
    initial = True
    dependencies = []
    operations = [
        migrations.CreateModel(
            name="Customer",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False)),
                ("email", models.EmailField(max_length=254)),
            ],
        ),
        migrations.CreateModel(
            name="Order",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False)),
                ("customer", models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, to="shop.customer")),
                ("note", models.TextField()),
            ],
            options={"unique_together": {("customer", "note")}},
        ),
    ]
"#;

const SECOND: &str = r#"
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("shop", "0001_initial")]
    operations = [
        migrations.AddField(
            model_name="order",
            name="status",
            field=models.CharField(max_length=20, db_index=True),
        ),
        migrations.RemoveField(model_name="order", name="note"),
        migrations.AlterUniqueTogether(name="order", unique_together=set()),
        migrations.AddIndex(
            model_name="customer",
            index=models.Index(fields=["email"], name="customer_email_idx"),
        ),
    ]
"#;

// Sorts after 0002 by number, before it by text.
const TENTH: &str = r#"
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("shop", "0002_order_status")]
    operations = [
        migrations.RemoveIndex(model_name="customer", name="customer_email_idx"),
        migrations.RunSQL(
            "CREATE INDEX customer_lower_email ON shop_customer (lower(email));",
            reverse_sql="DROP INDEX customer_lower_email;",
        ),
    ]
"#;

#[test]
fn migrations_replay_in_order_and_win_over_models() {
    let m = db(&[
        ("shop/models.py", MODELS),
        ("shop/migrations/0001_initial.py", INITIAL),
        ("shop/migrations/0002_order_status.py", SECOND),
        ("shop/migrations/0010_lower_email.py", TENTH),
    ]);
    let keys: Vec<&String> = m.schema.tables.keys().collect();
    assert_eq!(keys, ["shop_customer", "shop_order"]);
    let order = m.schema.table("shop_order").unwrap();
    let cols: Vec<&str> = order.columns.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(cols, ["id", "customer_id", "status"]);
    // The migration left `choices` out; the model's declaration says it.
    assert_eq!(order.columns[2].type_text, "models.CharField(choices)");
    // The unique pair was dropped, the status index added.
    assert_eq!(indexes(&m, "shop_order"), ["id", "status"]);
    // The email index was added then removed; RunSQL added an expression index.
    assert_eq!(indexes(&m, "shop_customer"), ["id", "(lower(email))"]);
    let ix = &m.schema.table("shop_customer").unwrap().indexes[1];
    assert_eq!(ix.declared_at.path, "shop/migrations/0010_lower_email.py");
    assert_eq!(ix.declared_at.span.start.line, 10);
    // The unindexed foreign key points at the model's field line.
    let fks = m.schema.foreign_keys_without_index();
    assert_eq!(fks.len(), 1);
    assert_eq!(fks[0].1.declared_at.path, "shop/models.py");
    assert_eq!(fks[0].1.declared_at.span.start.line, 10);
    assert_eq!(fks[0].1.ref_table, "shop_customer");
    // One source for the app's tables (first migration), one for the RunSQL.
    let paths: Vec<&str> = m.sources.iter().map(|s| s.path.as_str()).collect();
    assert_eq!(
        paths,
        [
            "shop/migrations/0001_initial.py",
            "shop/migrations/0010_lower_email.py"
        ]
    );
}

#[test]
fn models_only_apps_use_models_and_squashed_migrations_are_skipped() {
    let squashed = r#"
from django.db import migrations, models
class Migration(migrations.Migration):
    replaces = [("shop", "0001_initial"), ("shop", "0002_order_status")]
    operations = [
        migrations.CreateModel(name="Order", fields=[("id", models.AutoField(primary_key=True)), ("other", models.IntegerField())]),
    ]
"#;
    let m = db(&[
        ("shop/models.py", MODELS),
        ("shop/migrations/0001_initial.py", INITIAL),
        ("shop/migrations/0001_squashed_0002.py", squashed),
        ("shop/migrations/0002_order_status.py", SECOND),
        (
            "blog/models.py",
            "from django.db import models\nclass Post(models.Model):\n    slug = models.SlugField(unique=True)\n",
        ),
    ]);
    let keys: Vec<&String> = m.schema.tables.keys().collect();
    assert_eq!(keys, ["blog_post", "shop_customer", "shop_order"]);
    assert_eq!(indexes(&m, "blog_post"), ["id", "slug"]);
    assert!(
        m.schema
            .table("shop_order")
            .unwrap()
            .column("other")
            .is_none()
    );
}

#[test]
fn renames_and_separate_state() {
    let ops = r#"
from django.db import migrations, models
class Migration(migrations.Migration):
    operations = [
        migrations.CreateModel(name="Item", fields=[("id", models.AutoField(primary_key=True)), ("code", models.CharField(max_length=5))], options={"index_together": {("code",)}}),
        migrations.RenameField(model_name="item", old_name="code", new_name="sku"),
        migrations.RenameModel(old_name="Item", new_name="Product"),
        migrations.AlterModelTable(name="product", table="products"),
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.AddField(model_name="product", name="ean", field=models.CharField(max_length=13, unique=True))],
            database_operations=[migrations.RunSQL(sql=["ALTER TABLE products ADD COLUMN ean varchar(13) UNIQUE"])],
        ),
    ]
"#;
    let m = db(&[("inv/migrations/0001_initial.py", ops)]);
    let keys: Vec<&String> = m.schema.tables.keys().collect();
    assert_eq!(keys, ["products"]);
    assert_eq!(indexes(&m, "products"), ["id", "ean", "sku"]);
}

#[test]
fn old_spellings_app_labels_and_indexes_run_by_hand() {
    let apps = r#"
from modelsearch.apps import ModelSearchAppConfig
class SearchConfig(ModelSearchAppConfig):
    name = "site.search"
    label = "sitesearch"
"#;
    let initial = r#"
from django.db import migrations, models
class Migration(migrations.Migration):
    operations = [
        migrations.CreateModel(
            name="Entry",
            fields=[("id", models.AutoField(primary_key=True)), ("key", models.CharField(max_length=9)), ("kind", models.CharField(max_length=9))],
            options={"unique_together": set([("key", "kind")])},
        ),
    ]
"#;
    let second = r#"
from django.db import connection, migrations
def forwards(apps, schema_editor):
    with connection.cursor() as c:
        c.execute("CREATE INDEX CONCURRENTLY IF NOT EXISTS entry_kind ON sitesearch_entry (kind)")
def backwards(apps, schema_editor):
    with connection.cursor() as c:
        c.execute("DROP INDEX IF EXISTS entry_kind")
class Migration(migrations.Migration):
    operations = [
        migrations.AlterUniqueTogether(name="entry", unique_together={}),
        migrations.RunPython(forwards, backwards),
    ]
"#;
    let m = db(&[
        ("site/search/apps.py", apps),
        ("site/search/migrations/0001_initial.py", initial),
        ("site/search/migrations/0002_by_hand.py", second),
    ]);
    assert_eq!(indexes(&m, "sitesearch_entry"), ["id", "kind"]);
}

#[test]
fn altered_fields_change_their_indexes() {
    let ops = r#"
from django.db import migrations, models
class Migration(migrations.Migration):
    operations = [
        migrations.CreateModel(name="Ticket", fields=[("id", models.AutoField(primary_key=True)), ("code", models.CharField(max_length=9)), ("state", models.CharField(max_length=9, db_index=True))]),
        migrations.AlterField(model_name="ticket", name="code", field=models.CharField(max_length=12, unique=True)),
        migrations.AlterField(model_name="ticket", name="state", field=models.CharField(max_length=9)),
        migrations.AlterIndexTogether(name="ticket", index_together={("state", "code")}),
    ]
"#;
    let m = db(&[("desk/migrations/0001_initial.py", ops)]);
    assert_eq!(indexes(&m, "desk_ticket"), ["id", "code", "state,code"]);
}
