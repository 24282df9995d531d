"""Forms of the case pages: they only parse input; the workflow services decide."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from tierdesk.cases import workflow
from tierdesk.cases.enums import Action, Classification, Priority, Status, WaitingOn
from tierdesk.cases.models import Case, Problem
from tierdesk.organization import permissions
from tierdesk.organization.models import Product, Region, Site, User, Vendor


def show_errors(form: forms.Form, error: ValidationError) -> None:
    """Put a service's ValidationError next to the fields it names, the rest on top."""
    if hasattr(error, "error_dict"):
        for name, messages in error.message_dict.items():
            form.add_error(name if name in form.fields else None, messages)
    else:
        form.add_error(None, error.messages)


class QueueFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("Any status")), *Status.choices], required=False
    )
    priority = forms.ChoiceField(
        label=_("Priority"), choices=[("", _("Any priority")), *Priority.choices], required=False
    )
    region = forms.ModelChoiceField(
        label=_("Region"),
        queryset=Region.objects.all(),
        required=False,
        empty_label=_("Any region"),
    )
    product = forms.ModelChoiceField(
        label=_("Product"),
        queryset=Product.objects.all(),
        required=False,
        empty_label=_("Any product"),
    )
    q = forms.CharField(label=_("Title contains"), required=False, max_length=200)


class NewCaseForm(forms.ModelForm):
    class Meta:
        model = Case
        fields = [
            "title",
            "description",
            "customer",
            "site",
            "contact",
            "product",
            "product_version",
            "source",
            "channel",
            "priority",
        ]

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        sites = Site.objects.select_related("customer", "region")
        if permissions.is_line1(user) and user.region_id:
            sites = sites.filter(region_id=user.region_id)
        self.fields["site"].queryset = sites
        self.fields["contact"].queryset = self.fields["contact"].queryset.select_related("customer")
        self.fields["product"].queryset = Product.objects.filter(is_active=True)
        self.fields["product_version"].queryset = self.fields[
            "product_version"
        ].queryset.select_related("product")

    def _post_clean(self):
        # The workflow validates the case as a whole; the form only parses the fields.
        pass


class ActionForm(forms.Form):
    """One arrow of the chart; its fields depend on what the transition needs."""

    action = forms.ChoiceField(choices=Action.choices, widget=forms.HiddenInput)
    version = forms.IntegerField(widget=forms.HiddenInput)
    text = forms.CharField(
        label=_("Text"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    classification = forms.ChoiceField(label=_("Classification"), required=False)
    vendor = forms.ModelChoiceField(
        label=_("Partner vendor"), queryset=Vendor.objects.none(), required=False
    )
    coordinator = forms.ModelChoiceField(
        label=_("Vendor coordinator"), queryset=User.objects.none(), required=False
    )

    def __init__(self, *args, case: Case, transition: workflow.Transition | None, **kwargs):
        super().__init__(*args, **kwargs)
        self.transition = transition
        if transition is None:
            return
        if transition.needs:
            self.fields["text"].label = workflow.NEED_LABELS[transition.needs]
        else:
            del self.fields["text"]
        if transition.classifications:
            allowed = sorted(transition.classifications)
            self.fields["classification"].choices = [(c, Classification(c).label) for c in allowed]
            if case.classification in allowed:
                self.fields["classification"].initial = case.classification
        else:
            del self.fields["classification"]
        if transition.action == Action.TRANSFER_VENDOR:
            self.fields["vendor"].queryset = Vendor.objects.filter(
                coverages__category=case.product.category
            ).distinct()
            self.fields["coordinator"].queryset = (
                User.objects.filter(is_active=True, roles__code__in=permissions.COORDINATOR_ROLES)
                .distinct()
                .order_by("username")
            )
        else:
            del self.fields["vendor"]
            del self.fields["coordinator"]


class AssignForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    to = forms.ModelChoiceField(label=_("Assign to"), queryset=User.objects.none(), required=False)

    def __init__(self, *args, case: Case, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to"].queryset = workflow.assignable_people(case)


class CommentForm(forms.Form):
    text = forms.CharField(
        label=_("Comment"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    internal = forms.BooleanField(
        label=_("Internal (not shown to partner vendors or customers)"),
        required=False,
        initial=True,
    )

    def __init__(self, *args, may_mark_internal: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not may_mark_internal:
            del self.fields["internal"]


class AttachmentForm(forms.Form):
    file = forms.FileField(label=_("File"))
    internal = forms.BooleanField(
        label=_("Internal (not shown to partner vendors or customers)"),
        required=False,
        initial=True,
    )

    def __init__(self, *args, may_mark_internal: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not may_mark_internal:
            del self.fields["internal"]


class WaitForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    waiting_on = forms.ChoiceField(
        label=_("Waiting on"),
        choices=[
            (WaitingOn.CUSTOMER, WaitingOn.CUSTOMER.label),
            (WaitingOn.VENDOR, WaitingOn.VENDOR.label),
        ],
        required=False,
    )


class LinkProblemForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    problem = forms.ModelChoiceField(
        label=_("Problem"),
        queryset=Problem.objects.exclude(state=Problem.State.RESOLVED).order_by("-created_at"),
    )


class CaseEditForm(forms.ModelForm):
    """The descriptive fields a case's engineers may correct; each change is recorded."""

    version = forms.IntegerField(widget=forms.HiddenInput)

    class Meta:
        model = Case
        fields = workflow.EDITABLE_FIELDS
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, instance: Case, **kwargs):
        super().__init__(*args, instance=instance, **kwargs)
        self.fields["contact"].queryset = instance.customer.contacts.all()
        self.fields["product_version"].queryset = instance.product.versions.all()

    def _post_clean(self):
        # Leave the instance untouched: update_case compares old and new values itself.
        pass


class ProblemForm(forms.ModelForm):
    class Meta:
        model = Problem
        fields = ["title", "description", "product", "root_cause", "workaround"]

    def _post_clean(self):
        pass


class ResolveProblemForm(forms.Form):
    resolution = forms.CharField(
        label=_("Resolution"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    cases = forms.ModelMultipleChoiceField(
        label=_("Also resolve these open cases"),
        queryset=Case.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(self, *args, resolvable: list[Case], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cases"].queryset = Case.objects.filter(pk__in=[c.pk for c in resolvable])
        self.fields["cases"].initial = [c.pk for c in resolvable]
