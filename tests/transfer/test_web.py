"""The import pages: upload, preview with every error, confirm; and who may use them."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from tests.transfer.conftest import csv_bytes
from tests.transfer.test_imports import CUSTOMERS, SITES
from tierdesk.organization.models import Contact, Site
from tierdesk.transfer.models import ImportBatch


def test_upload_preview_and_confirm(client, service_manager):
    client.force_login(service_manager)
    page = client.get("/transfer/imports/")
    assert page.status_code == 200
    assert "联系人邮箱".encode() in page.content and b"Contact e-mail" in page.content

    response = client.post(
        "/transfer/imports/",
        {"kind": "customers", "encoding": "auto", "file": SimpleUploadedFile("c.csv", csv_bytes(CUSTOMERS))},
    )  # fmt: skip
    batch = ImportBatch.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/transfer/imports/{batch.pk}/"
    preview = client.get(response["Location"])
    assert b'data-count="new">4<' in preview.content
    assert b'data-form="confirm"' in preview.content
    assert not Contact.objects.exists()

    client.post(f"/transfer/imports/{batch.pk}/confirm/")

    assert Contact.objects.count() == 2
    assert b'data-state="imported"' in client.get(response["Location"]).content


def test_preview_lists_every_error_and_offers_no_confirmation(client, administrator, customer):
    client.force_login(administrator)
    rows = [*SITES, ["没有的客户", "机房", "火星", ""]]
    client.post(
        "/transfer/imports/",
        {"kind": "sites", "encoding": "auto", "file": SimpleUploadedFile("s.csv", csv_bytes(rows))},
    )  # fmt: skip
    batch = ImportBatch.objects.get()
    text = client.get(f"/transfer/imports/{batch.pk}/").content.decode()

    # No region exists yet: every row's region is wrong, and row 4 names no known customer.
    assert {(e["row"], e["column"]) for e in batch.errors} == {
        (2, "Region"),
        (3, "Region"),
        (4, "Customer"),
        (4, "Region"),
    }
    for value in ["east", "North China", "没有的客户", "火星"]:
        assert f"<td>{value}</td>" in text
    assert 'data-form="confirm"' not in text
    assert not Site.objects.exists()


def test_a_file_too_large_is_a_form_error(client, administrator, settings, monkeypatch):
    monkeypatch.setattr("tierdesk.transfer.forms.MAX_BYTES", 10)
    client.force_login(administrator)
    response = client.post(
        "/transfer/imports/",
        {"kind": "customers", "encoding": "auto", "file": SimpleUploadedFile("c.csv", csv_bytes(CUSTOMERS))},
    )  # fmt: skip
    assert response.status_code == 400
    assert not ImportBatch.objects.exists()


def test_field_engineers_get_403_and_someone_elses_import_is_404(
    client, field_engineer, administrator, service_manager
):
    client.force_login(administrator)
    client.post(
        "/transfer/imports/",
        {"kind": "customers", "encoding": "auto", "file": SimpleUploadedFile("c.csv", csv_bytes(CUSTOMERS))},
    )  # fmt: skip
    batch = ImportBatch.objects.get()

    client.force_login(field_engineer)
    assert client.get("/transfer/imports/").status_code == 403
    assert client.get(f"/transfer/imports/{batch.pk}/").status_code == 404
    assert client.post(f"/transfer/imports/{batch.pk}/confirm/").status_code == 404
    assert client.get("/transfer/templates/customers.xlsx").status_code == 403

    client.force_login(service_manager)
    assert client.get(f"/transfer/imports/{batch.pk}/").status_code == 404


def test_each_kind_has_a_template_with_its_headers_and_an_example(client, administrator):
    client.force_login(administrator)
    response = client.get("/transfer/templates/cases.xlsx")
    header, example = load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True)
    assert header[0] == "原系统编号" and example[0] == "OLD-2024-0001"
    assert client.get("/transfer/templates/unknown.xlsx").status_code == 404
