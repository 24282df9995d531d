from django.db import migrations

ROLE_CODES = [
    "field_engineer",
    "regional_support",
    "line2_engineer",
    "service_manager",
    "rd_engineer",
    "presales_engineer",
    "product_manager",
    "integration_pm",
    "supervisor",
    "vendor_contact",
    "administrator",
]


def create_roles(apps, schema_editor):
    Role = apps.get_model("organization", "Role")
    for code in ROLE_CODES:
        Role.objects.get_or_create(code=code)


class Migration(migrations.Migration):
    dependencies = [("organization", "0001_initial")]
    operations = [migrations.RunPython(create_roles, migrations.RunPython.noop)]
