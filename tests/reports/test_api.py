"""The regional report through the API: the page's figures as JSON, the same access rules."""

import pytest

API = "/api/v1/reports"


def by_key(rows):
    return {row["key"]: row["count"] for row in rows}


def test_regional_support_reads_own_regions_month(api, regional_support, east_march):
    response = api(regional_support).get(f"{API}/regions/east/2026-03")
    assert response.status_code == 200, response.content
    report = response.json()
    assert report["region"]["code"] == "east"
    assert report["period"]["key"] == "2026-03" and report["period"]["kind"] == "month"
    assert (report["opened"], report["resolved"], report["closed"]) == (4, 3, 1)
    assert by_key(report["by_line"]) == {"1": 3, "2": 1, "3": 0}
    assert by_key(report["by_priority"]) == {"P1": 1, "P2": 1, "P3": 2, "P4": 0}
    assert [(row["label"], row["count"]) for row in report["by_product"]] == [
        ("FSU-3000", 2),
        ("NVR-8800", 2),
    ]
    line1 = report["lines"][0]
    assert line1["clock"] == "line1" and line1["spans_ended"] == 5
    assert (line1["met_target"], line1["with_target"], line1["without_target"]) == (3, 4, 1)
    assert line1["compliance"] == pytest.approx(0.75)
    assert round(line1["response"]["median_seconds"]) == 30 * 60
    assert round(line1["response"]["p90_seconds"]) == 76 * 60
    assert line1["worked_total_seconds"] == 24 * 3600
    vendor = report["lines"][2]
    assert vendor["spans_ended"] == 0 and vendor["compliance"] is None
    assert vendor["response"] == {"median_seconds": None, "p90_seconds": None}
    assert report["satisfaction"]["surveyed"] == 5
    assert report["satisfaction"]["score"] == pytest.approx(3.6)
    assert [(row["label"], row["count"]) for row in report["problems"]] == [
        ("电源模块", 3),
        ("固件", 1),
    ]
    assert report["knowledge"] == {"articles_created": 0, "articles_reused": 0}
    assert [month["month"] for month in report["trend"]] == [
        "2025-10",
        "2025-11",
        "2025-12",
        "2026-01",
        "2026-02",
        "2026-03",
    ]
    assert report["trend"][-1]["opened"] == 4
    assert (report["trend"][-2]["opened"], report["trend"][-2]["resolved"]) == (1, 0)


def test_links_lead_to_the_reports_downloads(api, regional_support, east_march):
    client = api(regional_support)
    links = client.get(f"{API}/regions/east/2026-Q1").json()["links"]
    assert links["page"] == "/reports/east/2026-Q1/"
    response = client.get(links["xlsx"])
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert client.get(links["pdf"])["Content-Type"] == "application/pdf"


def test_quarter_holds_its_three_months(api, line2_engineer, east_march):
    report = api(line2_engineer).get(f"{API}/regions/east/2026-Q1").json()
    assert report["period"]["kind"] == "quarter"
    assert (report["opened"], report["resolved"]) == (5, 3)  # e was opened in February


def test_another_regions_report_is_not_found(api, regional_support, east_march):
    response = api(regional_support).get(f"{API}/regions/north/2026-03")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["code"] == "not_found"
    assert api(regional_support).get(f"{API}/regions/nowhere/2026-03").status_code == 404


@pytest.mark.parametrize("period", ["2026-13", "march", "2026-Q5", "2026-3"])
def test_a_bad_period_is_a_field_error(api, regional_support, east_march, period):
    response = api(regional_support).get(f"{API}/regions/east/{period}")
    assert response.status_code == 422
    problem = response.json()
    assert problem["code"] == "validation_error"
    assert problem["errors"][0]["field"] == "period"
    assert "2026-Q1" in problem["detail"]


def test_index_lists_the_regions_one_may_read(api, regional_support, line2_engineer, east, north):
    mine = api(regional_support).get(API).json()
    assert [region["code"] for region in mine["regions"]] == ["east"]
    kinds = [period["kind"] for period in mine["periods"]]
    assert kinds.count("quarter") == 4 and kinds.count("month") == 12
    everyone = api(line2_engineer).get(API).json()
    assert sorted(region["code"] for region in everyone["regions"]) == ["east", "north"]


def test_someone_without_reports_reads_none(api, vendor_contact, east_march):
    assert api(vendor_contact).get(API).json()["regions"] == []
    assert api(vendor_contact).get(f"{API}/regions/east/2026-03").status_code == 404


def test_anonymous_gets_401(client, east):
    response = client.get(f"{API}/regions/east/2026-03")
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


def test_supervisor_dashboard_per_region(api, supervisor, regional_support, east, north):
    response = api(supervisor).get(f"{API}/dashboard")
    assert response.status_code == 200
    figures = response.json()
    assert sorted(row["region"]["code"] for row in figures["regions"]) == ["east", "north"]
    assert figures["quarter"]["kind"] == "quarter"
    assert api(regional_support).get(f"{API}/dashboard").status_code == 403
