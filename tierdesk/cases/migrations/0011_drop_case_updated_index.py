"""The case search no longer looks for recently changed cases (a case is indexed when it is
saved), so nothing reads this index; every write to a case paid for keeping it."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('cases', '0010_case_updated_index'),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name='case',
            name='case_updated',
        ),
    ]
