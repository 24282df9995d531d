from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from tierdesk.cases import panels


class QualityConfig(AppConfig):
    name = "tierdesk.quality"
    verbose_name = _("Quality feedback")

    def ready(self) -> None:
        # The case page's panel asks for this app's records only when the case has any.
        panels.links_to_cases("quality", self.get_model("QualityFeedback").cases.through)
