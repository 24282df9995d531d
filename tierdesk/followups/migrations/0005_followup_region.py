"""Each follow-up carries its case's region, so a region's report reads its answers from one index.

As with the clock spans (cases 0009): the column is added without its foreign key, filled in one
set-based UPDATE, and only then made NOT NULL with the key.
"""

import django.db.models.deletion
from django.db import migrations, models

from tierdesk.cases.migrations._region import copy_region_from_case


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
        migrations.RunPython(
            copy_region_from_case("followups", "FollowUp"), migrations.RunPython.noop
        ),
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
