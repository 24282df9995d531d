from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _

from tierdesk.cases import panels


def _dictionary_changed(**kwargs) -> None:
    from tierdesk.knowledge.search import recheck_dictionary

    recheck_dictionary()


def _case_saved(instance, created, update_fields, **kwargs) -> None:
    from tierdesk.knowledge.case_index import case_saved

    case_saved(instance, created=created, update_fields=update_fields)


class KnowledgeConfig(AppConfig):
    name = "tierdesk.knowledge"
    verbose_name = _("Knowledge base")

    def ready(self) -> None:
        # Other processes see a dictionary edit within seconds; this one at once.
        search_term = self.get_model("SearchTerm")
        post_save.connect(_dictionary_changed, sender=search_term, dispatch_uid="search-term-saved")
        post_delete.connect(
            _dictionary_changed, sender=search_term, dispatch_uid="search-term-deleted"
        )
        # Cases are searched as they are saved, whichever part of tierdesk saves them.
        post_save.connect(_case_saved, sender="cases.Case", dispatch_uid="case-saved")
        panels.links_to_cases("knowledge_reuse", self.get_model("ArticleReuse"))
        panels.links_to_cases("knowledge_source", self.get_model("Article").source_cases.through)
