"""The customer's answer link: a signed, expiring token naming one follow-up.

The token is a `TimestampSigner` signature of the follow-up's id. Its age is measured against the
`now` the caller passes in (not the machine's clock), so expiry is testable without waiting.
Using it once is enforced by the follow-up's state, checked under a row lock when the answer
is recorded.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.core import signing
from django.urls import reverse

SALT = "tierdesk.followups.answer-link"


class InvalidLink(Exception):
    """The token was not made by tierdesk, or was changed."""


class ExpiredLink(Exception):
    """The token is genuine but older than the rule allows."""


class _Signer(signing.TimestampSigner):
    """A TimestampSigner whose clock is the `now` given to it."""

    def __init__(self, *, now: datetime):
        super().__init__(salt=SALT)
        self._now = now

    def timestamp(self) -> str:
        return signing.b62_encode(int(self._now.timestamp()))

    def unsign_with_age(self, token: str) -> tuple[str, timedelta]:
        # Signer.unsign checks the signature over "value:timestamp"; the age is then ours.
        value, stamp = signing.Signer.unsign(self, token).rsplit(self.sep, 1)
        return value, timedelta(seconds=self._now.timestamp() - signing.b62_decode(stamp))


def make_token(follow_up_id: int, *, now: datetime) -> str:
    return _Signer(now=now).sign(str(follow_up_id))


def read_token(token: str, *, now: datetime) -> tuple[int, timedelta]:
    """The follow-up id the token names and how old it is; InvalidLink if forged or damaged."""
    try:
        value, age = _Signer(now=now).unsign_with_age(token)
        return int(value), age
    except (signing.BadSignature, ValueError):
        raise InvalidLink from None


def check_age(age: timedelta, *, valid_days: int) -> None:
    if age > timedelta(days=valid_days):
        raise ExpiredLink


def answer_url(token: str) -> str:
    """The absolute address to put in a mail to the customer."""
    path = reverse("followups:answer", kwargs={"token": token})
    return settings.TIERDESK_BASE_URL.rstrip("/") + path
