from django import forms
from django.utils.translation import gettext_lazy as _

from tierdesk.audit import trail
from tierdesk.organization.models import User


class ChangeFilterForm(forms.Form):
    what = forms.ChoiceField(label=_("What"), required=False)
    who = forms.ModelChoiceField(
        label=_("Changed by"), queryset=User.objects.order_by("username"), required=False
    )
    since = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["what"].choices = [("", _("Everything")), *trail.model_choices()]


class SignInFilterForm(forms.Form):
    username = forms.CharField(label=_("User name"), required=False, max_length=150)
