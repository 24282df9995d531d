from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from tierdesk.cases import panels


class OnsiteConfig(AppConfig):
    name = "tierdesk.onsite"
    verbose_name = _("On-site support")

    def ready(self) -> None:
        # The case page's panel asks for this app's records only when the case has any.
        panels.links_to_cases("onsite", self.get_model("OnsiteApplication"))
