"""Fixtures for the query-count tests: the case and knowledge fixtures, and a way to grow data."""

import pytest

from tests.cases.conftest import (  # noqa: F401 (fixtures shared with the case tests)
    _fast_password_hashing,
    customer,
    east_site,
    open_case,
    own_product,
)
from tests.knowledge.conftest import _seeded_dictionary, write_article  # noqa: F401


@pytest.fixture(autouse=True)
def _search_clock_stands_still(still_search_clock):
    """Growing the data between two counts can take longer than the dictionary's check."""


@pytest.fixture
def count_queries(django_assert_max_num_queries):
    """count_queries(budget, call): run call() within the budget; return how many it made."""

    def _count(budget: int, call) -> int:
        with django_assert_max_num_queries(budget) as captured:
            response = call()
        assert response.status_code in (200, 201), response.content[:500]
        return len(captured)

    return _count
