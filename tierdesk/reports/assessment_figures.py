"""The figures of the quarterly assessment (regulation section 7, table 1), as aggregate queries.

Item 1, support satisfaction: per regional technical-support engineer, the follow-ups assigned
to them (the follow-up rules make regional support responsible for the satisfaction survey of
their region's resolved cases) that were answered and closed in the quarter: how many were
surveyed, how they split over the five levels, and the score (mean on the five-point scale).

Item 2, knowledge accumulation: per after-sales technical-support engineer (line 2), the
articles authored, published, reused by others and the trainings given, from
knowledge_figures.
"""

from dataclasses import dataclass

from django.db.models import Count

from tierdesk.followups.enums import Satisfaction
from tierdesk.followups.models import FollowUp
from tierdesk.organization.models import RoleCode, User
from tierdesk.reports.event_management import SATISFACTION_POINTS
from tierdesk.reports.knowledge_figures import PersonKnowledge, people_knowledge
from tierdesk.reports.periods import Period


@dataclass(frozen=True)
class PersonSatisfaction:
    person: User
    levels: dict[str, int]  # every Satisfaction value, best first

    @property
    def surveyed(self) -> int:
        return sum(self.levels.values())

    @property
    def score(self) -> float | None:
        if not self.surveyed:
            return None
        points = sum(SATISFACTION_POINTS[level] * n for level, n in self.levels.items())
        return points / self.surveyed


@dataclass(frozen=True)
class PersonKnowledgeRow:
    person: User
    knowledge: PersonKnowledge


@dataclass(frozen=True)
class QuarterFigures:
    period: Period
    satisfaction: list[PersonSatisfaction]
    knowledge: list[PersonKnowledgeRow]


def _people(role: str):
    return (
        User.objects.filter(roles__code=role, is_active=True, is_service_account=False)
        .select_related("region", "department")
        .order_by("region__code", "last_name", "first_name", "username")
        .distinct()
    )


def satisfaction_by_person(period: Period) -> list[PersonSatisfaction]:
    people = list(_people(RoleCode.REGIONAL_SUPPORT))
    counts: dict[int, dict[str, int]] = {}
    rows = (
        FollowUp.objects.filter(
            assignee__in=[person.pk for person in people],
            closed_at__gte=period.start,
            closed_at__lt=period.end,
        )
        .exclude(satisfaction="")
        .values_list("assignee_id", "satisfaction")
        # COUNT(*), not COUNT(id): the follow_up_answered index then answers it alone.
        .annotate(n=Count("*"))
        .order_by()
    )
    for person_id, level, n in rows:
        counts.setdefault(person_id, {})[level] = n
    return [
        PersonSatisfaction(
            person,
            {level: counts.get(person.pk, {}).get(level, 0) for level in Satisfaction.values},
        )
        for person in people
    ]


def knowledge_by_person(period: Period) -> list[PersonKnowledgeRow]:
    people = list(_people(RoleCode.LINE2_ENGINEER))
    figures = people_knowledge(people=people, period=period)
    return [PersonKnowledgeRow(person, figures[person.pk]) for person in people]


def quarter_figures(period: Period) -> QuarterFigures:
    return QuarterFigures(period, satisfaction_by_person(period), knowledge_by_person(period))
