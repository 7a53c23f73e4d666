from django.db import migrations


class Migration(migrations.Migration):
    """Joins the preparation and sitting migrations, written in parallel."""

    dependencies = [
        ("congress", "0002_prep"),
        ("congress", "0002_sitting"),
    ]

    operations = []
