"""The knowledge counts reports read: articles written and reused, per region and per person."""

import pytest

from tests.knowledge.conftest import FIXED, at
from tierdesk.knowledge import figures, services

pytestmark = pytest.mark.django_db


def test_counts_cover_the_range_and_leave_out_self_reuse(
    write_article, regional_support, field_engineer, resolved_case, east, north
):
    article = write_article(title="FSU 离线", symptom="现象")
    services.record_reuse(article, case=resolved_case, by=field_engineer, now=at(3))
    assert figures.region_counts(region=east, start=FIXED, end=at(5)) == {
        "articles_created": 1,
        "articles_reused": 1,
    }
    assert figures.region_counts(region=north, start=FIXED, end=at(5)) == {
        "articles_created": 0,
        "articles_reused": 0,
    }
    assert figures.people_counts(people=[regional_support], start=FIXED, end=at(5)) == {
        regional_support.pk: {
            "articles_authored": 1,
            "articles_published": 1,
            "reused_by_others": 1,
        }
    }
    assert figures.region_counts(region=east, start=at(4), end=at(5))["articles_reused"] == 0
