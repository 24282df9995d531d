"""Input types shared by the routers: what a request may send as an id or as text."""

from typing import Annotated

from django.utils.translation import gettext as _
from pydantic import AfterValidator, Field

# The largest id a 64-bit primary key holds; larger numbers cannot name a record and would
# overflow the database driver instead of simply finding nothing.
MAX_ID = 2**63 - 1

RecordId = Annotated[int, Field(ge=1, le=MAX_ID)]


def refuse_nul(value: str | None) -> str | None:
    # PostgreSQL refuses NUL in text; say so as a field error rather than failing later.
    if value is not None and "\x00" in value:
        raise ValueError(_("The text contains a NUL character."))
    return value


PlainText = Annotated[str, AfterValidator(refuse_nul)]
