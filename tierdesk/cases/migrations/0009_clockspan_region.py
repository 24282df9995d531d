"""Each clock span carries its case's region, so a region's report reads its spans from one index.

The column is added as `_region.add_region_copied_from_case` says.
"""

from django.db import migrations, models

from tierdesk.cases.migrations._region import add_region_copied_from_case


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0008_report_indexes"),
        ("organization", "0004_change_history"),
    ]

    operations = [
        *add_region_copied_from_case("cases", "ClockSpan"),
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
