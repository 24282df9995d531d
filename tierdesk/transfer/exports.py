"""Every list a person can see, as CSV or XLSX: the page's rows, filters and visibility, all pages.

Each list names the function its page builds its rows with, so an export can never show a row
the page would hide. CSV is streamed a chunk of rows at a time; XLSX is written with openpyxl's
write-only sheets into a spooled temporary file.
"""

import csv
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import FileResponse, StreamingHttpResponse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook

from tierdesk.cases import access as case_access
from tierdesk.cases import views as case_views
from tierdesk.cases.models import Problem
from tierdesk.followups import views as follow_up_views
from tierdesk.knowledge import access as knowledge_access
from tierdesk.knowledge import services as knowledge_services
from tierdesk.knowledge import views as knowledge_views
from tierdesk.knowledge.forms import SearchForm
from tierdesk.onsite import views as onsite_views
from tierdesk.quality import access as quality_access
from tierdesk.quality.forms import ListFilterForm as QualityFilterForm
from tierdesk.trainings import views as training_views
from tierdesk.trainings.models import AttendanceStatus
from tierdesk.vendors import views as vendor_views
from tierdesk.vendors.enums import TargetState

CSV = "text/csv; charset=utf-8"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMATS = ("csv", "xlsx")
CHUNK = 2000
# The knowledge search ranks in memory; an export takes at most this many of the best matches.
MOST_ARTICLES = 10_000
# A spreadsheet runs a cell starting with one of these as a formula (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value) -> str:
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def when(moment) -> str:
    return f"{timezone.localtime(moment):%Y-%m-%d %H:%M}" if moment else ""


def shown(value) -> str:
    return "" if value is None else str(value)


@dataclass(frozen=True)
class ListExport:
    """One list of the browser UI: its columns, and its rows for a person and the page's query."""

    name: str
    title: object
    columns: list
    rows: Callable  # (user, params, now) -> iterable of row lists


def _chunked(queryset) -> Iterator:
    return queryset.iterator(chunk_size=CHUNK)


# --- the lists -----------------------------------------------------------------------------------


def _case_rows(user, params, now) -> Iterable[list]:
    cases, _view, _filters = case_views.queue_cases(user, params, now=now)
    cases = cases.select_related("region", "owner", "customer", "site", "product").order_by("-id")
    for case in _chunked(cases):
        yield [
            case.reference,
            case.title,
            case.get_status_display(),
            case.priority,
            shown(case.region),
            shown(case.owner),
            shown(case.customer),
            case.site.name,
            case.product.name,
            when(case.opened_at),
            when(case.resolve_due_at),
            when(case.resolved_at),
            when(case.updated_at),
        ]


def _problem_rows(user, params, now) -> Iterable[list]:
    if not case_access.may_see_problems(user):
        raise PermissionDenied
    problems = Problem.objects.select_related("product", "created_by").order_by("-created_at")
    for problem in _chunked(problems):
        yield [
            problem.reference,
            problem.title,
            shown(problem.product),
            problem.get_state_display(),
            shown(problem.created_by),
            when(problem.created_at),
        ]


def _article_rows(user, params, now) -> Iterable[list]:
    if not knowledge_access.may_read_knowledge(user):
        raise PermissionDenied
    form = SearchForm(params or None)
    chosen = form.cleaned_data if form.is_bound and form.is_valid() else {}
    articles = list(knowledge_views.matching_articles(user, chosen, limit=MOST_ARTICLES))
    versions = knowledge_services.shown_versions(articles, user)
    for article in articles:
        version = versions[article.pk]
        yield [
            article.reference,
            version.title,
            article.shown_state.label,
            shown(version.product),
            version.get_category_display(),
            shown(article.author),
            when(article.updated_at),
        ]


def _follow_up_rows(user, params, now) -> Iterable[list]:
    follow_ups, _view, _filters = follow_up_views.listed_follow_ups(user, params, now=now)
    follow_ups = follow_ups.select_related("case__customer", "case__region", "assignee")
    for follow_up in _chunked(follow_ups):
        state = follow_up.get_state_display()
        if follow_up.satisfaction:
            state = f"{state} · {follow_up.get_satisfaction_display()}"
        yield [
            when(follow_up.due_at),
            follow_up.case.reference,
            follow_up.case.title,
            shown(follow_up.case.customer),
            shown(follow_up.case.region),
            shown(follow_up.assignee),
            f"{follow_up.failed_calls} / {follow_up.max_failed_attempts}",
            state,
        ]


def _application_rows(user, params, now) -> Iterable[list]:
    applications, _filters = onsite_views.filtered_applications(user, params)
    applications = applications.select_related(
        "case", "region", "customer", "applicant", "engineer"
    ).order_by("-id")
    for application in _chunked(applications):
        yield [
            application.serial,
            application.case.reference,
            application.get_state_display(),
            shown(application.region),
            shown(application.customer),
            application.get_urgency_display(),
            shown(application.applicant),
            shown(application.engineer),
            when(application.created_at),
        ]


def _feedback_rows(user, params, now) -> Iterable[list]:
    filters = QualityFilterForm(params or None)
    feedbacks = filters.apply(quality_access.feedbacks_visible_to(user))
    feedbacks = feedbacks.select_related("region", "product", "raised_by").order_by("-id")
    for feedback in _chunked(feedbacks):
        yield [
            feedback.serial,
            feedback.get_state_display(),
            shown(feedback.region),
            shown(feedback.product),
            feedback.version_or_batch,
            feedback.get_impact_display(),
            shown(feedback.raised_by),
            when(feedback.created_at),
        ]


def _target(due, state) -> str:
    label = str(TargetState(state).label)
    return f"{when(due)} {label}" if due else label


def _vendor_rows(user, params, now) -> Iterable[list]:
    records, _filters = vendor_views.filtered_records(user, params, now=now)
    records = records.select_related("case", "vendor", "coordinator").order_by("-id")
    for record in _chunked(records):
        yield [
            record.case.reference,
            shown(record.vendor),
            record.vendor_ticket,
            shown(record.coordinator),
            _target(record.response_due_at, record.response_state(now)),
            _target(record.fix_due_at, record.fix_state(now)),
            when(record.updated_at),
        ]


def _training_rows(user, params, now) -> Iterable[list]:
    sessions, _filters = training_views.filtered_sessions(user, params)
    sessions = sessions.annotate(
        invited=Count("attendances", distinct=True),
        attended=Count(
            "attendances",
            filter=Q(attendances__status=AttendanceStatus.ATTENDED),
            distinct=True,
        ),
        covered=Count("articles", distinct=True),
    ).order_by("-held_on", "-id")
    for session in _chunked(sessions):
        yield [
            session.held_on.isoformat(),
            session.title,
            shown(session.region),
            shown(session.trainer),
            session.get_state_display(),
            str(_("Online")) if session.online else session.location,
            session.topics,
            f"{session.attended} / {session.invited}",
            session.covered,
        ]


LISTS = {
    export.name: export
    for export in [
        ListExport(
            "cases",
            _("Cases"),
            [
                _("Reference"),
                _("Title"),
                _("Status"),
                _("Priority"),
                _("Region"),
                _("Owner"),
                _("Customer"),
                _("Site"),
                _("Product"),
                _("Opened at"),
                _("Resolution due"),
                _("Resolved at"),
                _("Updated"),
            ],
            _case_rows,
        ),
        ListExport(
            "problems",
            _("Problems"),
            [
                _("Reference"),
                _("Title"),
                _("Product"),
                _("State"),
                _("Recorded by"),
                _("Recorded at"),
            ],
            _problem_rows,
        ),
        ListExport(
            "articles",
            _("Knowledge articles"),
            [
                _("Reference"),
                _("Title"),
                _("State"),
                _("Product"),
                _("Category"),
                _("Author"),
                _("Updated"),
            ],
            _article_rows,
        ),
        ListExport(
            "follow-ups",
            _("Follow-ups"),
            [
                _("Due"),
                _("Case"),
                _("Title"),
                _("Customer"),
                _("Region"),
                _("Assigned to"),
                _("Failed calls"),
                _("State"),
            ],
            _follow_up_rows,
        ),
        ListExport(
            "onsite",
            _("On-site support applications"),
            [
                _("Serial number"),
                _("Case"),
                _("State"),
                _("Region"),
                _("Customer"),
                _("Urgency"),
                _("Applicant"),
                _("On-site engineer"),
                _("Created"),
            ],
            _application_rows,
        ),
        ListExport(
            "quality",
            _("Quality feedback"),
            [
                _("Serial number"),
                _("State"),
                _("Region"),
                _("Product"),
                _("Version or batch"),
                _("Impact"),
                _("Raised by"),
                _("Created"),
            ],
            _feedback_rows,
        ),
        ListExport(
            "vendors",
            _("Vendor coordination"),
            [
                _("Case"),
                _("Partner vendor"),
                _("Vendor's ticket number"),
                _("Vendor coordinator"),
                _("Response"),
                _("Fix"),
                _("Updated"),
            ],
            _vendor_rows,
        ),
        ListExport(
            "trainings",
            _("Trainings"),
            [
                _("Date"),
                _("Title"),
                _("Region"),
                _("Trainer"),
                _("State"),
                _("Location"),
                _("Topics"),
                _("Attended / invited"),
                _("Articles covered"),
            ],
            _training_rows,
        ),
    ]
}


# --- the files -----------------------------------------------------------------------------------


class _Line:
    """A file-like object whose write hands back the line csv.writer formatted."""

    def write(self, value: str) -> str:
        return value


def _filename(export: ListExport, extension: str) -> str:
    return f"{export.name}-{timezone.localtime():%Y%m%d-%H%M}.{extension}"


def export_response(export: ListExport, *, user, params, fmt: str, now):
    """The whole list as a download; raises PermissionDenied or Http404 as the page would."""
    language = translation.get_language()
    rows = export.rows(user, params, now)
    # Ask for the first row now, so a refusal becomes a 403 before the download has begun.
    rows = iter(rows)
    first = next(rows, None)
    rows = rows if first is None else _prepend(first, rows)
    if fmt == "xlsx":
        return _xlsx(export, rows)
    response = StreamingHttpResponse(_csv_lines(export, rows, language), content_type=CSV)
    response["Content-Disposition"] = f'attachment; filename="{_filename(export, "csv")}"'
    return response


def _prepend(first, rest) -> Iterator:
    yield first
    yield from rest


def _csv_lines(export: ListExport, rows, language: str) -> Iterator[str]:
    # The response is written after the view returns: keep the reader's language for it.
    with translation.override(language):
        writer = csv.writer(_Line())
        # The byte-order mark lets Excel open UTF-8 Chinese text without garbling it.
        yield "\ufeff" + writer.writerow([safe_cell(c) for c in export.columns])
        for row in rows:
            yield writer.writerow([safe_cell(cell) for cell in row])


def _xlsx(export: ListExport, rows) -> FileResponse:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=str(export.title)[:31])
    sheet.append([safe_cell(c) for c in export.columns])
    for row in rows:
        sheet.append([safe_cell(cell) for cell in row])
    # FileResponse closes the file once it has been sent.
    spooled = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)  # noqa: SIM115
    workbook.save(spooled)
    spooled.seek(0)
    return FileResponse(
        spooled,
        as_attachment=True,
        filename=_filename(export, "xlsx"),
        content_type=XLSX,
    )
