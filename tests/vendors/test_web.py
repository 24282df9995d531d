"""The vendor coordination pages: the case panel, the record page with what each person may
write, the list with its filters, and 404 for other vendors."""

from django.urls import reverse

from tests.cases.conftest import at
from tests.vendors.conftest import RESPONSE_DUE
from tierdesk.vendors import services
from tierdesk.vendors.enums import EntryKind
from tierdesk.vendors.models import VendorCoordination


def test_case_owner_sees_the_panel_and_the_record(client, line3_case, line2_engineer):
    client.force_login(line2_engineer)
    page = client.get(reverse("cases:detail", args=[line3_case.pk])).content.decode()
    assert 'data-panel="vendor-coordination"' in page
    assert reverse("vendors:record", args=[line3_case.pk]) in page
    response = client.get(reverse("vendors:record", args=[line3_case.pk]))
    assert response.status_code == 200
    assert response.context["targets_form"] is None  # line 2 asks, the coordinator sets targets
    kinds = [value for value, _label in response.context["entry_form"].fields["kind"].choices]
    assert kinds == [EntryKind.REQUEST, EntryKind.NOTE]


def test_no_panel_on_a_case_that_never_went_to_a_vendor(client, open_video_case, field_engineer):
    case = open_video_case()
    client.force_login(field_engineer)
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert 'data-panel="vendor-coordination"' not in page
    assert client.get(reverse("vendors:record", args=[case.pk])).status_code == 404


def test_coordinator_sets_targets_and_asks_on_the_page(client, line3_case, integration_pm):
    client.force_login(integration_pm)
    response = client.post(
        reverse("vendors:set_targets", args=[line3_case.pk]),
        {
            "vendor_ticket": "HSD-1",
            "response_due_at": "2030-03-02T18:00",
            "fix_due_at": "2030-03-05T18:00",
        },
    )
    assert response.status_code == 302
    record = VendorCoordination.objects.get()
    assert record.vendor_ticket == "HSD-1"
    response = client.post(
        reverse("vendors:add_entry", args=[line3_case.pk]),
        {"kind": EntryKind.REQUEST, "text": "请提供日志分析", "version": record.version},
    )
    assert response.status_code == 302
    page = client.get(reverse("vendors:record", args=[line3_case.pk])).content.decode()
    assert "请提供日志分析" in page
    assert 'data-target-state="due"' in page


def test_a_stale_page_gets_a_conflict(client, line3_case, integration_pm):
    services.set_targets(line3_case, by=integration_pm, now=at(hours=5), vendor_ticket="A")
    client.force_login(integration_pm)
    response = client.post(
        reverse("vendors:add_entry", args=[line3_case.pk]),
        {"kind": EntryKind.REQUEST, "text": "x", "version": 0},
    )
    assert response.status_code == 409


def test_vendor_contact_answers_and_never_reads_internal_notes(
    client, line3_case, integration_pm, vendor_contact
):
    services.add_entry(
        line3_case,
        by=integration_pm,
        kind=EntryKind.NOTE,
        text="内部：厂家历来拖延",
        now=at(hours=5),
    )
    client.force_login(vendor_contact)
    response = client.post(
        reverse("vendors:add_entry", args=[line3_case.pk]),
        {"kind": EntryKind.ANSWER, "text": "今晚远程排查"},
    )
    assert response.status_code == 302
    page = client.get(reverse("vendors:record", args=[line3_case.pk])).content.decode()
    assert "今晚远程排查" in page
    assert "厂家历来拖延" not in page
    case_page = client.get(reverse("cases:detail", args=[line3_case.pk])).content.decode()
    assert "厂家历来拖延" not in case_page


def test_another_vendor_gets_404(client, line3_case, other_vendor_contact):
    client.force_login(other_vendor_contact)
    assert client.get(reverse("vendors:record", args=[line3_case.pk])).status_code == 404


def test_list_filters_by_vendor_and_overdue(
    client,
    line3_case,
    other_line3_case,
    integration_pm,
    presales_engineer,
    line2_engineer,
    other_vendor,
):
    # Targets already passed at the real clock the page uses: both are overdue, unanswered.
    services.set_targets(
        line3_case, by=integration_pm, now=at(hours=5), response_due_at=RESPONSE_DUE
    )
    services.set_targets(other_line3_case, by=presales_engineer, now=at(hours=5), vendor_ticket="B")
    client.force_login(line2_engineer)

    def listed(**params):
        response = client.get(reverse("vendors:records"), params)
        return [record.case for record, _r, _f in response.context["rows"]]

    assert listed() == [other_line3_case, line3_case]
    assert listed(vendor=other_vendor.pk) == [other_line3_case]
    assert listed(overdue="on") == [line3_case]


def test_the_coordinator_lists_only_cases_they_coordinate(
    client, line3_case, other_line3_case, integration_pm, presales_engineer
):
    services.set_targets(line3_case, by=integration_pm, now=at(hours=5), vendor_ticket="A")
    services.set_targets(other_line3_case, by=presales_engineer, now=at(hours=5), vendor_ticket="B")
    client.force_login(integration_pm)
    response = client.get(reverse("vendors:records"))
    assert [record.case for record, _r, _f in response.context["rows"]] == [line3_case]
