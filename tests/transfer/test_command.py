"""`tierdesk import <kind> <file> [--dry-run]`: one error per line, exit status 1, all or nothing."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tests.transfer.conftest import csv_bytes, xlsx_bytes
from tests.transfer.test_imports import CUSTOMERS, PRODUCTS, cases_file, closed_case_row
from tierdesk.cases.models import Case
from tierdesk.organization.models import Customer, Product


def test_dry_run_checks_and_saves_nothing(tmp_path, capsys, administrator):
    path = tmp_path / "customers.csv"
    path.write_bytes(csv_bytes(CUSTOMERS, encoding="gb18030"))

    call_command("import", "customers", str(path), "--dry-run")

    assert "3" in capsys.readouterr().out
    assert not Customer.objects.exists()


def test_import_saves_every_row(tmp_path, capsys, administrator):
    path = tmp_path / "products.xlsx"
    path.write_bytes(xlsx_bytes(PRODUCTS))

    call_command("import", "products", str(path))

    assert Product.objects.count() == 2


def test_errors_are_printed_one_per_line_and_exit_with_1(
    tmp_path, capsys, administrator, east_site, own_product
):
    rows = cases_file(
        closed_case_row("OLD-1"),
        closed_case_row("OLD-2", site="不存在的站点", status="暂停"),
    )
    path = tmp_path / "cases.csv"
    path.write_bytes(csv_bytes(rows))

    with pytest.raises(CommandError) as raised:
        call_command("import", "cases", str(path))

    assert raised.value.returncode == 1
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == 2
    assert any("3" in line and "站点名称" in line and "不存在的站点" in line for line in lines)
    assert any("3" in line and "状态" in line and "暂停" in line for line in lines)
    assert not Case.objects.exists()  # the good first row was not saved either


def test_a_missing_file_is_one_line(tmp_path, administrator):
    with pytest.raises(CommandError, match=r"nothing\.csv"):
        call_command("import", "customers", str(tmp_path / "nothing.csv"))
