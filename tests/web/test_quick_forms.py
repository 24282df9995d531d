"""The Python form renderer draws a model's choices as Django's own select does."""

import re

import pytest
from django.db.models import QuerySet

from tierdesk.cases.forms import QueueFilterForm
from tierdesk.web.templatetags.quick_forms import quick_field

OPTION = re.compile(r'<option value="([^"]*)"( selected)?>([^<]*)</option>')


@pytest.mark.django_db
def test_a_model_select_lists_the_same_options_as_django_without_a_cursor(east, north, monkeypatch):
    form = QueueFilterForm({"region": str(north.pk)})
    assert form.is_valid()
    expected = OPTION.findall(str(form["region"].as_widget()))

    def no_cursor(self, *args, **kwargs):
        raise AssertionError("a server-side cursor for a select's choices")

    monkeypatch.setattr(QuerySet, "iterator", no_cursor)
    drawn = OPTION.findall(str(quick_field(form["region"])))

    assert drawn == expected
    assert [label for _value, selected, label in drawn if selected] == [str(north)]
    assert drawn[0][0] == ""  # "any region" comes first
