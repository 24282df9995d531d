"""The transfer API: upload and check, confirm, read back; exports; problem+json errors."""

import csv
import io

from tests.transfer.conftest import NOW, csv_bytes
from tests.transfer.test_imports import CUSTOMERS, cases_file, closed_case_row
from tierdesk.cases import workflow
from tierdesk.cases.enums import Channel, Priority, Source
from tierdesk.cases.models import Case
from tierdesk.organization.models import Customer

IMPORTS = "/api/v1/transfer/imports"


def send(client, kind, content, name="f.csv", **fields):
    handle = io.BytesIO(content)
    handle.name = name
    return client.post(IMPORTS, {"kind": kind, "file": handle, **fields})


def test_upload_check_confirm_and_read_back(client, administrator):
    client.force_login(administrator)

    checked = send(client, "customers", csv_bytes(CUSTOMERS))
    assert checked.status_code == 201, checked.content
    body = checked.json()
    assert (body["state"], body["rows"], body["new"], body["errors"]) == ("valid", 3, 4, [])
    assert not Customer.objects.exists()  # nothing before the confirmation

    confirmed = client.post(f"{IMPORTS}/{body['id']}/confirm")
    assert confirmed.status_code == 200
    assert confirmed.json()["state"] == "imported"
    assert Customer.objects.count() == 2
    assert client.get(f"{IMPORTS}/{body['id']}").json()["imported_at"] is not None


def test_errors_come_back_as_problem_json_by_row_and_column(
    client, administrator, east_site, own_product
):
    client.force_login(administrator)
    rows = cases_file(closed_case_row("OLD-1"), closed_case_row("OLD-2", priority="紧急"))

    response = send(client, "cases", csv_bytes(rows), source="old")

    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    problem = response.json()
    assert problem["code"] == "validation_error"
    [error] = problem["errors"]
    assert (error["row"], error["column"], error["value"]) == (3, "优先级", "紧急")
    assert error["field"] == "row 3: 优先级"
    # The kept upload cannot be confirmed, and nothing was saved.
    again = client.post(f"{IMPORTS}/{problem['import_id']}/confirm")
    assert again.status_code == 422
    assert not Case.objects.exists()


def test_an_unreadable_file_is_a_field_error(client, administrator):
    client.force_login(administrator)
    response = send(client, "products", b"PK\x03\x04 broken", name="p.xlsx")
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "file"


def test_field_engineers_may_not_import_nor_see_anothers_import(
    client, administrator, field_engineer, service_manager
):
    client.force_login(administrator)
    batch_id = send(client, "customers", csv_bytes(CUSTOMERS)).json()["id"]

    client.force_login(field_engineer)
    assert send(client, "customers", csv_bytes(CUSTOMERS)).status_code == 403
    assert client.get(f"{IMPORTS}/{batch_id}").status_code == 404
    assert client.post(f"{IMPORTS}/{batch_id}/confirm").status_code == 404

    # An Engineering Service manager imports too, but not an administrator's upload.
    client.force_login(service_manager)
    assert client.get(f"{IMPORTS}/{batch_id}").status_code == 404
    assert send(client, "customers", csv_bytes(CUSTOMERS)).status_code == 201


def test_case_export_through_the_api_has_only_the_callers_cases(
    client, field_engineer, north_field_engineer, east_site, north_site, own_product, customer
):
    def make(by, site):
        return workflow.open_case(
            by=by, now=NOW, title="t", description="d", customer=customer, site=site,
            product=own_product, source=Source.CUSTOMER, channel=Channel.FIELD,
            priority=Priority.P2,
        )  # fmt: skip

    mine, theirs = make(field_engineer, east_site), make(north_field_engineer, north_site)
    client.force_login(field_engineer)

    response = client.get("/api/v1/transfer/exports/cases.csv?view=all")

    assert response.status_code == 200
    body = b"".join(response.streaming_content).decode("utf-8").lstrip("\ufeff")
    found = {row[0] for row in list(csv.reader(io.StringIO(body)))[1:]}
    assert found == {mine.reference}
    assert theirs.reference not in body
    missing = client.get("/api/v1/transfer/exports/nothing.csv")
    assert missing.status_code == 404
    assert missing["Content-Type"] == "application/problem+json"
