"""A step in the history of a form (on-site application, quality feedback), as the API shows it."""

from datetime import datetime

from ninja import Schema


class StepOut(Schema):
    action: str
    from_state: str
    to_state: str
    actor: str
    at: datetime
    note: str

    @staticmethod
    def resolve_actor(step) -> str:
        return step.actor.username
