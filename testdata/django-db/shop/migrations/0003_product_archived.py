from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("shop", "0002_order_edited_by")]

    operations = [
        migrations.AddField(
            model_name="product",
            name="archived",
            field=models.BooleanField(default=False),
        ),
        migrations.AddIndex(
            model_name="product",
            index=models.Index(fields=["archived", "name"], name="shop_product_live_name"),
        ),
    ]
