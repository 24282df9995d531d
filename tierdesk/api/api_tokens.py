"""The caller's own API tokens: list them and revoke one (creating one needs the web page)."""

from datetime import datetime

from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router, Schema

from tierdesk.api import tokens
from tierdesk.api.cases import current_user
from tierdesk.api.errors import Problem
from tierdesk.api.models import ApiToken
from tierdesk.api.pagination import PageParams, page_of, paginate

# Tokens are made only in the browser, after signing in: a leaked token must not be able to
# mint fresh ones that outlive its revocation.
router = Router(tags=["tokens"])


class TokenOut(Schema):
    id: int
    name: str
    prefix: str
    state: str
    created_at: datetime
    last_used_at: datetime | None
    expires_at: datetime | None
    revoked_at: datetime | None

    @staticmethod
    def resolve_prefix(token: ApiToken) -> str:
        return token.display_prefix

    @staticmethod
    def resolve_state(token: ApiToken) -> str:
        return token.state(timezone.now()).value


@router.get("", response={200: page_of(TokenOut), 400: Problem, 401: Problem})
def list_tokens(request: HttpRequest, page: Query[PageParams]) -> dict:
    """My tokens, newest first; never the secret."""
    return paginate(tokens.tokens_of(current_user(request)), page)


@router.post("/{int:token_id}/revoke", response={200: TokenOut, 401: Problem, 404: Problem})
def revoke_token(request: HttpRequest, token_id: int):
    """Revoke one of my tokens (for example the one making this call, when retiring a script)."""
    token = tokens.access_token(current_user(request), token_id)
    return tokens.revoke_token(token, now=timezone.now())
