"""The quality feedback pages: raising from a case, the steps each person sees, the list with
its filters and pages, evidence, the case panel, and 404 for those outside the form's scope."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.cases.conftest import at
from tests.quality.conftest import FILLED
from tierdesk.cases.enums import Status
from tierdesk.cases.models import CaseParticipation
from tierdesk.quality import views, workflow
from tierdesk.quality.enums import Action, State
from tierdesk.quality.models import QualityFeedback


def act(client, feedback, action: str, **fields):
    return client.post(
        reverse("quality:act", args=[feedback.pk]),
        {"action": action, "version": feedback.version, **fields},
    )


def step_forms(response) -> set[str]:
    return {transition.action.value for transition, _form in response.context["step_forms"]}


def test_regional_support_raises_a_form_from_a_case_prefilled_and_linked(
    client, case, regional_support, own_product, east
):
    client.force_login(regional_support)
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert 'data-panel="quality"' in page
    new_url = f"{reverse('quality:new')}?case={case.pk}"
    assert new_url.replace("&", "&amp;") in page or new_url in page

    form = client.get(new_url).context["form"]
    assert form.initial["case_references"] == case.reference
    assert form.initial["product"] == own_product.pk

    response = client.post(
        reverse("quality:new"),
        {
            "region": east.pk,
            "product": own_product.pk,
            "case_references": case.reference,
            **FILLED,
        },
    )
    feedback = QualityFeedback.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("quality:detail", args=[feedback.pk])
    assert list(feedback.cases.all()) == [case]

    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert 'data-feedback="ZLFK-2026-0001"' in page
    assert "草稿" in page


def test_linking_a_case_the_raiser_cannot_see_is_refused_on_the_form(
    client, regional_support, own_product, east, north_case
):
    client.force_login(regional_support)
    response = client.post(
        reverse("quality:new"),
        {
            "region": east.pk,
            "product": own_product.pk,
            "case_references": north_case.reference,
            **FILLED,
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["case_references"]
    assert not QualityFeedback.objects.exists()


def test_field_engineer_may_not_open_the_new_form(client, field_engineer):
    client.force_login(field_engineer)
    assert client.get(reverse("quality:new")).status_code == 403


def test_each_person_is_offered_only_their_steps_and_can_take_them(
    client, draft, regional_support, rd_engineer
):
    client.force_login(regional_support)
    response = client.get(reverse("quality:detail", args=[draft.pk]))
    assert step_forms(response) == {Action.SUBMIT}
    assert act(client, draft, Action.SUBMIT).status_code == 302
    draft.refresh_from_db()
    assert step_forms(client.get(reverse("quality:detail", args=[draft.pk]))) == set()

    client.force_login(rd_engineer)
    assert step_forms(client.get(reverse("quality:detail", args=[draft.pk]))) == {
        Action.ACKNOWLEDGE
    }
    assert act(client, draft, Action.ACKNOWLEDGE).status_code == 302
    draft.refresh_from_db()
    response = act(client, draft, Action.ANALYSE, root_cause="电容不良", fix="")
    assert response.status_code == 400
    assert response.context["step_forms"][0][1].errors["fix"]
    draft.refresh_from_db()
    assert draft.state == State.ACKNOWLEDGED


def test_a_stale_page_gets_a_conflict(client, bring_to, rd_engineer):
    feedback = bring_to(State.SUBMITTED)
    client.force_login(rd_engineer)
    response = client.post(
        reverse("quality:act", args=[feedback.pk]),
        {"action": Action.ACKNOWLEDGE, "version": feedback.version - 1},
    )
    assert response.status_code == 409


def test_evidence_upload_and_download(client, draft, regional_support):
    client.force_login(regional_support)
    png = b"\x89PNG\r\n\x1a\n" + b"\x01" * 32
    response = client.post(
        reverse("quality:add_evidence", args=[draft.pk]),
        {"file": SimpleUploadedFile("现场照片.png", png)},
    )
    assert response.status_code == 302
    evidence = draft.evidence.get()
    download = client.get(reverse("quality:evidence", args=[draft.pk, evidence.pk]))
    assert b"".join(download.streaming_content) == png

    response = client.post(
        reverse("quality:add_evidence", args=[draft.pk]),
        {"file": SimpleUploadedFile("a.exe", b"MZ\x90\x00\x03\x00")},
    )
    assert response.status_code == 400


def test_list_filters_by_state_product_and_region(
    client, bring_to, regional_support, line2_engineer, east, north, other_product
):
    submitted = bring_to(State.SUBMITTED)
    other = workflow.create_feedback(
        by=line2_engineer, now=at(days=1), region=north, product=other_product, **FILLED
    )
    workflow.perform(other, action=Action.SUBMIT, by=line2_engineer, now=at(days=1))
    client.force_login(line2_engineer)

    def listed(**params):
        response = client.get(reverse("quality:feedbacks"), params)
        return [f.serial for f in response.context["feedbacks"]]

    assert listed() == [other.serial, submitted.serial]
    assert listed(product=other_product.pk) == [other.serial]
    assert listed(region=east.pk) == [submitted.serial]
    assert listed(state=State.SUBMITTED) == [other.serial, submitted.serial]
    assert listed(state=State.CLOSED) == []


def test_list_pages_by_keyset(client, regional_support, east, own_product, monkeypatch):
    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    for hour in range(3):
        workflow.create_feedback(
            by=regional_support, now=at(hours=hour), region=east, product=own_product, **FILLED
        )
    client.force_login(regional_support)
    first = client.get(reverse("quality:feedbacks"))
    assert [f.serial for f in first.context["feedbacks"]] == ["ZLFK-2026-0003", "ZLFK-2026-0002"]
    second = client.get(first.context["next_url"])
    assert [f.serial for f in second.context["feedbacks"]] == ["ZLFK-2026-0001"]
    assert second.context["next_url"] is None


@pytest.mark.parametrize("persona", ["north_support", "vendor_contact", "presales_engineer"])
def test_people_outside_the_scope_get_404(client, request, bring_to, persona):
    feedback = bring_to(State.SUBMITTED)
    client.force_login(request.getfixturevalue(persona))
    assert client.get(reverse("quality:detail", args=[feedback.pk])).status_code == 404
    assert client.get(reverse("quality:pdf", args=[feedback.pk])).status_code == 404


def test_partner_vendors_see_no_quality_panel_on_their_case(
    client, bring_to, case, vendor_contact, video_vendor
):
    bring_to(State.SUBMITTED)
    case.vendor = video_vendor
    case.save(update_fields=["vendor"])
    CaseParticipation.objects.create(
        case=case, group=Status.VENDOR, first_reached_at=case.opened_at
    )
    client.force_login(vendor_contact)
    response = client.get(reverse("cases:detail", args=[case.pk]))
    assert response.status_code == 200
    assert 'data-panel="quality"' not in response.content.decode()
    assert "ZLFK" not in response.content.decode()
