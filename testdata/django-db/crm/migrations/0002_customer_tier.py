from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("crm", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="customer",
            name="tier",
            field=models.CharField(default="basic", max_length=10),
        ),
    ]
