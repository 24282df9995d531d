from django.core.management import call_command

from tierdesk.organization.demo import DEMO_PASSWORD
from tierdesk.organization.models import Product, Region, RoleCode, Site, User, Vendor


def test_demo_covers_every_role_and_can_run_twice(db, capsys):
    call_command("demo")
    first = capsys.readouterr().out
    counts = (Region.objects.count(), User.objects.count(), Site.objects.count())
    call_command("demo")
    assert (Region.objects.count(), User.objects.count(), Site.objects.count()) == counts

    assert Region.objects.count() == 7
    assert 38 <= User.objects.count() <= 45
    assert Vendor.objects.count() == 3
    assert Product.objects.filter(category="own").exists()
    for code in RoleCode.values:
        assert User.objects.filter(roles__code=code).exists(), code
    assert DEMO_PASSWORD in first
    assert "fe-east-1" in first
    assert User.objects.get(username="fe-east-1").check_password(DEMO_PASSWORD)


def test_demo_keeps_a_password_someone_changed(db):
    call_command("demo")
    user = User.objects.get(username="rs-east")
    user.set_password("a-new-password-2026")
    user.save()
    call_command("demo")
    user.refresh_from_db()
    assert user.check_password("a-new-password-2026")
