"""Forms of the triage pages: they parse input; the mail-in services decide."""

from django import forms
from django.utils.translation import gettext_lazy as _

from tierdesk.cases.enums import Priority
from tierdesk.mailin.models import InboundMessage
from tierdesk.organization import permissions
from tierdesk.organization.models import Contact, Customer, Product, ProductVersion, Site, User


class ConvertForm(forms.Form):
    """A new case from a mail, prefilled with what mail-in recognised."""

    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 6}))
    customer = forms.ModelChoiceField(label=_("Customer"), queryset=Customer.objects.all())
    site = forms.ModelChoiceField(label=_("Site"), queryset=Site.objects.none())
    contact = forms.ModelChoiceField(
        label=_("Contact"), queryset=Contact.objects.none(), required=False
    )
    product = forms.ModelChoiceField(label=_("Product"), queryset=Product.objects.none())
    product_version = forms.ModelChoiceField(
        label=_("Product version"), queryset=ProductVersion.objects.none(), required=False
    )
    priority = forms.ChoiceField(label=_("Priority"), choices=Priority.choices)

    def __init__(self, *args, message: InboundMessage, user: User, **kwargs):
        kwargs.setdefault("initial", initial_for(message))
        super().__init__(*args, **kwargs)
        sites = Site.objects.select_related("customer", "region")
        if permissions.is_line1(user) and not permissions.is_line2(user) and user.region_id:
            sites = sites.filter(region_id=user.region_id)
        self.fields["site"].queryset = sites
        self.fields["contact"].queryset = Contact.objects.select_related("customer")
        self.fields["product"].queryset = Product.objects.filter(is_active=True)
        self.fields["product_version"].queryset = ProductVersion.objects.select_related("product")


def initial_for(message: InboundMessage) -> dict:
    return {
        "title": message.subject[:200],
        "description": message.body or message.subject,
        "customer": message.customer_id,
        "site": message.site_id,
        "contact": message.sender_contact_id,
        "product": message.product_id,
        "priority": Priority.P3,
    }


class DiscardForm(forms.Form):
    reason = forms.CharField(label=_("Why discard this mail?"), max_length=500)
