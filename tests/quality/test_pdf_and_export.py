"""The printable form read back with pdftotext, and the list export opened with openpyxl."""

import subprocess
from io import BytesIO

import pytest
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from tests.cases.conftest import at
from tests.quality.conftest import FILLED
from tierdesk.quality import workflow
from tierdesk.quality.enums import State
from tierdesk.quality.pdf import render_feedback_pdf


def pdf_text(tmp_path, content: bytes) -> str:
    path = tmp_path / "feedback.pdf"
    path.write_bytes(content)
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


@pytest.fixture
def closed(bring_to):
    return bring_to(State.CLOSED)


def test_pdf_shows_the_record_number_the_serial_and_the_chinese_values(tmp_path, closed, case):
    with translation.override("zh-hans"):
        text = pdf_text(tmp_path, render_feedback_pdf(closed))
    assert "R GSB 316.020.01" in text
    assert "ZLFK-2026-0001" in text
    assert "质量反馈单" in text
    assert "高温环境下 FSU 频繁掉电重启。" in text
    assert "V3.2 / 批次 20260115" in text
    assert "电源模块电容批次不良" in text
    assert "V3.2.5" in text
    assert "华东大区" in text
    assert "李博" in text  # the raiser, in the signature box
    assert case.reference in text


def test_pdf_download_page_serves_the_form(client, closed, regional_support):
    client.force_login(regional_support)
    response = client.get(reverse("quality:pdf", args=[closed.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "ZLFK-2026-0001.pdf" in response["Content-Disposition"]


def test_xlsx_export_opens_and_holds_the_filtered_rows(
    client, bring_to, regional_support, east, other_product
):
    closed = bring_to(State.CLOSED)
    workflow.create_feedback(
        by=regional_support, now=at(days=1), region=east, product=other_product, **FILLED
    )
    client.force_login(regional_support)

    response = client.get(reverse("quality:export"))
    assert response.status_code == 200
    sheet = load_workbook(BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 3  # header and two forms
    assert rows[0][0] == "流水号"  # the reader's language: Chinese by default

    response = client.get(reverse("quality:export"), {"state": State.CLOSED})
    rows = list(load_workbook(BytesIO(response.content)).active.iter_rows(values_only=True))
    assert len(rows) == 2
    serial, state, region, _raiser, product = rows[1][:5]
    assert serial == closed.serial
    assert state == str(State.CLOSED.label)
    assert region == "华东大区"
    assert product == "FSU-3000"
    assert rows[1][5] == "V3.2 / 批次 20260115"
    assert rows[1][11] == "V3.2.5"
