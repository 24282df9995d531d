"""The process chart is drawn from the transition table the workflow enforces."""

from django.urls import reverse

from tierdesk.cases.chart import process_chart_svg
from tierdesk.cases.enums import Action, Status
from tierdesk.cases.workflow import TRANSITIONS, Transition


def test_help_page_draws_every_state_and_arrow(client, field_engineer):
    client.force_login(field_engineer)
    page = client.get(reverse("process_chart")).text
    for status in Status:
        assert f'data-state="{status.value}"' in page
    assert page.count('class="edge"') >= len(TRANSITIONS)
    assert 'data-from="line2" data-to="rd"' in page
    assert "转研发测试支持部" in page


def test_adding_a_transition_adds_an_arrow():
    extra = Transition(Status.RD, Action.TRANSFER_VENDOR, Status.VENDOR, frozenset())
    before = process_chart_svg(TRANSITIONS)
    after = process_chart_svg([*TRANSITIONS, extra])
    assert 'data-from="rd" data-to="vendor"' not in before
    assert 'data-from="rd" data-to="vendor"' in after
