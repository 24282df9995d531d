"""Forms of the knowledge pages: they only parse input; the services decide."""

from django import forms
from django.utils.translation import gettext_lazy as _

from tierdesk.knowledge.models import (
    VERSIONED_FIELDS,
    ArticleAction,
    ArticleCategory,
    ArticleState,
    ArticleVersion,
)
from tierdesk.organization.models import Product


class ArticleForm(forms.ModelForm):
    note = forms.CharField(
        label=_("What changed"),
        max_length=300,
        required=False,
        help_text=_("A short note kept with this version."),
    )

    class Meta:
        model = ArticleVersion
        fields = VERSIONED_FIELDS
        widgets = {
            "symptom": forms.Textarea(attrs={"rows": 4}),
            "cause": forms.Textarea(attrs={"rows": 3}),
            "solution": forms.Textarea(attrs={"rows": 6}),
        }


class SearchForm(forms.Form):
    scope = forms.ChoiceField(
        label=_("Search in"),
        choices=[("articles", _("Articles")), ("cases", _("Cases"))],
        required=False,
    )
    q = forms.CharField(label=_("Words"), max_length=200, required=False)
    product = forms.ModelChoiceField(
        label=_("Product"),
        queryset=Product.objects.all(),
        required=False,
        empty_label=_("Any product"),
    )
    category = forms.ChoiceField(
        label=_("Category"),
        choices=[("", _("Any category")), *ArticleCategory.choices],
        required=False,
    )
    state = forms.ChoiceField(
        label=_("State"), choices=[("", _("Any state")), *ArticleState.choices], required=False
    )


class ActionForm(forms.Form):
    action = forms.ChoiceField(choices=ArticleAction.choices, widget=forms.HiddenInput)
    note = forms.CharField(
        label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=2000
    )


class ReuseForm(forms.Form):
    case = forms.IntegerField(
        label=_("Case number"),
        min_value=1,
        help_text=_("The number of the case this article solved, such as 42 for TD0000042."),
    )
