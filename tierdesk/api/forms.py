from django import forms
from django.utils.translation import gettext_lazy as _

EXPIRY_CHOICES = [
    ("", _("Never")),
    ("30", _("In 30 days")),
    ("90", _("In 90 days")),
    ("365", _("In a year")),
]


class NewTokenForm(forms.Form):
    name = forms.CharField(
        label=_("Token name"),
        max_length=100,
        help_text=_("What the token is for, e.g. “monitoring script”."),
    )
    expires_in = forms.ChoiceField(label=_("Expires"), choices=EXPIRY_CHOICES, required=False)
