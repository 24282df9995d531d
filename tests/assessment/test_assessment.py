"""The quarterly assessment: hand-worked figures, comments, sign-off and lock, exports."""

import subprocess
from io import BytesIO

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation
from openpyxl import load_workbook

from tests.reports.conftest import march
from tierdesk.assessment import services
from tierdesk.assessment.exports import render_assessment_pdf, render_assessment_xlsx
from tierdesk.assessment.models import AssessmentComment, Item
from tierdesk.assessment.table import assessment_rows
from tierdesk.followups.enums import Satisfaction
from tierdesk.knowledge import services as knowledge
from tierdesk.reports.assessment_figures import quarter_figures
from tierdesk.reports.periods import Period
from tierdesk.trainings import services as trainings

Q1 = Period.parse("2026-Q1")
AFTER_Q1 = march(2, 9, month=4)


@pytest.fixture
def q1(db):
    return services.get_or_open_assessment(period=Q1, now=AFTER_Q1)


def rows_by_name(assessment, item):
    return {row.name: row for row in assessment_rows(assessment)[item]}


def test_satisfaction_per_regional_support_engineer(q1_answers, regional_support, north_support):
    figures = {row.person.username: row for row in quarter_figures(Q1).satisfaction}
    bob, rita = figures["bob"], figures["rita"]
    assert bob.levels == {
        "very_satisfied": 2,
        "satisfied": 1,
        "neutral": 0,
        "dissatisfied": 1,
        "very_dissatisfied": 0,
    }
    assert bob.surveyed == 4
    assert bob.score == pytest.approx((5 + 5 + 4 + 2) / 4)  # 4.0
    assert rita.surveyed == 1 and rita.score == 3


def test_knowledge_accumulated_by_a_line2_engineer_in_the_quarter(
    line2_engineer, service_manager, regional_support, field_engineer, make_case
):
    """Carol writes two articles in Q1 (a third in April is outside the quarter); her manager
    publishes one, which is then reused on two cases by line 1."""
    articles = [
        knowledge.create_article(
            by=line2_engineer, now=moment, title=f"告警 {n}", symptom="告警", solution="更换"
        )
        for n, moment in enumerate([march(3), march(4), march(3, month=4)])
    ]
    published = articles[0]
    knowledge.act(published, action="submit", by=line2_engineer, now=march(5))
    published = knowledge.act(published, action="approve", by=service_manager, now=march(6))
    for person, day in ((field_engineer, 7), (regional_support, 8)):
        knowledge.record_reuse(published, case=make_case(), by=person, now=march(day))

    # She trains the east region twice in Q1 (one session is cancelled) and once in April.
    for day, month, held in ((10, 3, True), (12, 3, False), (2, 4, True)):
        session = trainings.plan_session(
            by=regional_support,
            now=march(1),
            title="FSU 离线处理",
            region=regional_support.region,
            trainer=line2_engineer,
            held_on=march(day, month=month).date(),
            topics="FSU 离线的排查。",
        )
        change = trainings.record_held if held else trainings.cancel_session
        change(session, by=regional_support, now=march(day, 18, month=month))

    rows = {row.person: row.knowledge for row in quarter_figures(Q1).knowledge}

    figures = rows[line2_engineer]
    assert (figures.articles_authored, figures.articles_published) == (2, 1)
    assert figures.reused_by_others == 2
    assert figures.trainings_given == 1


def test_supervisor_comments_and_signs_off(q1, q1_answers, supervisor, regional_support):
    services.comment_on_person(
        assessment=q1,
        item=Item.SATISFACTION,
        person=regional_support,
        text="回访及时，继续保持。",
        by=supervisor,
        now=AFTER_Q1,
    )
    signed = services.sign_off_assessment(
        assessment=q1, conclusion="一季度合格。", by=supervisor, now=AFTER_Q1
    )
    assert signed.is_locked and signed.signed_off_by == supervisor
    assert rows_by_name(signed, Item.SATISFACTION)["李博"].comment == "回访及时，继续保持。"


def test_signed_off_quarter_is_locked(q1, q1_answers, supervisor, regional_support):
    services.sign_off_assessment(assessment=q1, conclusion="", by=supervisor, now=AFTER_Q1)
    with pytest.raises(ValidationError):
        services.comment_on_person(
            assessment=q1,
            item=Item.SATISFACTION,
            person=regional_support,
            text="晚了",
            by=supervisor,
            now=AFTER_Q1,
        )
    with pytest.raises(ValidationError):
        services.sign_off_assessment(assessment=q1, conclusion="", by=supervisor, now=AFTER_Q1)
    assert not AssessmentComment.objects.exists()


def test_locked_figures_do_not_change_with_late_answers(
    q1, q1_answers, supervisor, make_case, make_follow_up
):
    services.sign_off_assessment(assessment=q1, conclusion="", by=supervisor, now=AFTER_Q1)
    make_follow_up(make_case(), closed_at=march(30), satisfaction=Satisfaction.VERY_DISSATISFIED)
    q1.refresh_from_db()
    assert rows_by_name(q1, Item.SATISFACTION)["李博"].figures["surveyed"] == 4


def test_quarter_cannot_be_signed_off_before_it_ends(q1, supervisor):
    with pytest.raises(ValidationError):
        services.sign_off_assessment(assessment=q1, conclusion="", by=supervisor, now=march(31))


def test_only_a_supervisor_reviews(q1, q1_answers, administrator, regional_support):
    with pytest.raises(PermissionDenied):
        services.sign_off_assessment(assessment=q1, conclusion="", by=administrator, now=AFTER_Q1)
    with pytest.raises(PermissionDenied):
        services.comment_on_person(
            assessment=q1,
            item=Item.SATISFACTION,
            person=regional_support,
            text="自评",
            by=regional_support,
            now=AFTER_Q1,
        )


def test_comment_only_on_someone_assessed_for_the_item(q1, supervisor, field_engineer):
    with pytest.raises(ValidationError):
        services.comment_on_person(
            assessment=q1,
            item=Item.SATISFACTION,
            person=field_engineer,
            text="?",
            by=supervisor,
            now=AFTER_Q1,
        )


def pdf_text(tmp_path, content: bytes) -> str:
    path = tmp_path / "assessment.pdf"
    path.write_bytes(content)
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


@pytest.fixture
def signed_q1(q1, q1_answers, supervisor, regional_support, line2_engineer):
    # Carol gives one training in the east in March.
    session = trainings.plan_session(
        by=regional_support,
        now=march(1),
        title="FSU 离线处理",
        region=regional_support.region,
        trainer=line2_engineer,
        held_on=march(10).date(),
        topics="FSU 离线的排查。",
    )
    trainings.record_held(session, by=regional_support, now=march(10, 18))
    services.comment_on_person(
        assessment=q1,
        item=Item.SATISFACTION,
        person=regional_support,
        text="回访及时",
        by=supervisor,
        now=AFTER_Q1,
    )
    return services.sign_off_assessment(
        assessment=q1, conclusion="一季度合格", by=supervisor, now=AFTER_Q1
    )


def test_pdf_is_laid_out_like_table_one(tmp_path, signed_q1):
    with translation.override("en"):
        text = pdf_text(tmp_path, render_assessment_pdf(signed_q1))
    for words in [
        "Support satisfaction",
        "Knowledge accumulation",
        "After-sales service supervisor",
        "Quarterly",
        "East China",
    ]:
        assert words in text
    assert "李博" in text and "4.00" in text and "回访及时" in text
    assert "陈卡" in text  # line 2 engineer, with her knowledge figures
    assert "一季度合格" in text and "宋山" in text


def test_xlsx_cells(signed_q1):
    with translation.override("en"):
        workbook = load_workbook(BytesIO(render_assessment_xlsx(signed_q1)))
    rows = list(workbook["2026-Q1"].iter_rows(values_only=True))
    assert rows[3][:6] == (
        "No.",
        "Check item",
        "What is checked",
        "Responsible",
        "Inspector",
        "Frequency",
    )
    assert rows[4][1] == "Support satisfaction" and rows[5][1] == "Knowledge accumulation"
    bob = next(row for row in rows if row[0] == "李博")
    assert bob[:9] == ("李博", "East China", 4, 2, 1, 0, 1, 0, "4.00")
    assert bob[9] == "回访及时"
    carol = next(row for row in rows if row[0] == "陈卡")
    assert carol[2:6] == (0, 0, 0, 1)  # no articles yet; one training given
    assert rows[-2][:2] == ("Conclusion", "一季度合格")


def test_regional_support_cannot_open_the_assessment(browse, regional_support):
    assert browse(regional_support).get("/assessment/2026-Q1/").status_code == 403


def test_reading_an_unreviewed_quarter_stores_nothing(browse, supervisor, q1_answers):
    response = browse(supervisor).get("/assessment/2025-Q4/")
    assert response.status_code == 200
    assert b"Open for review" in response.content
    from tierdesk.assessment.models import QuarterlyAssessment

    assert not QuarterlyAssessment.objects.filter(year=2025).exists()


def test_months_are_not_quarters(browse, supervisor):
    assert browse(supervisor).get("/assessment/2026-03/").status_code == 404
