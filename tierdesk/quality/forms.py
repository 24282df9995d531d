"""Forms of the quality feedback pages: they only parse input; the workflow decides."""

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from tierdesk.cases.models import Case
from tierdesk.organization.models import Product, Region
from tierdesk.quality import workflow
from tierdesk.quality.enums import Action, Frequency, Impact, State

CASE_REFERENCE = re.compile(r"^(?:TD)?0*(\d+)$", re.IGNORECASE)


class FeedbackForm(forms.Form):
    region = forms.ModelChoiceField(label=_("Region"), queryset=Region.objects.none())
    product = forms.ModelChoiceField(
        label=_("Product"), queryset=Product.objects.filter(is_active=True)
    )
    version_or_batch = forms.CharField(label=_("Version or batch"), max_length=100)
    fault_description = forms.CharField(
        label=_("Fault description"), widget=forms.Textarea(attrs={"rows": 4})
    )
    frequency = forms.ChoiceField(label=_("Frequency"), choices=Frequency.choices)
    impact = forms.ChoiceField(label=_("Impact"), choices=Impact.choices)
    case_references = forms.CharField(
        label=_("Linked cases"),
        required=False,
        help_text=_("Case numbers separated by spaces or commas, such as TD0000012."),
    )

    def __init__(self, *args, regions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = regions

    def clean_case_references(self) -> list[Case]:
        references = [
            r for r in re.split(r"[\s,，;；]+", self.cleaned_data["case_references"]) if r
        ]
        ids = []
        for reference in references:
            match = CASE_REFERENCE.match(reference)
            if match is None:
                raise forms.ValidationError(
                    _("“%(reference)s” is not a case number.") % {"reference": reference}
                )
            ids.append(int(match.group(1)))
        cases = list(Case.objects.filter(pk__in=ids))
        if len(cases) != len(set(ids)):
            raise forms.ValidationError(_("You may link only cases you can see."))
        return cases


INPUT_FIELDS = {
    "note": lambda: forms.CharField(
        label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    ),
    "root_cause": lambda: forms.CharField(
        label=_("Root cause"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    ),
    "fix": lambda: forms.CharField(
        label=_("Fix"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    ),
    "fix_version": lambda: forms.CharField(label=_("Fix version"), max_length=100, required=False),
}


class StepForm(forms.Form):
    """One step of the form; its fields are what the step takes."""

    action = forms.ChoiceField(choices=Action.choices, widget=forms.HiddenInput)
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, action: Action, **kwargs):
        super().__init__(*args, **kwargs)
        needs = {need for t in workflow.TRANSITIONS if t.action == action for need in t.needs}
        for name in workflow.STEP_INPUTS.get(action, []):
            field = INPUT_FIELDS[name]()
            if name in needs:
                # Shown as required; the workflow checks it all the same.
                field.widget.attrs["aria-required"] = "true"
                field.label = f"{field.label} *"
            self.fields[name] = field


class EvidenceForm(forms.Form):
    file = forms.FileField(label=_("Evidence file"))


class ListFilterForm(forms.Form):
    state = forms.ChoiceField(
        label=_("State"), choices=[("", _("Any state")), *State.choices], required=False
    )
    product = forms.ModelChoiceField(
        label=_("Product"),
        queryset=Product.objects.all(),
        required=False,
        empty_label=_("Any product"),
    )
    region = forms.ModelChoiceField(
        label=_("Region"),
        queryset=Region.objects.all(),
        required=False,
        empty_label=_("Any region"),
    )

    def apply(self, feedbacks):
        if not (self.is_bound and self.is_valid()):
            return feedbacks
        chosen = self.cleaned_data
        if chosen["state"]:
            feedbacks = feedbacks.filter(state=chosen["state"])
        if chosen["product"]:
            feedbacks = feedbacks.filter(product=chosen["product"])
        if chosen["region"]:
            feedbacks = feedbacks.filter(region=chosen["region"])
        return feedbacks
