"""The full-text index tables: FTS5 on SQLite, a tsvector with a GIN index on PostgreSQL."""

from django.db import migrations

TABLES = ["knowledge_article_index", "knowledge_case_index"]


def create_tables(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for table in TABLES:
        if vendor == "postgresql":
            schema_editor.execute(
                f"CREATE TABLE {table} (object_id bigint PRIMARY KEY, document tsvector NOT NULL)"
            )
            schema_editor.execute(
                f"CREATE INDEX {table}_document ON {table} USING gin (document)"
            )
        elif vendor == "sqlite":
            # unicode61 splits on spaces and punctuation: the application has already cut
            # Chinese into words and joined them with spaces.
            schema_editor.execute(
                f"CREATE VIRTUAL TABLE {table} USING fts5("
                "title, symptom, body, tokenize = 'unicode61 remove_diacritics 2')"
            )
        else:
            raise NotImplementedError(f"knowledge search does not support {vendor}")


def drop_tables(apps, schema_editor):
    for table in TABLES:
        schema_editor.execute(f"DROP TABLE IF EXISTS {table}")


class Migration(migrations.Migration):
    dependencies = [("knowledge", "0001_initial")]

    operations = [migrations.RunPython(create_tables, drop_tables)]
