"""The on-site application pages: the case panel, the form, the steps each person sees, the list,
the PDF download, and 404 for those outside the case's scope."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.onsite.conftest import FILLED, STEP_TIMES
from tierdesk.cases.enums import Status
from tierdesk.cases.models import CaseParticipation
from tierdesk.onsite import views, workflow
from tierdesk.onsite.enums import State
from tierdesk.onsite.models import OnsiteApplication


def days_ahead(days: int) -> str:
    """A date the pages accept: they act at the real time, unlike the services under test."""
    return (timezone.localdate() + timedelta(days=days)).isoformat()


def detail_url(application) -> str:
    return reverse("onsite:detail", args=[application.pk])


def act(client, application, action: str, **fields):
    return client.post(
        reverse("onsite:act", args=[application.pk]),
        {"action": action, "version": application.version, **fields},
    )


def step_forms(response) -> set[str]:
    return {transition.action.value for transition, _form in response.context["step_forms"]}


def test_case_page_offers_regional_support_to_request_on_site_support(
    client, case, regional_support, field_engineer
):
    client.force_login(regional_support)
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert 'data-panel="onsite"' in page
    assert reverse("onsite:new", args=[case.pk]) in page

    client.force_login(field_engineer)
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert 'data-panel="onsite"' in page
    assert reverse("onsite:new", args=[case.pk]) not in page


def test_partner_vendors_see_no_on_site_panel(client, case, vendor_contact, video_vendor):
    case.vendor = video_vendor
    case.save(update_fields=["vendor"])
    CaseParticipation.objects.create(
        case=case, group=Status.VENDOR, first_reached_at=case.opened_at
    )
    client.force_login(vendor_contact)
    response = client.get(reverse("cases:detail", args=[case.pk]))
    assert response.status_code == 200
    assert 'data-panel="onsite"' not in response.content.decode()


def test_case_page_lists_its_applications(client, draft, case, field_engineer):
    client.force_login(field_engineer)
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert f'data-application="{draft.serial}"' in page


def test_the_form_is_prefilled_from_the_case_and_saves_a_draft(client, case, regional_support):
    client.force_login(regional_support)
    url = reverse("onsite:new", args=[case.pk])
    form = client.get(url).context["form"]
    assert form["fault_description"].value() == "FSU 每天离线三次，重启后恢复。"
    assert form["site_contact"].value() == "张经理"

    response = client.post(
        url,
        {
            "fault_description": "FSU 每天离线三次。",
            "urgency": "urgent",
            **{**FILLED, "wished_date": days_ahead(3)},
        },
    )
    application = OnsiteApplication.objects.get()
    assert response.status_code == 302
    assert response["Location"] == detail_url(application)
    assert application.state == State.DRAFT
    assert application.project == "江苏移动动环监控二期"
    assert application.urgency == "urgent"


def test_only_regional_support_of_the_region_opens_the_form(
    client, case, field_engineer, north_support, line2_engineer
):
    url = reverse("onsite:new", args=[case.pk])
    client.force_login(field_engineer)
    assert client.get(url).status_code == 403
    client.force_login(north_support)
    assert client.get(url).status_code == 404  # the case itself is out of their scope


def test_each_person_sees_only_the_steps_they_may_take(
    client, bring_to, regional_support, service_manager, line2_engineer
):
    application = bring_to(State.SUBMITTED)
    client.force_login(regional_support)
    assert step_forms(client.get(detail_url(application))) == {"cancel"}
    client.force_login(service_manager)
    assert step_forms(client.get(detail_url(application))) == {"approve", "reject"}
    client.force_login(line2_engineer)
    response = client.get(detail_url(application))
    assert step_forms(response) == set()
    assert "data-no-steps" in response.content.decode()


def test_the_page_says_who_takes_the_next_steps(client, bring_to, regional_support):
    application = bring_to(State.SUBMITTED)
    client.force_login(regional_support)
    page = client.get(detail_url(application)).content.decode()
    assert "An Engineering Service manager" in page or "工程服务部经理" in page


def test_the_applicant_submits_and_edits_only_while_drafting(client, draft, regional_support):
    workflow.update_draft(
        draft,
        by=regional_support,
        changes={"wished_date": timezone.localdate() + timedelta(days=3)},
        now=timezone.now(),
    )
    draft.refresh_from_db()
    client.force_login(regional_support)
    response = client.get(detail_url(draft))
    assert step_forms(response) == {"submit", "cancel"}
    assert response.context["edit_form"] is not None

    response = act(client, draft, "submit")
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.state == State.SUBMITTED
    assert client.get(detail_url(draft)).context["edit_form"] is None


def test_the_applicant_edits_the_draft_on_its_page(client, draft, regional_support):
    client.force_login(regional_support)
    form = client.get(detail_url(draft)).context["edit_form"]
    data = {name: form[name].value() or "" for name in form.fields}
    data.update(project="江苏移动动环监控三期", wished_date=days_ahead(5))
    response = client.post(reverse("onsite:edit", args=[draft.pk]), data)
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.project == "江苏移动动环监控三期"
    assert draft.version == 2
    assert client.get(detail_url(draft)).context["steps"].last().action == "update"


def test_reject_without_reason_shows_the_error_on_the_form(client, bring_to, service_manager):
    application = bring_to(State.SUBMITTED)
    client.force_login(service_manager)
    response = act(client, application, "reject", reason="")
    assert response.status_code == 400
    forms = dict(response.context["step_forms"])
    reject_form = next(form for t, form in forms.items() if t.action == "reject")
    assert reject_form.errors["reason"]
    application.refresh_from_db()
    assert application.state == State.SUBMITTED


def test_dispatch_through_the_page(client, bring_to, service_manager, line2_engineer):
    application = bring_to(State.APPROVED)
    client.force_login(service_manager)
    response = act(
        client,
        application,
        "dispatch",
        engineer=line2_engineer.pk,
        planned_start=days_ahead(3),
        planned_end=days_ahead(4),
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.state == State.DISPATCHED
    assert application.engineer == line2_engineer


def test_a_stale_form_is_refused_with_409(client, bring_to, service_manager, regional_support):
    application = bring_to(State.SUBMITTED)
    stale = OnsiteApplication.objects.get(pk=application.pk)
    workflow.cancel(application, by=regional_support, now=STEP_TIMES[State.SUBMITTED])
    client.force_login(service_manager)
    response = act(client, stale, "approve")
    assert response.status_code == 409


def test_another_region_gets_404_everywhere(client, draft, north_support):
    client.force_login(north_support)
    for name in ("onsite:detail", "onsite:pdf"):
        assert client.get(reverse(name, args=[draft.pk])).status_code == 404
    assert act(client, draft, "submit").status_code == 404
    assert client.post(reverse("onsite:edit", args=[draft.pk])).status_code == 404


def test_pdf_downloads_as_an_attachment_named_after_the_serial(client, draft, regional_support):
    client.force_login(regional_support)
    response = client.get(reverse("onsite:pdf", args=[draft.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="XCZC-2026-0001.pdf"'
    assert response.content.startswith(b"%PDF")


def test_the_list_filters_by_state_and_region_and_pages_by_keyset(
    client, monkeypatch, case, regional_support, supervisor, north
):
    for minute in range(3):
        workflow.create_application(
            case=case, by=regional_support, now=STEP_TIMES[State.DRAFT].replace(minute=minute)
        )
    first = OnsiteApplication.objects.order_by("id").first()
    workflow.cancel(first, by=regional_support, now=STEP_TIMES[State.DRAFT])
    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    client.force_login(supervisor)
    url = reverse("onsite:applications")

    page = client.get(url)
    shown = [a.serial for a in page.context["applications"]]
    assert shown == ["XCZC-2026-0003", "XCZC-2026-0002"]
    second = client.get(page.context["next_url"])
    assert [a.serial for a in second.context["applications"]] == ["XCZC-2026-0001"]
    assert second.context["next_url"] is None

    cancelled = client.get(url, {"state": "cancelled"})
    assert [a.serial for a in cancelled.context["applications"]] == ["XCZC-2026-0001"]
    assert client.get(url, {"region": north.pk}).context["applications"] == []
    dated = client.get(url, {"created_from": "2026-03-03"})
    assert dated.context["applications"] == []


def test_the_list_shows_nothing_from_another_region(client, draft, north_support):
    client.force_login(north_support)
    response = client.get(reverse("onsite:applications"))
    assert response.context["applications"] == []


@pytest.mark.parametrize("person", ["regional_support", "service_manager", "supervisor"])
def test_menu_has_on_site_support(client, request, person):
    client.force_login(request.getfixturevalue(person))
    page = client.get(reverse("home")).content.decode()
    assert reverse("onsite:applications") in page


def test_partner_vendors_have_no_on_site_menu(client, vendor_contact):
    client.force_login(vendor_contact)
    page = client.get(reverse("home")).content.decode()
    assert reverse("onsite:applications") not in page


def test_administrators_read_applications_in_the_admin(client, draft, administrator):
    client.force_login(administrator)
    listing = client.get(reverse("admin:onsite_onsiteapplication_changelist"))
    assert listing.status_code == 200
    assert draft.serial in listing.content.decode()
    page = client.get(reverse("admin:onsite_onsiteapplication_change", args=[draft.pk]))
    assert page.status_code == 200
