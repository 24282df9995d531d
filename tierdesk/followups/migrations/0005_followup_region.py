"""Each follow-up carries its case's region, so a region's report reads its answers from one index.

As with the clock spans (cases 0009), the column is added as
`cases.migrations._region.add_region_copied_from_case` says.
"""

from django.db import migrations, models

from tierdesk.cases.migrations._region import add_region_copied_from_case


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0010_case_updated_index"),
        ("followups", "0004_answered_index"),
        ("organization", "0004_change_history"),
    ]

    operations = [
        *add_region_copied_from_case("followups", "FollowUp"),
        migrations.AddIndex(
            model_name="followup",
            index=models.Index(
                fields=["region", "closed_at", "satisfaction"], name="follow_up_region_answered"
            ),
        ),
    ]
