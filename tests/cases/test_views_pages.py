"""The queue's rows and filters, and the case page's forms that open on demand."""

import re
from datetime import UTC, datetime

from django.urls import reverse
from django.utils import translation

from tests.cases.conftest import at, escalate_to_line2
from tierdesk.cases import workflow
from tierdesk.cases.enums import Action, Classification, Priority, Status
from tierdesk.cases.models import Case

HTMX = {"HTTP_HX_REQUEST": "true"}


def row_of(html: str, case: Case) -> str:
    match = re.search(rf'<tr data-case="{case.pk}">.*?</tr>', html, re.S)
    assert match, f"no row for {case.reference}"
    return match.group(0)


def form_url(case: Case, name: str) -> str:
    return reverse("cases:form", args=[case.pk, name])


# Queue --------------------------------------------------------------------------------------------


def test_queue_row_links_the_reference_and_shows_local_times_and_no_owner(
    browse, field_engineer, open_case
):
    case = open_case(field_engineer, title="Rectifier <alarm>")
    # 10:30 UTC is 18:30 in Shanghai, the server's time zone.
    Case.objects.filter(pk=case.pk).update(
        owner=None,
        resolve_due_at=datetime(2026, 3, 2, 10, 30, tzinfo=UTC),
        updated_at=datetime(2026, 3, 1, 23, 5, tzinfo=UTC),
    )

    html = browse(field_engineer).get(reverse("cases:queue"), {"view": "all"}).text

    row = row_of(html, case)
    assert f'<a href="/cases/{case.pk}/">{case.reference}</a>' in row
    assert "Rectifier &lt;alarm&gt;" in row
    assert "<td>—</td>" in row  # no owner
    assert "2026-03-02 18:30" in row and "2026-03-02 07:05" in row
    with translation.override("en"):
        status = str(Status.FIELD.label)
    assert f"<td>{status}</td><td>P3</td>" in row


def test_queue_row_names_the_owner_and_the_region_in_the_readers_language(
    browse, field_engineer, open_case
):
    case = open_case(field_engineer)

    english = row_of(browse(field_engineer).get(reverse("cases:queue")).text, case)
    chinese = row_of(browse(field_engineer, "zh-hans").get(reverse("cases:queue")).text, case)

    assert "<td>East China</td><td>王丽</td>" in english
    assert "<td>华东大区</td><td>王丽</td>" in chinese


def test_queue_marks_only_open_cases_past_their_resolution_time_as_overdue(
    browse, field_engineer, open_case
):
    late = open_case(field_engineer, title="late")
    in_time = open_case(field_engineer, title="in time")
    long_ago = datetime(2020, 1, 1, tzinfo=UTC)
    Case.objects.filter(pk=late.pk).update(resolve_due_at=long_ago)
    Case.objects.filter(pk=in_time.pk).update(resolve_due_at=datetime(2099, 1, 1, tzinfo=UTC))

    html = browse(field_engineer).get(reverse("cases:queue"), {"view": "all"}).text

    assert 'class="text-danger fw-bold" data-overdue>2020-01-01 08:00<' in row_of(html, late)
    assert "data-overdue" not in row_of(html, in_time)


def test_empty_queue_says_so(browse, field_engineer):
    html = browse(field_engineer).get(reverse("cases:queue"), {"view": "mine"}).text
    assert "No cases here." in html


def test_queue_filters_keep_the_chosen_values_and_show_bad_input(browse, field_engineer, east):
    client = browse(field_engineer)

    chosen = client.get(reverse("cases:queue"), {"priority": Priority.P1, "region": east.pk}).text
    assert '<option value="P1" selected>' in chosen
    assert f'<option value="{east.pk}" selected>' in chosen
    assert '<label class="visually-hidden" for="id_priority">Priority</label>' in chosen

    wrong = client.get(reverse("cases:queue"), {"region": "99999", "q": "fsu"})
    assert wrong.status_code == 400
    assert 'id="id_region_error"' in wrong.text
    assert 'aria-invalid="true"' in wrong.text and "is-invalid" in wrong.text
    assert 'name="q" value="fsu"' in wrong.text


# Case page: forms on demand -----------------------------------------------------------------------


def test_case_page_shows_buttons_that_open_the_forms_not_the_forms(
    browse, field_engineer, open_case
):
    case = open_case(field_engineer)

    html = browse(field_engineer).get(reverse("cases:detail", args=[case.pk])).text

    escalate = form_url(case, "act_escalate")
    assert f'href="{escalate}" hx-get="{escalate}"' in html
    assert 'name="text"' in html  # the comment form stays on the page
    assert 'id="id_act_escalate_text"' not in html
    assert 'id="id_attachment_file"' not in html


def test_allowed_action_form_comes_as_a_fragment(browse, field_engineer, open_case):
    case = open_case(field_engineer)

    response = browse(field_engineer).get(form_url(case, "act_escalate"), **HTMX)

    assert response.status_code == 200
    assert "<html" not in response.text
    assert f'action="{reverse("cases:act", args=[case.pk])}"' in response.text
    assert 'id="id_act_escalate_text"' in response.text
    assert f'name="version" value="{case.version}"' in response.text
    assert 'name="action" value="escalate"' in response.text
    assert "HX-Request" in response["Vary"]


def test_action_the_viewer_may_not_take_is_refused(browse, field_engineer, open_case):
    case = open_case(field_engineer)  # in the field: hand-back is not an arrow from here
    assert browse(field_engineer).get(form_url(case, "act_hand_back"), **HTMX).status_code == 403


def test_form_the_viewer_may_not_use_is_refused(
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
    client = browse(rd_engineer)
    assert 'data-form="edit"' not in client.get(reverse("cases:detail", args=[case.pk])).text
    assert client.get(form_url(case, "edit")).status_code == 403


def test_unknown_form_is_not_found(browse, field_engineer, open_case):
    case = open_case(field_engineer)
    client = browse(field_engineer)
    assert client.get(form_url(case, "nonsense")).status_code == 404
    assert client.get(form_url(case, "act_nonsense")).status_code == 404


def test_form_of_another_regions_case_is_not_found(
    browse, field_engineer, north_field_engineer, open_case
):
    case = open_case(field_engineer)
    client = browse(north_field_engineer)
    assert client.get(form_url(case, "act_escalate"), **HTMX).status_code == 404
    assert client.get(form_url(case, "act_escalate")).status_code == 404


def test_without_javascript_the_button_leads_to_a_page_with_just_that_form(
    browse, field_engineer, open_case
):
    case = open_case(field_engineer)

    response = browse(field_engineer).get(form_url(case, "attachment"))

    assert response.status_code == 200
    html = response.text
    assert "<html" in html and 'data-form="attachment"' in html
    assert 'enctype="multipart/form-data"' in html and 'type="file" name="file"' in html
    assert f'href="{reverse("cases:detail", args=[case.pk])}"' in html
    assert "Back to the case" in html


def test_posting_the_form_from_its_own_page_moves_the_case(browse, field_engineer, open_case):
    case = open_case(field_engineer)
    client = browse(field_engineer)
    page = client.get(form_url(case, "act_escalate")).text
    version = re.search(r'name="version" value="(\d+)"', page).group(1)

    response = client.post(
        reverse("cases:act", args=[case.pk]),
        {"action": Action.ESCALATE, "version": version, "text": "Power and wiring fine"},
    )

    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == Status.REGIONAL


def test_a_refused_edit_comes_back_open_with_the_errors_and_what_was_typed(
    browse, field_engineer, regional_support, open_case
):
    case = open_case(field_engineer)
    client = browse(regional_support)

    response = client.post(
        reverse("cases:edit", args=[case.pk]),
        {
            "version": case.version,
            "title": "Typed new title",
            "description": case.description,
            "priority": "P9",
        },
    )

    assert response.status_code == 400
    html = response.text
    section = re.search(r'<section class="card mb-3" data-form="edit">.*?</section>', html, re.S)
    assert section, "the edit form is not open on the page"
    assert 'value="Typed new title"' in section.group(0)
    assert 'id="id_edit_priority_error"' in section.group(0)
    assert "Select a valid choice" in section.group(0)
    # The other forms stay closed.
    assert f'hx-get="{form_url(case, "act_escalate")}"' in html


def test_paused_case_shows_the_resume_button_without_opening_a_form(
    browse, field_engineer, open_case
):
    case = open_case(field_engineer)
    client = browse(field_engineer)
    wait_url = reverse("cases:wait", args=[case.pk])
    assert client.post(wait_url, {"waiting_on": "customer"}).status_code == 302

    html = client.get(reverse("cases:detail", args=[case.pk])).text

    assert 'name="resume"' in html
    assert form_url(case, "wait") not in html
    assert client.post(wait_url, {"resume": "1"}).status_code == 302
    case.refresh_from_db()
    assert case.waiting_on == ""
