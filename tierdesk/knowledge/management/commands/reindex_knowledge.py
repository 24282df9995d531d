"""Rewrite every search index row, after the search dictionary was changed.

Articles and cases are indexed as they change, so this is needed only when a term or synonym
is added or changed and existing rows should be segmented with it. Safe to re-run.
"""

from django.core.management.base import BaseCommand

from tierdesk.knowledge.case_index import refresh_case_index
from tierdesk.knowledge.models import Article, CaseIndexState
from tierdesk.knowledge.services import index_article


class Command(BaseCommand):
    help = "Rebuild the knowledge-base and case search indexes with the current dictionary."

    def handle(self, *args, **options) -> None:
        articles = 0
        for article in Article.objects.iterator(chunk_size=500):
            index_article(article)
            articles += 1
        # Forgetting the indexed versions makes every case stale, so the usual pass redoes them.
        CaseIndexState.objects.all().delete()
        cases = refresh_case_index()
        self.stdout.write(f"indexed {articles} articles and {cases} cases")
