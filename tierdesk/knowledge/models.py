"""Knowledge-base articles with every version kept, their reuse, and the search dictionary."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from tierdesk.cases.models import Case
from tierdesk.organization.models import Product


class ArticleState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    IN_REVIEW = "in_review", _("In review")
    PUBLISHED = "published", _("Published")
    ARCHIVED = "archived", _("Archived")


class ArticleAction(models.TextChoices):
    SUBMIT = "submit", _("Submit for review")
    APPROVE = "approve", _("Approve and publish")
    REQUEST_CHANGES = "request_changes", _("Request changes")
    ARCHIVE = "archive", _("Archive")


class ArticleCategory(models.TextChoices):
    HARDWARE = "hardware", _("Hardware fault")
    SOFTWARE = "software", _("Software or firmware")
    CONFIGURATION = "configuration", _("Configuration or wiring")
    NETWORK = "network", _("Network or communication")
    POWER = "power", _("Power and environment")
    INTEGRATION = "integration", _("Integration product")
    OTHER = "other", _("Other")


class ArticleLanguage(models.TextChoices):
    CHINESE = "zh-hans", "简体中文"
    ENGLISH = "en", "English"


# The text an article carries in each version; one list for versions, diffs and the index.
TEXT_FIELDS = [
    "title",
    "symptom",
    "cause",
    "solution",
    "product_versions",
    "tags",
]
VERSIONED_FIELDS = [*TEXT_FIELDS, "product", "category", "language"]


class ArticleContent(models.Model):
    """The fields an article and each of its versions share."""

    title = models.CharField(_("title"), max_length=200)
    symptom = models.TextField(_("symptom"))
    cause = models.TextField(_("cause"), blank=True)
    solution = models.TextField(_("solution"))
    product = models.ForeignKey(
        Product,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("product"),
    )
    product_versions = models.CharField(
        _("product versions"),
        max_length=200,
        blank=True,
        help_text=_("The versions the article applies to, for example “V2.1, V2.2”."),
    )
    tags = models.CharField(
        _("tags"), max_length=300, blank=True, help_text=_("Separated by commas.")
    )
    category = models.CharField(
        _("category"), max_length=20, choices=ArticleCategory.choices, default="other"
    )
    language = models.CharField(
        _("language"),
        max_length=10,
        choices=ArticleLanguage.choices,
        default=ArticleLanguage.CHINESE,
    )

    class Meta:
        abstract = True

    @property
    def tag_list(self) -> list[str]:
        return [tag.strip() for tag in self.tags.replace("，", ",").split(",") if tag.strip()]


class ArticleQuerySet(models.QuerySet):
    def public(self):
        """What every internal user reads: a published version that is not archived."""
        return self.filter(published_version__isnull=False).exclude(state=ArticleState.ARCHIVED)

    def awaiting_review(self):
        return self.filter(state=ArticleState.IN_REVIEW)


class Article(ArticleContent):
    """A solved problem written down: symptom, cause and solution, shared with every region.

    The article's own fields are the working copy (the latest version). Readers see the
    version numbered `published_version`, so a published article stays readable while its
    revision is drafted and reviewed.
    """

    state = models.CharField(
        _("state"),
        max_length=20,
        choices=ArticleState.choices,
        default=ArticleState.DRAFT,
        db_index=True,
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="knowledge_articles",
        verbose_name=_("author"),
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reviewer"),
    )
    review_note = models.TextField(_("review note"), blank=True)
    source_cases = models.ManyToManyField(
        Case, blank=True, related_name="knowledge_articles", verbose_name=_("source cases")
    )
    current_version = models.PositiveIntegerField(_("current version"), default=1)
    published_version = models.PositiveIntegerField(_("published version"), null=True, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"))
    updated_at = models.DateTimeField(_("updated at"))

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-id"]
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        indexes = [
            models.Index(fields=["state", "-id"], name="article_state_recent"),
            # Reports and the assessment count a region's or a person's articles in a period.
            models.Index(fields=["author", "created_at"], name="article_author_created"),
            models.Index(fields=["author", "published_at"], name="article_author_published"),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"

    @property
    def reference(self) -> str:
        return f"KB{self.pk:05d}"

    @property
    def is_public(self) -> bool:
        return self.published_version is not None and self.state != ArticleState.ARCHIVED

    @property
    def has_pending_revision(self) -> bool:
        return self.published_version is not None and self.current_version > self.published_version


class ArticleVersion(ArticleContent):
    """One saved state of an article; never changed afterwards."""

    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="versions", verbose_name=_("article")
    )
    number = models.PositiveIntegerField(_("version"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("saved by"),
    )
    created_at = models.DateTimeField(_("saved at"))
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        ordering = ["article", "-number"]
        verbose_name = _("article version")
        verbose_name_plural = _("article versions")
        constraints = [
            models.UniqueConstraint(fields=["article", "number"], name="unique_article_version")
        ]

    def __str__(self) -> str:
        return f"{self.article_id} v{self.number}"


class ArticleReuse(models.Model):
    """“This solved my case”: the article helped solve this case."""

    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="reuses", verbose_name=_("article")
    )
    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="article_reuses", verbose_name=_("case")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by")
    )
    at = models.DateTimeField(_("at"))

    class Meta:
        ordering = ["-at"]
        verbose_name = _("article reuse")
        verbose_name_plural = _("article reuses")
        constraints = [
            models.UniqueConstraint(fields=["article", "case"], name="unique_article_case_reuse")
        ]

    def __str__(self) -> str:
        return f"{self.article_id} → {self.case_id}"


class ArticleVote(models.Model):
    """One person found the article helpful (once per person)."""

    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="votes", verbose_name=_("article")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("by")
    )
    at = models.DateTimeField(_("at"))

    class Meta:
        verbose_name = _("helpful vote")
        verbose_name_plural = _("helpful votes")
        constraints = [
            models.UniqueConstraint(fields=["article", "user"], name="unique_article_vote")
        ]

    def __str__(self) -> str:
        return f"{self.article_id} {self.user_id}"


class SearchTermKind(models.TextChoices):
    PRODUCT = "product", _("Product term")
    FAULT = "fault", _("Fault term")


class SearchTerm(models.Model):
    """One word of the search dictionary: kept whole when Chinese text is segmented, and
    replaced by its canonical term when it is a synonym (掉线 → 离线)."""

    term = models.CharField(_("term"), max_length=50, unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=SearchTermKind.choices)
    synonym_of = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="synonyms",
        verbose_name=_("synonym of"),
        help_text=_("Leave empty for a canonical term."),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["term"]
        verbose_name = _("search term")
        verbose_name_plural = _("search dictionary")

    def __str__(self) -> str:
        return self.term

    def clean(self) -> None:
        self.term = self.term.strip()
        if self.synonym_of_id and self.synonym_of.synonym_of_id:
            # One hop only: the query side maps a synonym straight to its canonical term.
            raise ValidationError({"synonym_of": _("Choose a canonical term, not a synonym.")})
        if self.pk and self.synonym_of_id == self.pk:
            raise ValidationError({"synonym_of": _("A term cannot be its own synonym.")})


class CaseIndexState(models.Model):
    """Which version of a case its search index row holds, so stale rows are found cheaply."""

    case = models.OneToOneField(
        Case, on_delete=models.CASCADE, primary_key=True, related_name="knowledge_index_state"
    )
    indexed_version = models.PositiveIntegerField()

    def __str__(self) -> str:
        return f"{self.case_id} v{self.indexed_version}"
