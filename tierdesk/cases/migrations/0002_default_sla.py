from django.db import migrations

# Minutes: (response, resolution) per line and priority. Editable afterwards in the admin.
TARGETS = {
    "line1": {"P1": (30, 240), "P2": (60, 480), "P3": (240, 1440), "P4": (480, 2400)},
    "line2": {"P1": (60, 480), "P2": (120, 960), "P3": (480, 2400), "P4": (960, 4800)},
    "vendor": {"P1": (120, 1440), "P2": (240, 2880), "P3": (960, 4800), "P4": (1440, 7200)},
}


def create_defaults(apps, schema_editor):
    BusinessCalendar = apps.get_model("cases", "BusinessCalendar")
    SlaTarget = apps.get_model("cases", "SlaTarget")
    office, _ = BusinessCalendar.objects.get_or_create(
        name="工作日 9:00-18:00",
        defaults={"weekdays": "0,1,2,3,4", "day_start": "09:00", "day_end": "18:00"},
    )
    always, _ = BusinessCalendar.objects.get_or_create(
        name="7×24", defaults={"round_the_clock": True, "weekdays": "0,1,2,3,4,5,6"}
    )
    for clock, by_priority in TARGETS.items():
        for priority, (response, resolution) in by_priority.items():
            SlaTarget.objects.get_or_create(
                clock=clock,
                priority=priority,
                defaults={
                    "response_minutes": response,
                    "resolution_minutes": resolution,
                    # P1 runs round the clock; the others count working hours.
                    "calendar": always if priority == "P1" else office,
                },
            )


class Migration(migrations.Migration):
    dependencies = [("cases", "0001_initial")]
    operations = [migrations.RunPython(create_defaults, migrations.RunPython.noop)]
