"""The case page's side panels ask in one statement whether the case has records for any of them."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.cases.conftest import at
from tests.knowledge.conftest import _seeded_dictionary, write_article  # noqa: F401
from tierdesk.cases import panels
from tierdesk.cases.models import Case
from tierdesk.knowledge import services

PANELS = {"attachments", "onsite", "quality", "followups", "knowledge_reuse", "knowledge_source"}


def test_every_panel_registers_a_link_to_cases():
    assert set(panels._LINKS) == PANELS
    for model, field in panels._LINKS.values():
        assert model._meta.get_field(field).related_model is Case


def test_a_case_without_records_answers_every_panel_with_one_query(open_case, field_engineer):
    case = open_case(field_engineer)
    with CaptureQueriesContext(connection) as queries:
        answers = {name: panels.has_records(case, name) for name in PANELS}
    assert answers == dict.fromkeys(PANELS, False)
    assert len(queries) == 1


def test_records_are_found_only_for_their_own_case(open_case, field_engineer, write_article):  # noqa: F811
    case, other = open_case(field_engineer), open_case(field_engineer)
    article = write_article(title="FSU 离线", symptom="频繁离线", source_cases=[case])
    services.record_reuse(article, case=case, by=field_engineer, now=at(3))

    assert panels.has_records(case, "knowledge_source")
    assert panels.has_records(case, "knowledge_reuse")
    assert not panels.has_records(case, "followups")
    assert not panels.has_records(other, "knowledge_source")
    assert not panels.has_records(other, "knowledge_reuse")
