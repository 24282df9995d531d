"""Adding and removing search-dictionary terms, shared by the migrations that seed them.

Its name starts with an underscore, so Django does not take it for a migration.
"""


def add_terms(apps, terms: dict, more_synonyms: dict) -> None:
    """terms: canonical term → (kind, synonyms); more_synonyms: an existing canonical term →
    synonyms to add to it (skipped when that term is gone)."""
    SearchTerm = apps.get_model("knowledge", "SearchTerm")
    for term, (kind, synonyms) in terms.items():
        canonical, _created = SearchTerm.objects.get_or_create(term=term, defaults={"kind": kind})
        for synonym in synonyms:
            SearchTerm.objects.get_or_create(
                term=synonym, defaults={"kind": kind, "synonym_of": canonical}
            )
    for term, synonyms in more_synonyms.items():
        canonical = SearchTerm.objects.filter(term=term, synonym_of=None).first()
        if canonical is None:
            continue
        for synonym in synonyms:
            SearchTerm.objects.get_or_create(
                term=synonym, defaults={"kind": canonical.kind, "synonym_of": canonical}
            )


def remove_terms(apps, terms: dict, more_synonyms: dict) -> None:
    SearchTerm = apps.get_model("knowledge", "SearchTerm")
    names = [t for term, (_kind, syn) in terms.items() for t in [term, *syn]]
    names += [t for synonyms in more_synonyms.values() for t in synonyms]
    SearchTerm.objects.filter(term__in=names).delete()
