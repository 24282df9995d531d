"""The follow-up planner the event fan-out calls for every new case history entry."""

from tierdesk.cases.enums import Action, EventKind
from tierdesk.cases.models import CaseEvent
from tierdesk.followups import services


def plan_follow_up(event: CaseEvent) -> int:
    """React to one history entry; returns how many follow-ups were created or cancelled.

    A resolution creates its follow-up (once, however often the event is handed over). A close
    or reopen made outside a follow-up (from the case page) cancels the open follow-up, so a
    later resolution can have its own. Follow-up services change their follow-up in the same
    transaction as the case, so their own close and reopen find nothing open here.
    """
    if event.kind != EventKind.TRANSITION:
        return 0
    if event.action == Action.RESOLVE:
        return 1 if services.plan(resolution=event, now=event.at) is not None else 0
    if event.action in (Action.CLOSE, Action.REOPEN):
        return services.cancel_for(event, now=event.at)
    return 0
