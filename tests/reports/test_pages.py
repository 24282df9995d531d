"""The report page, its PDF and its XLSX, as a reader sees them."""

import subprocess
from io import BytesIO

from django.utils import translation
from openpyxl import load_workbook

from tests.reports.test_event_management import MARCH
from tierdesk.reports.event_management import build_regional_report
from tierdesk.reports.exports import render_report_pdf, render_report_xlsx


def pdf_text(tmp_path, content: bytes) -> str:
    path = tmp_path / "report.pdf"
    path.write_bytes(content)
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def test_regional_support_reads_own_regions_report_with_charts(
    browse, regional_support, east_march
):
    response = browse(regional_support).get("/reports/east/2026-03/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Event-management report: East China, 2026-03" in page
    assert page.count("<svg") == 4
    assert 'data-figure="opened">4<' in page
    assert "75.0% (3/4)" in page  # line 1 SLA compliance
    assert "0:30" in page and "1:16" in page  # line 1 response median and p90
    assert 'data-figure="score">3.60<' in page
    assert 'data-figure="articles-created">0<' in page  # no article written in March


def test_chart_styles_carry_the_pages_csp_nonce(browse, regional_support, east_march):
    response = browse(regional_support).get("/reports/east/2026-03/")
    policy = response.headers["Content-Security-Policy"]
    nonce = policy.split("'nonce-")[1].split("'")[0]
    page = response.content.decode()
    assert page.count(f'<style nonce="{nonce}"') == 4
    assert 'style="' not in page.split('data-section="charts"')[1].split("</div>\n<section")[0]


def test_report_reads_in_chinese(browse, regional_support, east_march):
    page = browse(regional_support, "zh-hans").get("/reports/east/2026-03/").content.decode()
    assert "华东大区" in page


def test_field_engineer_cannot_read_another_regions_report(browse, field_engineer, north):
    assert browse(field_engineer).get("/reports/north/2026-03/").status_code == 404


def test_vendor_contact_reads_no_report(browse, vendor_contact, east):
    assert browse(vendor_contact).get("/reports/").status_code == 404
    assert browse(vendor_contact).get("/reports/east/2026-03/").status_code == 404


def test_index_opens_own_region_and_the_chosen_period(browse, regional_support, east):
    response = browse(regional_support).get("/reports/?period=2026-Q1")
    assert response.status_code == 302
    assert response.url == "/reports/east/2026-Q1/"


def test_supervisor_reads_any_region(browse, supervisor, north):
    assert browse(supervisor).get("/reports/north/2026-Q1/").status_code == 200


def test_unknown_period_is_not_found(browse, supervisor, east):
    assert browse(supervisor).get("/reports/east/2026-13/").status_code == 404


def test_pdf_shows_the_figures(tmp_path, east, east_march):
    with translation.override("en"):
        text = pdf_text(
            tmp_path, render_report_pdf(build_regional_report(region=east, period=MARCH))
        )
    assert "Event-management report: East China, 2026-03" in text
    assert "75.0% (3/4)" in text
    assert "电源模块" in text
    assert "Articles created" in text


def test_pdf_download(browse, regional_support, east_march):
    response = browse(regional_support).get("/reports/east/2026-03/pdf/")
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert 'filename="tierdesk-east-2026-03.pdf"' in response["Content-Disposition"]


def test_xlsx_cells(east, east_march):
    with translation.override("en"):
        content = render_report_xlsx(build_regional_report(region=east, period=MARCH))
    workbook = load_workbook(BytesIO(content))
    assert workbook.sheetnames == ["Summary", "Lines", "Cases opened", "Satisfaction", "Problems"]
    summary = {row[0]: row[1] for row in workbook["Summary"].iter_rows(values_only=True)}
    assert summary["Opened"] == 4
    assert summary["Resolved"] == 3
    assert summary["Satisfaction score (of 5)"] == "3.60"
    assert summary["Articles created"] == 0
    lines = list(workbook["Lines"].iter_rows(values_only=True))
    assert lines[1] == ("Line 1", 5, "0:30", "1:16", "4:00", "8:36", "24:00", 4, 3, "75.0%", 1)
    assert lines[3][0] == "Partner vendor" and lines[3][9] == "—"
    problems = list(workbook["Problems"].iter_rows(values_only=True))
    assert problems[1] == ("PRB00001", "电源模块", 3) or problems[1][1:] == ("电源模块", 3)
