from django.db import migrations


def create_default_rule(apps, schema_editor):
    # Regional support calls back within a day, three failed calls close the case as
    # unreachable, and the customer's link is valid for a week; administrators change it.
    FollowUpRule = apps.get_model("followups", "FollowUpRule")
    if not FollowUpRule.objects.filter(region=None).exists():
        FollowUpRule.objects.create(
            region=None,
            assignee_role="regional_support",
            due_within_hours=24,
            max_failed_attempts=3,
            link_valid_days=7,
        )


class Migration(migrations.Migration):
    dependencies = [("followups", "0001_initial")]

    operations = [migrations.RunPython(create_default_rule, migrations.RunPython.noop)]
