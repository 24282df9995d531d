from django.contrib import admin

from tierdesk.knowledge.models import Article, ArticleVersion, SearchTerm


@admin.register(SearchTerm)
class SearchTermAdmin(admin.ModelAdmin):
    """The search dictionary: product and fault terms, and the synonyms people type."""

    list_display = ["term", "kind", "synonym_of", "updated_at"]
    list_filter = ["kind"]
    search_fields = ["term"]
    autocomplete_fields = ["synonym_of"]


class VersionInline(admin.TabularInline):
    model = ArticleVersion
    fields = ["number", "title", "author", "created_at", "note"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    """Read-only: articles change through the knowledge pages, which keep versions and the index."""

    list_display = ["title", "state", "author", "current_version", "published_version"]
    list_filter = ["state", "category"]
    search_fields = ["title"]
    inlines = [VersionInline]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
