"""Exports: the rows the person sees on the page, with its filters, every page, safe to open."""

import csv
import io
from html import escape

import pytest
from openpyxl import load_workbook

from tests.transfer.conftest import NOW
from tierdesk.cases import workflow
from tierdesk.cases.enums import Channel, Priority, Source
from tierdesk.cases.models import Problem


@pytest.fixture
def open_case(customer, own_product):
    def _open(by, site, **overrides):
        fields = {
            "title": "FSU 离线",
            "description": "The FSU stopped reporting.",
            "customer": customer,
            "site": site,
            "product": own_product,
            "source": Source.CUSTOMER,
            "channel": Channel.FIELD,
            "priority": Priority.P3,
            **overrides,
        }
        return workflow.open_case(by=by, now=NOW, **fields)

    return _open


def read_csv(response) -> list[list[str]]:
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff")
    return list(csv.reader(io.StringIO(body[1:])))


def references(rows) -> set[str]:
    return {row[0] for row in rows[1:]}


def test_case_export_holds_exactly_the_cases_the_person_sees(
    client, field_engineer, north_field_engineer, east_site, north_site, open_case
):
    mine = open_case(field_engineer, east_site, title="东区问题")
    theirs = open_case(north_field_engineer, north_site, title="北区问题")
    client.force_login(field_engineer)

    rows = read_csv(client.get("/transfer/exports/cases.csv?view=all"))

    assert references(rows) == {mine.reference}
    assert theirs.reference not in str(rows)


def test_case_export_applies_the_queue_filters_and_takes_every_page(
    client, field_engineer, east_site, open_case
):
    urgent = [open_case(field_engineer, east_site, priority=Priority.P1) for _ in range(55)]
    open_case(field_engineer, east_site, priority=Priority.P4)
    client.force_login(field_engineer)

    rows = read_csv(client.get("/transfer/exports/cases.csv?view=mine&priority=P1&after=1"))

    assert references(rows) == {case.reference for case in urgent}  # more than a page of 50


def test_headers_and_values_are_shown_as_on_the_page_in_the_readers_language(
    client, field_engineer, east_site, open_case, settings
):
    case = open_case(field_engineer, east_site)
    client.force_login(field_engineer)
    assert read_csv(client.get("/transfer/exports/cases.csv"))[0][:3] == ["编号", "标题", "状态"]
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    response = client.get("/transfer/exports/cases.xlsx?view=all")
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    header, row = list(sheet.iter_rows(values_only=True))

    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert header[:3] == ("Reference", "Title", "Status")
    assert row[0] == case.reference
    assert row[2] == "Line 1: field engineer"  # the label, not the code
    assert row[9] == "2026-03-02 10:00"  # opened, in the site's time zone


def test_cells_that_would_run_as_formulas_are_neutralised(
    client, field_engineer, east_site, open_case
):
    for title in ['=HYPERLINK("http://x")', "+1+1", "-2", "@SUM(A1)", "正常标题"]:
        open_case(field_engineer, east_site, title=title)
    client.force_login(field_engineer)

    titles = {row[1] for row in read_csv(client.get("/transfer/exports/cases.csv?view=all"))[1:]}
    sheet = load_workbook(
        io.BytesIO(b"".join(client.get("/transfer/exports/cases.xlsx?view=all").streaming_content))
    ).active
    xlsx_titles = {row[1] for row in list(sheet.iter_rows(values_only=True))[1:]}

    expected = {'\'=HYPERLINK("http://x")', "'+1+1", "'-2", "'@SUM(A1)", "正常标题"}
    assert titles == expected
    assert xlsx_titles == expected


def test_problem_export_is_refused_to_vendor_contacts_as_the_page_is(
    client, vendor_contact, line2_engineer
):
    Problem.objects.create(title="电源模块缺陷", created_by=line2_engineer, created_at=NOW)
    client.force_login(vendor_contact)
    assert client.get("/transfer/exports/problems.csv").status_code == 403
    assert client.get("/cases/problems/").status_code == 403

    client.force_login(line2_engineer)
    rows = read_csv(client.get("/transfer/exports/problems.csv"))
    assert [row[1] for row in rows[1:]] == ["电源模块缺陷"]


def test_unknown_lists_and_formats_are_404(client, field_engineer):
    client.force_login(field_engineer)
    assert client.get("/transfer/exports/secrets.csv").status_code == 404
    assert client.get("/transfer/exports/cases.pdf").status_code == 404


def test_signed_out_visitors_are_sent_to_sign_in(client):
    response = client.get("/transfer/exports/cases.csv")
    assert response.status_code == 302


@pytest.mark.parametrize(
    ("name", "page", "query"),
    [
        ("onsite", "/onsite/", "state=draft&created_from=2026-01-01"),
        ("quality", "/quality/", ""),
        ("vendors", "/vendors/", "overdue=on"),
        ("follow-ups", "/follow-ups/", "view=all&overdue=on"),
        ("articles", "/knowledge/", "q=power"),
        ("problems", "/cases/problems/", ""),
        ("cases", "/cases/", "view=breached&priority=P1"),
        ("trainings", "/trainings/", "state=held"),
    ],
)
def test_every_list_page_offers_its_export_with_its_filters(client, supervisor, name, page, query):
    client.force_login(supervisor)
    response = client.get(f"{page}?{query}")
    assert response.status_code == 200
    link = f"/transfer/exports/{name}.csv"
    assert escape(f"{link}?{query}" if query else link).encode() in response.content
    for fmt in ("csv", "xlsx"):
        export = client.get(f"/transfer/exports/{name}.{fmt}?{query}")
        assert export.status_code == 200
        assert export["Content-Disposition"].startswith(f'attachment; filename="{name}-')
