"""Forms of the vendor coordination pages: they only parse input; the services decide."""

from django import forms
from django.utils.translation import gettext_lazy as _

from tierdesk.organization.models import Vendor
from tierdesk.vendors.enums import EntryKind

DATETIME_INPUT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class TargetsForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    vendor_ticket = forms.CharField(
        label=_("Vendor's ticket number"), max_length=60, required=False
    )
    response_due_at = forms.DateTimeField(
        label=_("Vendor response due"), widget=DATETIME_INPUT, required=False
    )
    fix_due_at = forms.DateTimeField(
        label=_("Vendor fix due"), widget=DATETIME_INPUT, required=False
    )

    def __init__(self, *args, ticket_only: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if ticket_only:
            del self.fields["response_due_at"]
            del self.fields["fix_due_at"]


class EntryForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=EntryKind.choices)
    text = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, kinds: list[EntryKind], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(k.value, k.label) for k in kinds]


class ListFilterForm(forms.Form):
    vendor = forms.ModelChoiceField(
        label=_("Partner vendor"),
        queryset=Vendor.objects.all(),
        required=False,
        empty_label=_("Any vendor"),
    )
    overdue = forms.BooleanField(label=_("Only overdue"), required=False)
