"""Keyset pagination on id: an opaque cursor, never OFFSET and never COUNT."""

import base64
import binascii

from django.db.models import QuerySet
from ninja import Schema
from pydantic import Field, create_model

from tierdesk.api.errors import BadRequest
from tierdesk.api.fields import MAX_ID, RecordId  # noqa: F401 (other routers import RecordId here)

DEFAULT_LIMIT = 50
MAX_LIMIT = 100


class PageParams(Schema):
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT)
    cursor: str | None = Field(None, description="`next_cursor` of the previous page.")


def encode_cursor(pk: int) -> str:
    return base64.urlsafe_b64encode(str(pk).encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> int:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode("ascii")
        pk = int(raw)
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise BadRequest("The cursor is not valid.") from None
    if not 1 <= pk <= MAX_ID:
        raise BadRequest("The cursor is not valid.")
    return pk


def paginate(queryset: QuerySet, params: PageParams, *, descending: bool = True) -> dict:
    """One page of `queryset` by id: newest first, or oldest first for histories."""
    if params.cursor:
        after = decode_cursor(params.cursor)
        queryset = queryset.filter(id__lt=after) if descending else queryset.filter(id__gt=after)
    queryset = queryset.order_by("-id" if descending else "id")
    items = list(queryset[: params.limit + 1])
    more = len(items) > params.limit
    items = items[: params.limit]
    return {"items": items, "next_cursor": encode_cursor(items[-1].pk) if more else None}


_pages: dict[type, type] = {}


def page_of(item: type[Schema]) -> type[Schema]:
    """The response schema `{"items": [item], "next_cursor": str | null}`."""
    if item not in _pages:
        _pages[item] = create_model(
            f"{item.__name__}Page",
            __base__=Schema,
            items=(list[item], ...),
            next_cursor=(str | None, None),
        )
    return _pages[item]
