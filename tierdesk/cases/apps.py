from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from tierdesk.cases import panels


class CasesConfig(AppConfig):
    name = "tierdesk.cases"
    verbose_name = _("Cases")

    def ready(self) -> None:
        # Most cases have no files: the page lists them only when the case has any.
        panels.links_to_cases("attachments", self.get_model("Attachment"))
