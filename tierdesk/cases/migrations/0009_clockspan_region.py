"""Each clock span carries its case's region, so a region's report reads its spans from one index.

The column is added without its foreign key, filled in one set-based UPDATE, and only then made
NOT NULL with the key: PostgreSQL checks the key once over the table instead of once per row.
"""

import django.db.models.deletion
from django.db import migrations, models

from tierdesk.cases.migrations._region import copy_region_from_case


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0008_report_indexes"),
        ("organization", "0004_change_history"),
    ]

    operations = [
        migrations.AddField(
            model_name="clockspan",
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
        migrations.RunPython(
            copy_region_from_case("cases", "ClockSpan"), migrations.RunPython.noop
        ),
        migrations.AlterField(
            model_name="clockspan",
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
            model_name="clockspan",
            index=models.Index(
                fields=[
                    "region",
                    "ended_at",
                    "clock",
                    "resolve_due_at",
                    "started_at",
                    "responded_at",
                    "worked",
                ],
                name="clockspan_region_ended",
            ),
        ),
    ]
