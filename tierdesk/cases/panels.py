"""Which of the case page's lists and side panels have any records for a case, asked in one
statement.

Most cases have no file, on-site application, quality form, article or follow-up, yet each
panel asking on its own cost a query, with its visibility rules compiled, for every page. Each
app with a panel registers the table that links its records to cases (from its
AppConfig.ready); the first panel drawn asks once for all of them, and a panel whose table
holds nothing for the case draws itself without a query. A panel whose table does hold records
still reads them through its own visibility rules: this only says where there is nothing to
look for.
"""

from functools import cache

from django.db import connection
from django.db.models import Model

_LINKS: dict[str, tuple[type[Model], str]] = {}
_ANSWER = "_linked_panels"  # where a case instance keeps the answer for the rest of the request


def links_to_cases(name: str, model: type[Model], field: str = "case") -> None:
    """Register that `model.<field>` (a foreign key to Case) links records of panel `name`."""
    _LINKS[name] = (model, field)


def has_records(case, name: str) -> bool:
    """Whether the table registered as `name` holds any record linked to `case`."""
    answer = case.__dict__.get(_ANSWER)
    if answer is None:
        answer = case.__dict__[_ANSWER] = _linked(case.pk)
    return name in answer


def _linked(case_pk: int) -> frozenset[str]:
    names = tuple(_LINKS)
    if not names:
        return frozenset()
    with connection.cursor() as cursor:
        cursor.execute(_statement(names), [case_pk] * len(names))
        row = cursor.fetchone()
    return frozenset(name for name, found in zip(names, row, strict=True) if found)


@cache
def _statement(names: tuple[str, ...]) -> str:
    quote = connection.ops.quote_name
    checks = []
    for name in names:
        model, field = _LINKS[name]
        table, column = model._meta.db_table, model._meta.get_field(field).column
        checks.append(f"EXISTS (SELECT 1 FROM {quote(table)} WHERE {quote(column)} = %s)")
    return f"SELECT {', '.join(checks)}"
