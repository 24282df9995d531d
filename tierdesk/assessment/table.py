"""The rows of table 1 for one quarter: live figures while the quarter is open, the signed-off
figures once it is locked, each with the supervisor's comment."""

from dataclasses import dataclass

from tierdesk.assessment.models import AssessmentComment, Item, QuarterlyAssessment
from tierdesk.followups.enums import Satisfaction
from tierdesk.organization.models import Department, Region
from tierdesk.reports.assessment_figures import quarter_figures
from tierdesk.reports.knowledge_figures import NOT_AVAILABLE

KNOWLEDGE_FIELDS = [
    "articles_authored",
    "articles_published",
    "reused_by_others",
    "trainings_given",
]


@dataclass
class Row:
    item: str
    person_id: int
    name: str
    unit: str
    figures: dict  # satisfaction: levels, surveyed, score; knowledge: KNOWLEDGE_FIELDS
    comment: str = ""


def figures_snapshot(assessment: QuarterlyAssessment) -> dict:
    """The quarter's figures as plain JSON: what a sign-off freezes."""
    figures = quarter_figures(assessment.period)

    def known(value):
        # JSON null stands for a figure that is not available yet.
        return None if value is NOT_AVAILABLE else value

    return {
        Item.SATISFACTION: [
            {
                "person_id": row.person.pk,
                "name": str(row.person),
                "region_id": row.person.region_id,
                "levels": row.levels,
                "surveyed": row.surveyed,
                "score": row.score,
            }
            for row in figures.satisfaction
        ],
        Item.KNOWLEDGE: [
            {
                "person_id": row.person.pk,
                "name": str(row.person),
                "department_id": row.person.department_id,
                **{name: known(getattr(row.knowledge, name)) for name in KNOWLEDGE_FIELDS},
            }
            for row in figures.knowledge
        ],
    }


def assessment_rows(assessment: QuarterlyAssessment) -> dict[str, list[Row]]:
    figures = assessment.figures if assessment.is_locked else figures_snapshot(assessment)
    comments = {}
    if assessment.pk is not None:
        comments = {
            (comment.item, comment.person_id): comment.text
            for comment in AssessmentComment.objects.filter(assessment=assessment)
        }
    # Units by id, named in the reader's language when the rows are shown.
    units = {
        **{("region_id", region.pk): str(region) for region in Region.objects.all()},
        **{
            ("department_id", department.pk): str(department)
            for department in Department.objects.all()
        },
    }

    def unit(entry: dict) -> str:
        for key in ("region_id", "department_id"):
            if entry.get(key) is not None:
                return units.get((key, entry[key]), "")
        return ""

    rows: dict[str, list[Row]] = {}
    for item in Item.values:
        rows[item] = [
            Row(
                item=item,
                person_id=entry["person_id"],
                name=entry["name"],
                unit=unit(entry),
                figures=entry,
                comment=comments.get((item, entry["person_id"]), ""),
            )
            for entry in figures.get(item, [])
        ]
    return rows


def satisfaction_levels() -> list[tuple[str, str]]:
    return [(level.value, str(level.label)) for level in Satisfaction]
