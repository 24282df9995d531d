"""Forms of the on-site application pages: they only parse input; the workflow decides."""

from django import forms
from django.utils.translation import gettext_lazy as _

from tierdesk.onsite import access, workflow
from tierdesk.onsite.enums import Action, Result, State
from tierdesk.onsite.models import OnsiteApplication
from tierdesk.organization.models import ProductVersion, Region

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ApplicationForm(forms.ModelForm):
    """The applicant's part of appendix A."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = OnsiteApplication
        fields = workflow.EDITABLE_FIELDS
        widgets = {
            "wished_date": DATE_INPUT,
            "fault_description": forms.Textarea(attrs={"rows": 4}),
            "measures_taken": forms.Textarea(attrs={"rows": 3}),
            "skills_needed": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, product, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["product_version"].queryset = ProductVersion.objects.filter(product=product)

    def _post_clean(self):
        # The workflow validates the application as a whole; the form only parses the fields.
        pass


# The inputs a step may ask for, as form fields; the workflow decides which are required.
INPUT_FIELDS = {
    "reason": lambda: forms.CharField(
        label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    ),
    "engineer": lambda: forms.ModelChoiceField(
        label=_("On-site engineer"), queryset=access.dispatchable_engineers(), required=False
    ),
    "planned_start": lambda: forms.DateField(
        label=_("Planned start"), widget=DATE_INPUT, required=False
    ),
    "planned_end": lambda: forms.DateField(
        label=_("Planned end"), widget=DATE_INPUT, required=False
    ),
    "findings": lambda: forms.CharField(
        label=_("Findings"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    ),
    "work_done": lambda: forms.CharField(
        label=_("Work done"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    ),
    "result": lambda: forms.ChoiceField(
        label=_("Result"), choices=[("", "---------"), *Result.choices], required=False
    ),
    "customer_signoff_name": lambda: forms.CharField(
        label=_("Customer sign-off"), max_length=100, required=False
    ),
}


class StepForm(forms.Form):
    """One step of the application; its fields are what the step takes."""

    action = forms.ChoiceField(choices=Action.choices, widget=forms.HiddenInput)
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, action: Action, **kwargs):
        super().__init__(*args, **kwargs)
        transition_needs = {
            need for t in workflow.TRANSITIONS if t.action == action for need in t.needs
        }
        for name in workflow.STEP_INPUTS.get(action, []):
            field = INPUT_FIELDS[name]()
            if name in transition_needs:
                # Shown as required; the workflow checks it all the same.
                field.widget.attrs["aria-required"] = "true"
                field.label = f"{field.label} *"
            self.fields[name] = field


class ListFilterForm(forms.Form):
    state = forms.ChoiceField(
        label=_("State"), choices=[("", _("Any state")), *State.choices], required=False
    )
    region = forms.ModelChoiceField(
        label=_("Region"),
        queryset=Region.objects.all(),
        required=False,
        empty_label=_("Any region"),
    )
    created_from = forms.DateField(label=_("Created from"), widget=DATE_INPUT, required=False)
    created_to = forms.DateField(label=_("Created until"), widget=DATE_INPUT, required=False)
