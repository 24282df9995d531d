"""Which webhook deliveries a case event causes."""

from tierdesk.cases.models import CaseEvent


def plan_deliveries(event: CaseEvent) -> int:
    """Write one delivery row per matching subscription; return how many."""
    return 0
