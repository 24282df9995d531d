"""Each follow-up carries its case's region, so a region's report reads its answers from one index.

As with the clock spans (cases 0009): the column is added without its foreign key, filled in one
set-based UPDATE, and only then made NOT NULL with the key.
"""

import django.db.models.deletion
from django.db import migrations, models


def copy_region_from_case(apps, schema_editor):
    follow_ups = apps.get_model("followups", "FollowUp")._meta.db_table
    cases = apps.get_model("cases", "Case")._meta.db_table
    quote = schema_editor.quote_name
    schema_editor.execute(
        f"UPDATE {quote(follow_ups)} SET region_id = c.region_id "
        f"FROM {quote(cases)} c WHERE c.id = {quote(follow_ups)}.case_id"
    )


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0010_case_updated_index"),
        ("followups", "0004_answered_index"),
        ("organization", "0004_change_history"),
    ]

    operations = [
        migrations.AddField(
            model_name="followup",
            name="region",
            field=models.ForeignKey(
                db_constraint=False,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="organization.region",
                verbose_name="region",
            ),
        ),
        migrations.RunPython(copy_region_from_case, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="followup",
            name="region",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="organization.region",
                verbose_name="region",
            ),
        ),
        migrations.AddIndex(
            model_name="followup",
            index=models.Index(
                fields=["region", "closed_at", "satisfaction"], name="follow_up_region_answered"
            ),
        ),
    ]
