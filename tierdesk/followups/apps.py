from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from tierdesk.cases import panels


class FollowupsConfig(AppConfig):
    name = "tierdesk.followups"
    verbose_name = _("Follow-ups")

    def ready(self) -> None:
        # The case page's panel asks for this app's records only when the case has any.
        panels.links_to_cases("followups", self.get_model("FollowUp"))
