from django.db import migrations


class Migration(migrations.Migration):
    """Joins the standing council's migration, written in parallel, to the others."""

    dependencies = [
        ("congress", "0002_council"),
        ("congress", "0003_merge"),
    ]

    operations = []
