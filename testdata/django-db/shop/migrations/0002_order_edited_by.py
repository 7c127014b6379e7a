import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("shop", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="order",
            name="edited_by",
            field=models.ForeignKey(
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        # The models do not declare it: only the database has it.
        migrations.RunSQL(
            "CREATE INDEX CONCURRENTLY shop_order_created_idx ON shop_order (created DESC);",
            reverse_sql="DROP INDEX shop_order_created_idx;",
        ),
    ]
