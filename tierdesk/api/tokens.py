"""Create, revoke and check personal API tokens.

A token reads `tdk_<prefix>_<secret>`. The prefix finds the row; the secret is 32 random bytes,
so a fast SHA-256 is enough to store it safely (there is nothing to guess), and the comparison
is constant-time so response times do not leak how much of a hash matched.
"""

import hashlib
import hmac
import secrets
from datetime import datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from tierdesk.api.models import ApiToken
from tierdesk.organization.models import User

TOKEN_PREFIX = "tdk"
SECRET_BYTES = 32
# A busy client calls many times a minute; recording each call would write on every request.
LAST_USED_PRECISION = timedelta(minutes=1)


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _split(raw: str) -> tuple[str, str] | None:
    """The prefix and secret of a well-formed token, else None."""
    head, _sep, rest = (raw or "").strip().partition("_")
    prefix, _sep, secret = rest.partition("_")
    if head != TOKEN_PREFIX or not prefix or not secret:
        return None
    return prefix, secret


def may_hold_tokens(user: User) -> bool:
    # Service accounts act for background jobs and cannot sign in; they get no keys either.
    return user.is_active and not user.is_service_account


def tokens_of(user: User) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=user)


def access_token(user: User, pk: int) -> ApiToken:
    """One of this person's own tokens; anyone else's is 404, never a hint that it exists."""
    token = tokens_of(user).filter(pk=pk).first()
    if token is None:
        raise Http404
    return token


@transaction.atomic
def create_token(
    *, user: User, name: str, now: datetime, expires_at: datetime | None = None
) -> tuple[ApiToken, str]:
    """Make a token; the plain text is returned here once and never stored."""
    if not may_hold_tokens(user):
        raise PermissionDenied(_("This account cannot hold API tokens."))
    if expires_at is not None and expires_at <= now:
        raise ValidationError({"expires_at": _("The expiry must be in the future.")})
    prefix = secrets.token_hex(4)
    while ApiToken.objects.filter(prefix=prefix).exists():
        prefix = secrets.token_hex(4)
    secret = secrets.token_urlsafe(SECRET_BYTES)
    token = ApiToken(
        user=user,
        name=(name or "").strip(),
        prefix=prefix,
        secret_hash=_hash(secret),
        created_at=now,
        expires_at=expires_at,
    )
    token.full_clean()
    token.save()
    return token, f"{TOKEN_PREFIX}_{prefix}_{secret}"


@transaction.atomic
def revoke_token(token: ApiToken, *, now: datetime) -> ApiToken:
    """Stop the token working at once; revoking twice keeps the first time."""
    locked = ApiToken.objects.select_for_update().get(pk=token.pk)
    if locked.revoked_at is None:
        locked.revoked_at = now
        locked.save(update_fields=["revoked_at"])
    return locked


def authenticate_token(raw: str, *, now: datetime) -> User | None:
    """The person a token acts for, or None if it is unknown, revoked, expired or disabled."""
    parts = _split(raw)
    if parts is None:
        return None
    prefix, secret = parts
    token = ApiToken.objects.select_related("user").filter(prefix=prefix).first()
    if token is None or not hmac.compare_digest(token.secret_hash, _hash(secret)):
        return None
    if not token.is_active(now) or not may_hold_tokens(token.user):
        return None
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_PRECISION:
        # A plain UPDATE: no lost write when two requests with the same token race.
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
