"""The regional period report's figures against data whose results are worked out by hand."""

from datetime import timedelta

import pytest

from tests.reports.conftest import march
from tierdesk.cases import workflow
from tierdesk.cases.enums import Action, Priority
from tierdesk.knowledge import services as knowledge
from tierdesk.reports.event_management import build_regional_report
from tierdesk.reports.periods import Period

MARCH = Period.parse("2026-03")
H, M = timedelta(hours=1), timedelta(minutes=1)


def figures(breakdowns):
    return {row.key: row.count for row in breakdowns}


def test_volume_counts_cases_opened_resolved_and_closed_in_the_period(east, east_march):
    report = build_regional_report(region=east, period=MARCH)
    assert (report.opened, report.resolved, report.closed) == (
        4,
        3,
        1,
    )  # resolved: a, b and e (opened in February)
    assert figures(report.by_line) == {"1": 3, "2": 1, "3": 0}
    assert figures(report.by_priority) == {"P1": 1, "P2": 1, "P3": 2, "P4": 0}
    assert figures(report.by_classification)["onsite"] == 2
    assert figures(report.by_classification)["product_defect"] == 1
    assert figures(report.by_classification)[""] == 1
    assert [(row.label, row.count) for row in report.by_product] == [
        ("FSU-3000", 2),
        ("NVR-8800", 2),
    ]


def test_line_one_median_and_p90_interpolate_between_ranks(east, east_march):
    line1 = build_regional_report(region=east, period=MARCH).lines[0]
    assert line1.spans_ended == 5
    # Response minutes 10, 20, 30, 40, 100: median the 3rd; p90 at 0.9 * 4 = 3.6, 40 + 0.6 * 60.
    assert round(line1.response.median) == 30 * 60
    assert round(line1.response.p90) == 76 * 60
    # Worked hours 1, 2, 4, 8, 9: median 4; p90 8 + 0.6 * 1 = 8.6 h.
    assert round(line1.worked.median) == 4 * 3600
    assert round(line1.worked.p90) == round(8.6 * 3600)
    assert line1.worked_total == 24 * H


def test_line_two_figures_from_two_spans(east, east_march):
    line2 = build_regional_report(region=east, period=MARCH).lines[1]
    assert line2.spans_ended == 2
    # 60 and 120 min: median 90; p90 at 0.9 * 1, 60 + 0.9 * 60 = 114.
    assert round(line2.response.median) == 90 * 60
    assert round(line2.response.p90) == 114 * 60
    assert round(line2.worked.median) == 15 * 3600
    assert round(line2.worked.p90) == 19 * 3600


def test_sla_compliance_counts_only_spans_with_a_target(east, east_march):
    line1, line2, vendor = build_regional_report(region=east, period=MARCH).lines
    assert (line1.with_target, line1.met_target, line1.without_target) == (4, 3, 1)
    assert line1.compliance == 0.75
    assert line2.compliance == 0.5
    assert vendor.spans_ended == 0 and vendor.compliance is None
    assert vendor.response.median is None


def test_satisfaction_distribution_and_score(east, east_march):
    satisfaction = build_regional_report(region=east, period=MARCH).satisfaction
    assert figures(satisfaction.distribution) == {
        "very_satisfied": 2,
        "satisfied": 1,
        "neutral": 1,
        "dissatisfied": 0,
        "very_dissatisfied": 1,
    }
    assert satisfaction.surveyed == 5
    assert satisfaction.score == pytest.approx((5 + 5 + 4 + 3 + 1) / 5)  # 3.6
    assert satisfaction.satisfied_share == pytest.approx(0.6)


def test_most_frequent_problems_of_cases_opened_in_the_period(east, east_march):
    problems = build_regional_report(region=east, period=MARCH).problems
    # Case e (opened in February) does not count for the firmware problem.
    assert [(row.label, row.count) for row in problems] == [("电源模块", 3), ("固件", 1)]


def test_quarter_contains_its_three_months(east, east_march):
    report = build_regional_report(region=east, period=Period.parse("2026-Q1"))
    # Case e opened in February joins the quarter; the February span joins line 1.
    assert report.opened == 5
    assert report.lines[0].spans_ended == 6
    assert report.lines[0].with_target == 5 and report.lines[0].met_target == 4


def test_trend_lists_six_months_up_to_the_period(east, east_march):
    trend = build_regional_report(region=east, period=MARCH).trend
    assert [month.month.key for month in trend] == [
        "2025-10",
        "2025-11",
        "2025-12",
        "2026-01",
        "2026-02",
        "2026-03",
    ]
    assert [(m.opened, m.resolved) for m in trend[-2:]] == [(1, 0), (4, 3)]


def test_knowledge_figures_count_the_regions_articles_and_reuses(
    east,
    open_case,
    north_site,
    field_engineer,
    regional_support,
    line2_engineer,
    north_field_engineer,
):
    """East writes two articles in March (one in February does not count); an article is
    reused on one east case in March; a north reuse does not count for east."""
    case = open_case(field_engineer, now=march(2))
    north_case = open_case(north_field_engineer, now=march(2), site=north_site)
    written = [
        knowledge.create_article(
            by=regional_support, now=moment, title=f"FSU 离线 {n}", symptom="离线", solution="重启"
        )
        for n, moment in enumerate([march(20, month=2), march(3), march(4)])
    ]
    knowledge.act(written[0], action="submit", by=regional_support, now=march(4))
    published = knowledge.act(written[0], action="approve", by=line2_engineer, now=march(4))
    knowledge.record_reuse(published, case=case, by=field_engineer, now=march(5))
    knowledge.record_reuse(published, case=north_case, by=north_field_engineer, now=march(5))

    figures = build_regional_report(region=east, period=MARCH).knowledge

    assert (figures.articles_created, figures.articles_reused) == (2, 1)


def test_business_hours_sla_from_the_workflow(east, open_case, field_engineer):
    """P2 on line 1: 8 working hours on Mon-Fri 9:00-18:00. Opened Friday 6 March 16:00, due
    Monday 9 March 15:00 (2 h on Friday, 6 h on Monday). One resolved Monday 14:30 (7.5 working
    hours, in time), one at 15:30 (8.5 h, late)."""
    for resolved_at in (march(9, 14, 30), march(9, 15, 30)):
        case = open_case(field_engineer, now=march(6, 16), priority=Priority.P2)
        assert case.resolve_due_at == march(9, 15)
        workflow.perform(
            case,
            action=Action.RESOLVE,
            by=field_engineer,
            now=resolved_at,
            text="重新配置了上报地址。",
        )
    line1 = build_regional_report(region=east, period=MARCH).lines[0]
    assert (line1.with_target, line1.met_target) == (2, 1)
    assert line1.compliance == 0.5
    assert round(line1.worked.median) == 8 * 3600  # between 7.5 h and 8.5 h
    assert line1.worked_total == 16 * H


def test_spans_started_by_the_workflow_carry_the_cases_region(
    east, open_case, field_engineer, regional_support
):
    case = open_case(field_engineer, now=march(6, 16))
    workflow.perform(case, action=Action.ESCALATE, by=field_engineer, now=march(6, 17), text="查过")
    workflow.perform(
        case, action=Action.ESCALATE, by=regional_support, now=march(6, 18), text="需二线"
    )
    spans = list(case.clock_spans.order_by("started_at"))
    assert [(span.clock, span.region_id) for span in spans] == [
        ("line1", east.pk),
        ("line2", east.pk),
    ]
