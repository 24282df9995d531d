"""Adding a case's region to rows that hang off the case, shared by the migrations that add
such a column (clock spans, follow-ups).

Its name starts with an underscore, so Django does not take it for a migration.
"""

import django.db.models.deletion
from django.db import migrations, models


def _region_field(**more) -> models.ForeignKey:
    return models.ForeignKey(
        db_index=False,
        on_delete=django.db.models.deletion.PROTECT,
        related_name="+",
        to="organization.region",
        verbose_name="region",
        **more,
    )


def add_region_copied_from_case(app_label: str, model_name: str) -> list:
    """The operations giving app_label.model_name its case's region: the column is added without
    its foreign key, filled in one set-based UPDATE, and only then made NOT NULL with the key, so
    PostgreSQL checks the key once over the table instead of once per row."""

    def copy(apps, schema_editor):
        table = apps.get_model(app_label, model_name)._meta.db_table
        cases = apps.get_model("cases", "Case")._meta.db_table
        quote = schema_editor.quote_name
        schema_editor.execute(
            f"UPDATE {quote(table)} SET region_id = c.region_id "
            f"FROM {quote(cases)} c WHERE c.id = {quote(table)}.case_id"
        )

    name = model_name.lower()
    return [
        migrations.AddField(
            model_name=name,
            name="region",
            field=_region_field(db_constraint=False, null=True),
        ),
        migrations.RunPython(copy, migrations.RunPython.noop),
        migrations.AlterField(model_name=name, name="region", field=_region_field()),
    ]
