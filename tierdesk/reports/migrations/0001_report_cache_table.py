from django.conf import settings
from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps, schema_editor):
    # The "reports" cache keeps built reports (tierdesk/reports/snapshots.py); the command
    # creates the table of every database cache configured, and skips one that exists.
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


def drop_cache_table(apps, schema_editor):
    location = settings.CACHES["reports"].get("LOCATION")
    if settings.CACHES["reports"]["BACKEND"].endswith("db.DatabaseCache") and location:
        schema_editor.execute(f"DROP TABLE IF EXISTS {schema_editor.quote_name(location)}")


class Migration(migrations.Migration):
    dependencies = []

    operations = [migrations.RunPython(create_cache_table, drop_cache_table)]
