from django import forms
from django.utils.translation import gettext_lazy as _

from tierdesk.followups.enums import FollowUpState, Satisfaction
from tierdesk.followups.models import FollowUp
from tierdesk.followups.services import reassignable_people
from tierdesk.organization.models import Region, RoleCode, User


class AttemptForm(forms.Form):
    reached = forms.TypedChoiceField(
        label=_("Result of the call"),
        choices=[("0", _("Not reached")), ("1", _("Reached, no answer yet"))],
        coerce=lambda value: value == "1",
        initial="0",
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )


class AnswerForm(forms.Form):
    satisfaction = forms.ChoiceField(
        label=_("Satisfaction"), choices=Satisfaction.choices, widget=forms.RadioSelect
    )
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
        help_text=_("Required when dissatisfied: the case is reopened with it."),
    )


class CustomerAnswerForm(AnswerForm):
    """The same five levels, worded for the customer."""

    comment = forms.CharField(
        label=_("Anything you would like to tell us?"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=4000,
        help_text=_("If you are not satisfied, please tell us what is still wrong."),
    )


class ReassignForm(forms.Form):
    to = forms.ModelChoiceField(label=_("Assign to"), queryset=User.objects.none())

    def __init__(self, *args, follow_up: FollowUp, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to"].queryset = reassignable_people(follow_up.case)


class FilterForm(forms.Form):
    state = forms.ChoiceField(
        label=_("State"),
        choices=[("", _("Any state")), *FollowUpState.choices],
        required=False,
    )
    region = forms.ModelChoiceField(
        label=_("Region"),
        queryset=Region.objects.all(),
        required=False,
        empty_label=_("Any region"),
    )
    assignee = forms.ModelChoiceField(
        label=_("Assigned to"),
        queryset=User.objects.filter(
            roles__code__in=[RoleCode.REGIONAL_SUPPORT, RoleCode.SUPERVISOR]
        ).distinct(),
        required=False,
        empty_label=_("Anyone"),
    )
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)

    def __init__(self, *args, may_filter_by_region: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not may_filter_by_region:
            del self.fields["region"]
