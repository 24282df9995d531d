from django import forms
from django.utils.translation import gettext_lazy as _

from tierdesk.webhooks.models import SUBSCRIBABLE_EVENT_TYPES


class SubscriptionForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    target_url = forms.URLField(
        label=_("Target URL"),
        max_length=500,
        help_text=_("tierdesk POSTs signed JSON here; http or https only."),
    )
    event_types = forms.MultipleChoiceField(
        label=_("Events"),
        choices=[(t.value, t.label) for t in SUBSCRIBABLE_EVENT_TYPES],
        widget=forms.CheckboxSelectMultiple,
    )
