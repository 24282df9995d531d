"""The case pages in the browser: queue, new case, detail with its action forms, and problems."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.cases.conftest import at, escalate_to_line2
from tierdesk.cases import problems, views, workflow
from tierdesk.cases.enums import Action, Channel, Classification, Priority, Source, Status
from tierdesk.cases.models import Case, Problem


def test_field_engineer_opens_a_case_through_the_form(
    browse, field_engineer, customer, east_site, own_product
):
    client = browse(field_engineer)
    response = client.post(
        reverse("cases:new"),
        {
            "title": "FSU offline",
            "description": "No data since this morning.",
            "customer": customer.pk,
            "site": east_site.pk,
            "product": own_product.pk,
            "source": Source.CUSTOMER,
            "channel": Channel.FIELD,
            "priority": Priority.P2,
        },
        follow=True,
    )
    case = Case.objects.get()
    assert response.redirect_chain[-1][0] == reverse("cases:detail", args=[case.pk])
    assert case.reporter == field_engineer and case.status == Status.FIELD
    assert 'data-kind="created"' in response.text
    assert "No data since this morning." in response.text


def test_only_line1_and_line2_people_may_open_cases(browse, rd_engineer):
    assert browse(rd_engineer).get(reverse("cases:new")).status_code == 403


def test_escalation_without_findings_shows_the_error_beside_the_field(
    browse, field_engineer, open_case
):
    case = open_case(field_engineer)
    client = browse(field_engineer)
    response = client.post(
        reverse("cases:act", args=[case.pk]),
        {"action": Action.ESCALATE, "version": case.version, "text": ""},
    )
    assert response.status_code == 400
    assert 'id="id_act_escalate_text"' in response.text
    assert "is-invalid" in response.text and "Findings is required." in response.text
    case.refresh_from_db()
    assert case.status == Status.FIELD and case.version == 1
    assert not case.events.filter(kind="transition").exists()


def test_escalation_with_findings_moves_the_case_and_shows_on_the_timeline(
    browse, field_engineer, open_case
):
    case = open_case(field_engineer)
    client = browse(field_engineer)
    response = client.post(
        reverse("cases:act", args=[case.pk]),
        {"action": Action.ESCALATE, "version": case.version, "text": "Power checked, still down"},
        follow=True,
    )
    case.refresh_from_db()
    assert case.status == Status.REGIONAL
    assert 'data-action="escalate"' in response.text
    assert "Power checked, still down" in response.text


def test_other_region_gets_404_and_an_empty_queue(
    browse, field_engineer, north_field_engineer, open_case
):
    case = open_case(field_engineer)
    client = browse(north_field_engineer)
    assert client.get(reverse("cases:detail", args=[case.pk])).status_code == 404
    queue = client.get(reverse("cases:queue"), {"view": "all"})
    assert queue.status_code == 200
    assert case.reference not in queue.text


def test_stale_version_is_refused_with_the_conflict_message(
    browse, field_engineer, regional_support, open_case
):
    case = open_case(field_engineer)
    workflow.comment(case, by=regional_support, text="calling the site", internal=True, now=at(1))
    client = browse(field_engineer)
    response = client.post(
        reverse("cases:act", args=[case.pk]),
        {"action": Action.ESCALATE, "version": 1, "text": "findings"},
    )
    assert response.status_code == 409
    assert "reload the case" in response.text
    assert str(regional_support) in response.text
    case.refresh_from_db()
    assert case.status == Status.FIELD and case.version == 2


def test_queue_pages_through_cases_after_an_id(browse, field_engineer, open_case, monkeypatch):
    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    first, second, third = (open_case(field_engineer, title=f"case {n}") for n in range(3))
    client = browse(field_engineer)
    page = client.get(reverse("cases:queue"), {"view": "mine"})
    assert [c["id"] for c in page.context["cases"]] == [third.pk, second.pk]
    assert f"after={second.pk}" in page.context["next_url"]
    rest = client.get(reverse("cases:queue"), {"view": "mine", "after": second.pk})
    assert [c["id"] for c in rest.context["cases"]] == [first.pk]
    assert rest.context["next_url"] is None


def test_queue_queries_do_not_grow_with_the_number_of_cases(
    browse, field_engineer, open_case, django_assert_max_num_queries
):
    for n in range(5):
        open_case(field_engineer, title=f"case {n}")
    client = browse(field_engineer)
    client.get(reverse("cases:queue"))  # warm up the session
    with CaptureQueriesContext(connection) as five:
        assert client.get(reverse("cases:queue"), {"view": "all"}).status_code == 200
    for n in range(25):
        open_case(field_engineer, title=f"more {n}")
    with django_assert_max_num_queries(len(five.captured_queries)):
        page = client.get(reverse("cases:queue"), {"view": "all"})
    assert len(page.context["cases"]) == 30


def test_vendor_contact_does_not_see_internal_comments(
    browse,
    field_engineer,
    regional_support,
    line2_engineer,
    presales_engineer,
    vendor_contact,
    video_vendor,
    open_case,
    video_product,
):
    case = escalate_to_line2(
        open_case(field_engineer, product=video_product), field_engineer, regional_support
    )
    workflow.perform(
        case,
        action=Action.TRANSFER_VENDOR,
        by=line2_engineer,
        now=at(hours=3),
        text="NVR firmware",
        classification=Classification.PARTNER_PRODUCT,
        vendor=video_vendor,
        coordinator=presales_engineer,
    )
    workflow.comment(case, by=line2_engineer, text="margin is thin", internal=True, now=at(hours=4))
    workflow.comment(
        case, by=line2_engineer, text="please check logs", internal=False, now=at(hours=4)
    )
    client = browse(vendor_contact)
    page = client.get(reverse("cases:detail", args=[case.pk]))
    assert page.status_code == 200
    assert "please check logs" in page.text
    assert "margin is thin" not in page.text
    assert 'name="internal"' not in page.text
    assert 'data-action-form="hand_back"' in page.text


def test_resolving_a_problem_resolves_the_chosen_linked_cases(
    browse, field_engineer, regional_support, line2_engineer, open_case
):
    chosen = escalate_to_line2(open_case(field_engineer), field_engineer, regional_support)
    left = escalate_to_line2(open_case(field_engineer), field_engineer, regional_support)
    problem = problems.open_problem(by=line2_engineer, title="FSU firmware crash", now=at(hours=3))
    for case in (chosen, left):
        problems.link_case(case, problem=problem, by=line2_engineer, now=at(hours=3))
    client = browse(line2_engineer)
    page = client.get(reverse("cases:problem", args=[problem.pk]))
    assert set(page.context["form"]["cases"].initial) == {chosen.pk, left.pk}
    response = client.post(
        reverse("cases:problem", args=[problem.pk]),
        {"resolution": "Firmware 3.2 fixes it", "cases": [chosen.pk]},
    )
    assert response.status_code == 302
    problem.refresh_from_db()
    chosen.refresh_from_db()
    left.refresh_from_db()
    assert problem.state == Problem.State.RESOLVED
    assert chosen.status == Status.RESOLVED and "Firmware 3.2" in chosen.resolution
    assert left.status == Status.LINE2


def test_take_it_myself_makes_the_viewer_the_owner(
    browse, field_engineer, regional_support, line2_engineer, open_case
):
    case = escalate_to_line2(open_case(field_engineer), field_engineer, regional_support)
    client = browse(line2_engineer)
    response = client.post(
        reverse("cases:assign", args=[case.pk]), {"version": case.version, "take": "1"}
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.owner == line2_engineer


def test_internal_attachment_is_hidden_from_the_vendor_contact(
    browse,
    field_engineer,
    regional_support,
    line2_engineer,
    presales_engineer,
    vendor_contact,
    video_vendor,
    open_case,
    video_product,
):
    case = escalate_to_line2(
        open_case(field_engineer, product=video_product), field_engineer, regional_support
    )
    workflow.perform(
        case,
        action=Action.TRANSFER_VENDOR,
        by=line2_engineer,
        now=at(hours=3),
        text="NVR firmware",
        classification=Classification.PARTNER_PRODUCT,
        vendor=video_vendor,
        coordinator=presales_engineer,
    )
    client = browse(line2_engineer)
    for name, internal in (("notes.txt", "on"), ("camera.log", "")):
        upload = SimpleUploadedFile(name, b"camera 7 lost signal\n")
        response = client.post(
            reverse("cases:upload", args=[case.pk]), {"file": upload, "internal": internal}
        )
        assert response.status_code == 302
    notes, log = case.attachments.order_by("id")
    assert notes.is_internal and not log.is_internal
    client = browse(vendor_contact)
    page = client.get(reverse("cases:detail", args=[case.pk])).text
    assert "camera.log" in page and "notes.txt" not in page
    assert client.get(reverse("cases:attachment", args=[case.pk, notes.pk])).status_code == 404
    download = client.get(reverse("cases:attachment", args=[case.pk, log.pk]))
    assert download.status_code == 200
    assert "attachment" in download["Content-Disposition"]
    assert b"".join(download.streaming_content) == b"camera 7 lost signal\n"


def test_line1_pauses_and_resumes_the_clocks(browse, field_engineer, open_case):
    case = open_case(field_engineer)
    client = browse(field_engineer)
    url = reverse("cases:wait", args=[case.pk])
    assert client.post(url, {"waiting_on": "customer"}).status_code == 302
    case.refresh_from_db()
    assert case.waiting_on == "customer"
    assert client.post(url, {"resume": "1"}).status_code == 302
    case.refresh_from_db()
    assert case.waiting_on == ""


def test_vendor_contact_may_not_pause_the_clocks(
    browse,
    field_engineer,
    regional_support,
    line2_engineer,
    presales_engineer,
    vendor_contact,
    video_vendor,
    open_case,
    video_product,
):
    case = escalate_to_line2(
        open_case(field_engineer, product=video_product), field_engineer, regional_support
    )
    workflow.perform(
        case,
        action=Action.TRANSFER_VENDOR,
        by=line2_engineer,
        now=at(hours=3),
        text="NVR firmware",
        classification=Classification.PARTNER_PRODUCT,
        vendor=video_vendor,
        coordinator=presales_engineer,
    )
    client = browse(vendor_contact)
    assert 'data-form="wait"' not in client.get(reverse("cases:detail", args=[case.pk])).text
    response = client.post(reverse("cases:wait", args=[case.pk]), {"waiting_on": "customer"})
    assert response.status_code == 403


def test_switching_tabs_keeps_the_filters_and_starts_at_the_first_page(browse, field_engineer):
    client = browse(field_engineer)
    page = client.get(reverse("cases:queue"), {"view": "mine", "priority": "P1", "after": "7"})
    tabs = {key: url for key, _label, url in page.context["tabs"]}
    assert "priority=P1" in tabs["breached"] and "view=breached" in tabs["breached"]
    assert "after=" not in tabs["breached"]


def test_regional_support_corrects_the_priority_on_the_case_page(
    browse, field_engineer, regional_support, open_case
):
    case = open_case(field_engineer)
    client = browse(regional_support)
    page = client.get(reverse("cases:detail", args=[case.pk]))
    assert 'data-form="edit"' in page.text
    form = {
        "version": case.version,
        "title": case.title,
        "description": case.description,
        "priority": Priority.P1,
        "classification": "",
        "contact": "",
        "product_version": "",
    }
    response = client.post(reverse("cases:edit", args=[case.pk]), form, follow=True)
    assert "Case updated." in response.text
    case.refresh_from_db()
    assert case.priority == Priority.P1
    # The form still holds the version it was loaded with: a second save is a conflict.
    stale = client.post(reverse("cases:edit", args=[case.pk]), {**form, "title": "Other"})
    assert stale.status_code == 409
    assert "reload" in stale.text
    case.refresh_from_db()
    assert case.title != "Other"


def test_rd_engineer_gets_no_edit_form_and_cannot_post_one(
    browse, field_engineer, regional_support, line2_engineer, rd_engineer, open_case
):
    case = escalate_to_line2(open_case(field_engineer), field_engineer, regional_support)
    workflow.perform(
        case,
        action=Action.TRANSFER_RD,
        by=line2_engineer,
        now=at(hours=3),
        text="defect",
        classification=Classification.PRODUCT_DEFECT,
    )
    case.refresh_from_db()
    client = browse(rd_engineer)
    assert 'data-form="edit"' not in client.get(reverse("cases:detail", args=[case.pk])).text
    response = client.post(
        reverse("cases:edit", args=[case.pk]),
        {
            "version": case.version,
            "title": "changed by R&D",
            "description": case.description,
            "priority": case.priority,
            "classification": case.classification,
        },
    )
    assert response.status_code == 403
    case.refresh_from_db()
    assert case.title != "changed by R&D"


def test_the_timeline_names_a_changed_field_and_its_values_as_people_read_them(
    browse, open_case, field_engineer
):
    case = open_case(field_engineer)
    workflow.update_case(
        case, by=field_engineer, now=at(hours=1), changes={"priority": Priority.P1}
    )

    page = browse(field_engineer).get(reverse("cases:detail", args=[case.pk]))

    html = page.content.decode()
    assert "Priority: P3 normal → P1 critical" in html
    assert "<code>priority</code>" not in html
