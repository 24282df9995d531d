"""The audit log: who changed people, roles and SLA data, old -> new, and who may read it."""

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import UserFactory
from tierdesk.cases.enums import Clock, Priority
from tierdesk.cases.models import BusinessCalendar, SlaTarget
from tierdesk.organization.models import Role, RoleCode


def _user_form(user, **changes):
    """The admin change form of a user, as the browser would post it back."""
    data = {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "is_active": "on",
        "roles": [role.pk for role in user.roles.all()],
        "region": user.region_id or "",
        "department": user.department_id or "",
        "vendor": "",
        "phone": user.phone,
        "language": user.language,
        "date_joined_0": timezone.localtime(user.date_joined).strftime("%Y-%m-%d"),
        "date_joined_1": timezone.localtime(user.date_joined).strftime("%H:%M:%S"),
    }
    data.update(changes)
    return data


def test_renaming_a_department_shows_who_and_old_and_new_name(
    browse, administrator, engineering_service
):
    client = browse(administrator)
    client.post(
        reverse("admin:organization_department_change", args=[engineering_service.pk]),
        {
            "name": "技术服务部",
            "name_en": "Technical Service",
            "code": "engineering-service",
            "function": "engineering_service",
        },
    )

    page = client.get(reverse("audit:changes"), {"what": "organization.department"})

    assert page.status_code == 200
    assert '<del class="text-body-secondary">工程服务部</del> → 技术服务部' in page.text
    assert '<del class="text-body-secondary">Engineering Service</del> → Technical Service' in (
        page.text
    )
    assert "(root-admin)" in page.text


def test_granting_a_role_records_who_gave_whom_which_role(browse, administrator, field_engineer):
    supervisor_role = Role.objects.get_or_create(code=RoleCode.SUPERVISOR)[0]
    client = browse(administrator)
    roles = [*field_engineer.roles.values_list("pk", flat=True), supervisor_role.pk]
    response = client.post(
        reverse("admin:organization_user_change", args=[field_engineer.pk]),
        _user_form(field_engineer, roles=roles),
    )
    assert response.status_code == 302

    page = client.get(reverse("audit:changes"), {"who": administrator.pk})

    assert "roles" in page.text
    assert (
        '<del class="text-body-secondary">Regional after-sales engineer</del>'
        " → After-sales service supervisor, Regional after-sales engineer"
    ) in page.text
    assert str(field_engineer) in page.text


def test_changing_an_sla_target_shows_old_and_new_minutes(browse, administrator):
    target = SlaTarget.objects.get(clock=Clock.LINE1, priority=Priority.P1)
    SlaTarget.objects.filter(pk=target.pk).update(response_minutes=30, resolution_minutes=240)
    target.refresh_from_db()
    # The update above bypassed history on purpose; record the starting point as a save would.
    target.save()
    client = browse(administrator)
    response = client.post(
        reverse("admin:cases_slatarget_change", args=[target.pk]),
        {
            "clock": target.clock,
            "priority": target.priority,
            "response_minutes": 15,
            "resolution_minutes": 240,
            "warning_percent": 80,
            "calendar": target.calendar_id,
        },
    )
    assert response.status_code == 302

    page = client.get(reverse("audit:changes"), {"what": "cases.slatarget"})

    assert "response target (minutes)" in page.text
    assert '<del class="text-body-secondary">30</del> → 15' in page.text


def test_changes_made_outside_a_request_are_shown_as_made_by_the_system(browse, supervisor):
    BusinessCalendar.objects.create(name="7x24", round_the_clock=True)

    page = browse(supervisor).get(reverse("audit:changes"))

    assert "7x24" in page.text
    assert "system" in page.text


def test_a_sign_in_alone_is_not_listed_as_a_change(browse, client, supervisor):
    UserFactory(username="quiet", last_name="静", first_name="悄")
    signed_in = client.post(
        reverse("login"), {"username": "quiet", "password": "correct-horse-battery"}
    )
    assert signed_in.status_code == 302
    client.logout()

    page = browse(supervisor).get(reverse("audit:changes"), {"what": "organization.user"})

    # Created, and no empty "changed" row for the sign-in that touched last_login.
    assert page.text.count("<strong>静悄</strong>") == 1


@pytest.mark.parametrize("persona", ["supervisor", "administrator"])
def test_supervisors_and_administrators_read_the_audit_log(browse, request, persona):
    client = browse(request.getfixturevalue(persona))
    assert client.get(reverse("audit:changes")).status_code == 200
    assert client.get(reverse("audit:sign_ins")).status_code == 200
    assert "Audit log" in client.get(reverse("home")).text


@pytest.mark.parametrize("persona", ["field_engineer", "line2_engineer", "vendor_contact"])
def test_other_people_may_not_read_the_audit_log(browse, request, persona):
    client = browse(request.getfixturevalue(persona))
    assert client.get(reverse("audit:changes")).status_code == 403
    assert client.get(reverse("audit:sign_ins")).status_code == 403
    assert "Audit log" not in client.get(reverse("home")).text


def test_admin_history_of_a_user_opens(browse, administrator, field_engineer):
    page = browse(administrator).get(
        reverse("admin:organization_user_history", args=[field_engineer.pk])
    )
    assert page.status_code == 200


def test_the_admin_shows_a_departments_history_with_who_changed_it(
    browse, administrator, engineering_service
):
    client = browse(administrator)
    client.post(
        reverse("admin:organization_department_change", args=[engineering_service.pk]),
        {
            "name": "技术服务部",
            "name_en": "Technical Service",
            "code": "engineering-service",
            "function": "engineering_service",
        },
    )

    page = client.get(
        reverse("admin:organization_department_history", args=[engineering_service.pk])
    )

    assert page.status_code == 200
    rows = page.content.decode()
    assert "Technical Service" in rows
    assert str(administrator) in rows
