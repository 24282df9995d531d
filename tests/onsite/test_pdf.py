"""The printable appendix A, read back with poppler's text and font tools as a reader's PDF
viewer would see it."""

import subprocess

import pytest
from django.utils import translation

from tierdesk.onsite.enums import State
from tierdesk.onsite.pdf import render_application_pdf


def pdf_text(tmp_path, content: bytes) -> str:
    path = tmp_path / "application.pdf"
    path.write_bytes(content)
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def pdf_fonts(tmp_path, content: bytes) -> str:
    path = tmp_path / "fonts.pdf"
    path.write_bytes(content)
    return subprocess.run(
        ["pdffonts", str(path)], capture_output=True, text=True, check=True
    ).stdout


@pytest.fixture
def reported(bring_to):
    return bring_to(State.REPORTED)


def test_pdf_shows_the_record_number_the_serial_and_the_chinese_values(tmp_path, reported):
    with translation.override("zh-hans"):
        text = pdf_text(tmp_path, render_application_pdf(reported))
    assert "R GSB 316.010.01" in text
    assert "XCZC-2026-0001" in text
    assert "现场售后技术支持申请表" in text
    assert "中国移动江苏公司" in text
    assert "FSU 每天离线三次，重启后恢复。" in text
    assert "江苏移动动环监控二期" in text
    assert "主控板电容鼓包" in text
    assert "张经理" in text
    assert "陈卡" in text  # the dispatched engineer, in the signature box


def test_pdf_embeds_the_cjk_font(tmp_path, reported):
    fonts = pdf_fonts(tmp_path, render_application_pdf(reported))
    line = next(row for row in fonts.splitlines() if "WenQuanYi" in row)
    # pdffonts columns: name type encoding emb sub uni; a subset is embedded ("yes yes").
    assert " yes yes " in line


def test_pdf_renders_in_the_readers_language(tmp_path, reported):
    with translation.override("en"):
        text = pdf_text(tmp_path, render_application_pdf(reported))
    assert "On-site After-sales Technical Support Application" in text
    assert "Customer sign-off" in text
    assert "R GSB 316.010.01" in text
