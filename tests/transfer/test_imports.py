"""Imports: every kind from UTF-8 CSV, GB18030 CSV and XLSX; errors by row and column; all or
nothing; importing the same file twice changes nothing the second time."""

from datetime import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from tests.transfer.conftest import NOW, SHANGHAI, csv_bytes, xlsx_bytes
from tierdesk.cases.enums import EventKind, Status
from tierdesk.cases.models import Case, CaseEvent, ClockSpan, EventOutbox
from tierdesk.notifications.fanout import fan_out
from tierdesk.notifications.models import Notification
from tierdesk.organization.models import Contact, Customer, Product, ProductVersion, Site
from tierdesk.transfer import services
from tierdesk.transfer.models import BatchState, ImportedCaseReference

CUSTOMERS = [
    ["客户名称", "客户备注", "联系人", "联系人职务", "联系人电话", "联系人邮箱"],
    ["华东电网公司", "重点客户", "张伟", "运维主管", "13800000000", "zhang@example.com"],
    ["华东电网公司", "", "李娜", "", "", ""],
    ["南方航空", "", "", "", "", ""],
]
SITES = [
    ["Customer", "Site", "Region", "Address"],
    ["中国移动江苏公司", "苏州机房", "east", "苏州工业园区"],
    ["中国移动江苏公司", "天津机房", "North China", ""],
]
PRODUCTS = [
    ["产品编码", "产品名称", "产品类别", "版本", "发布日期"],
    ["nvr-8800", "NVR-8800", "视频类集成产品", "V1.0", "2025/6/30"],
    ["nvr-8800", "NVR-8800", "video", "V1.1", "2025年9月1日"],
    ["ups-10", "UPS-10", "Own product", "", ""],
]


def cases_file(*rows):
    header = [
        "原系统编号", "标题", "问题描述", "客户名称", "站点名称", "产品", "版本", "优先级",
        "状态", "创建时间", "解决时间", "关闭时间", "解决方案", "解决人", "解决线",
    ]  # fmt: skip
    return [header, *rows]


def closed_case_row(reference="OLD-1", **changes):
    row = {
        "reference": reference,
        "title": "监控单元离线",
        "description": "每日凌晨离线",
        "customer": "中国移动江苏公司",
        "site": "南京一号机房",
        "product": "fsu-3000",
        "version": "V2.1",
        "priority": "P2",
        "status": "已关闭",
        "opened": "2024-03-01 09:30",
        "resolved": "2024-03-02 17:00",
        "closed": "2024-03-05 10:00",
        "resolution": "升级固件",
        "resolved_by": "",
        "line": "1",
    }
    row.update(changes)
    return list(row.values())


def run(kind, content, name, *, by, source=""):
    upload = SimpleUploadedFile(name, content)
    batch = services.upload(kind=kind, upload_file=upload, source=source, by=by, now=NOW)
    if batch.state == BatchState.VALID:
        services.confirm(batch, by=by, now=NOW)
    return batch


@pytest.mark.parametrize(
    ("name", "encode"),
    [
        ("customers.csv", lambda rows: csv_bytes(rows)),
        ("customers.csv", lambda rows: csv_bytes(rows, bom=True)),
        ("customers.csv", lambda rows: csv_bytes(rows, encoding="gb18030")),
        ("customers.xlsx", xlsx_bytes),
    ],
    ids=["utf8", "utf8-bom", "gb18030", "xlsx"],
)
def test_customers_with_contacts_import_from_every_format(administrator, name, encode):
    batch = run("customers", encode(CUSTOMERS), name, by=administrator)

    assert batch.state == BatchState.IMPORTED, batch.errors
    assert batch.counts == {"rows": 3, "new": 4, "unchanged": 0}
    east_grid = Customer.objects.get(name="华东电网公司")
    assert east_grid.notes == "重点客户"
    assert sorted(east_grid.contacts.values_list("name", flat=True)) == ["张伟", "李娜"]
    assert Contact.objects.get(name="张伟").email == "zhang@example.com"
    assert Customer.objects.filter(name="南方航空").exists()


def test_gb18030_is_detected_and_named(administrator):
    batch = run("customers", csv_bytes(CUSTOMERS, encoding="gb18030"), "c.csv", by=administrator)
    assert batch.encoding == "gb18030"


@pytest.mark.parametrize("encode", [csv_bytes, xlsx_bytes], ids=["csv", "xlsx"])
def test_sites_name_their_customer_and_region_in_either_language(
    administrator, customer, east, north, encode
):
    name = "sites.xlsx" if encode is xlsx_bytes else "sites.csv"
    batch = run("sites", encode(SITES), name, by=administrator)

    assert batch.state == BatchState.IMPORTED, batch.errors
    assert Site.objects.get(name="苏州机房").region == east
    assert Site.objects.get(name="天津机房").region == north


@pytest.mark.parametrize(
    "encode",
    [csv_bytes, lambda rows: csv_bytes(rows, encoding="gb18030"), xlsx_bytes],
    ids=["csv", "gb18030", "xlsx"],
)
def test_products_with_versions_and_category_labels(administrator, encode):
    name = "p.xlsx" if encode is xlsx_bytes else "p.csv"
    batch = run("products", encode(PRODUCTS), name, by=administrator)

    assert batch.state == BatchState.IMPORTED, batch.errors
    nvr = Product.objects.get(code="nvr-8800")
    assert nvr.category == "video"
    assert sorted(nvr.versions.values_list("version", flat=True)) == ["V1.0", "V1.1"]
    assert ProductVersion.objects.get(version="V1.1").released_on.isoformat() == "2025-09-01"
    assert Product.objects.get(code="ups-10").category == "own"


@pytest.mark.parametrize(
    "encode",
    [csv_bytes, lambda rows: csv_bytes(rows, encoding="gb18030"), xlsx_bytes],
    ids=["csv", "gb18030", "xlsx"],
)
def test_historical_cases_keep_their_times_and_announce_nothing(
    administrator, regional_support, east_site, own_product, encode
):
    name = "cases.xlsx" if encode is xlsx_bytes else "cases.csv"
    rows = cases_file(
        closed_case_row("OLD-1", resolved_by="bob"),
        closed_case_row("OLD-2", status="resolved", closed="", line="2"),
    )
    batch = run("cases", encode(rows), name, by=administrator, source="旧客服系统")

    assert batch.state == BatchState.IMPORTED, batch.errors
    closed = ImportedCaseReference.objects.get(reference="OLD-1").case
    assert closed.status == Status.CLOSED
    assert closed.region == east_site.region
    assert closed.opened_at == datetime(2024, 3, 1, 9, 30, tzinfo=SHANGHAI)
    assert closed.closed_at == datetime(2024, 3, 5, 10, 0, tzinfo=SHANGHAI)
    assert closed.owner == regional_support
    assert closed.product_version.version == "V2.1"
    created = closed.events.get(kind=EventKind.CREATED)
    assert "旧客服系统" in created.text and "OLD-1" in created.text
    assert closed.events.filter(to_status=Status.CLOSED).exists()
    resolved = ImportedCaseReference.objects.get(reference="OLD-2").case
    assert resolved.status == Status.RESOLVED and resolved.line == 2
    # No SLA clock runs for a finished case, and the past is not announced to anyone.
    assert not ClockSpan.objects.filter(case__in=[closed, resolved]).exists()
    assert not EventOutbox.objects.filter(event__case__in=[closed, resolved]).exists()
    fan_out(now=NOW)
    assert not Notification.objects.exists()


def test_an_open_historical_case_starts_its_clock_at_the_import(
    administrator, east_site, own_product
):
    row = closed_case_row("OLD-9", status="regional", resolved="", closed="", resolution="")
    batch = run("cases", csv_bytes(cases_file(row)), "c.csv", by=administrator)

    assert batch.state == BatchState.IMPORTED, batch.errors
    case = Case.objects.get()
    assert case.status == Status.REGIONAL and case.is_open
    assert case.clock_spans.get().started_at == NOW


def test_importing_the_same_file_again_creates_nothing(administrator, east_site, own_product):
    for kind, rows in [("customers", CUSTOMERS), ("products", PRODUCTS)]:
        run(kind, csv_bytes(rows), "f.csv", by=administrator)
        again = run(kind, csv_bytes(rows), "f.csv", by=administrator)
        assert again.state == BatchState.IMPORTED
        assert again.counts["new"] == 0
    assert Contact.objects.filter(name="张伟").count() == 1
    assert ProductVersion.objects.filter(product__code="nvr-8800").count() == 2

    content = csv_bytes(cases_file(closed_case_row("OLD-1")))
    run("cases", content, "c.csv", by=administrator, source="old")
    again = run("cases", content, "c.csv", by=administrator, source="old")
    assert again.counts == {"rows": 1, "new": 0, "unchanged": 1}
    assert Case.objects.count() == 1
    assert CaseEvent.objects.count() == 3


def test_every_error_is_reported_by_row_and_column_and_nothing_is_saved(
    administrator, east_site, own_product
):
    rows = cases_file(
        closed_case_row("OLD-1"),
        closed_case_row("OLD-2", customer="不存在的客户", priority="P9", opened="明天"),
        closed_case_row("OLD-1", resolution=""),
        closed_case_row("OLD-4", status="closed", resolved="2024-03-06 10:00"),
    )
    batch = run("cases", csv_bytes(rows), "bad.csv", by=administrator)

    assert batch.state == BatchState.INVALID
    found = {(e["row"], e["column"], e["value"]) for e in batch.errors}
    assert (3, "客户名称", "不存在的客户") in found
    assert (3, "优先级", "P9") in found
    assert (3, "创建时间", "明天") in found
    assert (4, "解决方案", "") in found
    assert (5, "关闭时间", "2024-03-05 10:00") in found  # closed before it was resolved
    assert all(e["message"] for e in batch.errors)
    assert not Case.objects.exists()


def test_duplicates_inside_the_file_name_the_first_row(administrator):
    rows = [CUSTOMERS[0], CUSTOMERS[1], CUSTOMERS[1]]
    batch = run("customers", csv_bytes(rows), "dup.csv", by=administrator)

    assert batch.state == BatchState.INVALID
    [error] = batch.errors
    assert error["row"] == 3 and error["column"] == "联系人" and "2" in error["message"]
    assert not Customer.objects.exists()


@pytest.mark.parametrize("reader_language", ["zh-hans", "en"])
def test_unknown_and_missing_columns_are_row_one_errors(administrator, reader_language):
    rows = [["客户名称", "传真"], ["华东电网公司", "010"]]
    with translation.override(reader_language):
        batch = run("sites", csv_bytes(rows), "s.csv", by=administrator)
    columns = {(e["row"], e["column"]) for e in batch.errors}
    assert (1, "传真") in columns
    # Named the way the file names its other columns, whatever the reader's language.
    assert (1, "站点名称") in columns and (1, "大区") in columns


def test_missing_columns_of_an_english_file_are_named_in_english(administrator):
    rows = [["Customer", "Address"], ["华东电网公司", "苏州"]]
    with translation.override("zh-hans"):
        batch = run("sites", csv_bytes(rows), "s.csv", by=administrator)
    assert {(e["row"], e["column"]) for e in batch.errors} == {(1, "Site"), (1, "Region")}


def test_a_conflict_with_the_database_is_an_error(administrator, east_site, north):
    rows = [*SITES, ["中国移动江苏公司", "南京一号机房", "north", ""]]
    batch = run("sites", csv_bytes(rows), "s.csv", by=administrator)
    [error] = batch.errors
    # The column is named as the file's header names it.
    assert (error["row"], error["column"], error["value"]) == (4, "Region", "north")
    assert Site.objects.get(name="南京一号机房").region == east_site.region


def test_confirm_saves_nothing_when_the_database_changed_since_the_check(
    administrator, east_site, own_product
):
    rows = cases_file(closed_case_row("OLD-1"), closed_case_row("OLD-2"))
    upload = SimpleUploadedFile("c.csv", csv_bytes(rows))
    batch = services.upload(kind="cases", upload_file=upload, by=administrator, now=NOW)
    assert batch.state == BatchState.VALID
    own_product.versions.all().delete()  # the version both rows name is gone

    with pytest.raises(services.ImportRejected):
        services.confirm(batch, by=administrator, now=NOW)

    batch.refresh_from_db()
    assert batch.state == BatchState.INVALID
    assert {e["row"] for e in batch.errors} == {2, 3}
    assert not Case.objects.exists()


def test_a_file_that_is_not_a_spreadsheet_is_refused_in_one_sentence(administrator):
    upload = SimpleUploadedFile("c.xlsx", b"not a zip file")
    with pytest.raises(services.UnreadableFile):
        services.upload(kind="customers", upload_file=upload, by=administrator, now=NOW)
