"""The import pages and the export downloads: parse the input, call the service, render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tierdesk.transfer import access, exports, services
from tierdesk.transfer.columns import COLUMNS
from tierdesk.transfer.forms import UploadForm
from tierdesk.transfer.models import BatchState, ImportBatch, ImportKind
from tierdesk.transfer.reading import UnreadableFile
from tierdesk.transfer.templates_files import template_workbook


@login_required
def imports(request):
    """Upload a file to check; the kinds, their columns and templates; my recent imports."""
    if not access.may_import(request.user):
        raise PermissionDenied
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        chosen = form.cleaned_data
        try:
            batch = services.upload(
                kind=chosen["kind"],
                upload_file=chosen["file"],
                encoding=chosen["encoding"],
                source=chosen["source"].strip(),
                by=request.user,
                now=timezone.now(),
            )
        except UnreadableFile as error:
            form.add_error("file", str(error))
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return redirect("transfer:batch", pk=batch.pk)
    language = translation.get_language() or "zh-hans"
    kinds = [
        (kind, label, [(c, c.header(language)) for c in COLUMNS[kind]])
        for kind, label in ImportKind.choices
    ]
    recent = ImportBatch.objects.filter(created_by=request.user)[:20]
    return render(
        request,
        "transfer/imports.html",
        {"form": form, "kinds": kinds, "recent": recent},
        status=400 if form.is_bound and form.errors else 200,
    )


@login_required
def batch(request, pk: int):
    """The preview: what the file would create, and every error by row and column."""
    found = access.access_batch(request.user, pk)
    return render(
        request,
        "transfer/batch.html",
        {"batch": found, "may_confirm": found.state == BatchState.VALID},
    )


@login_required
@require_POST
def confirm(request, pk: int):
    found = access.access_batch(request.user, pk)
    try:
        services.confirm(found, by=request.user, now=timezone.now())
    except services.ImportRejected as rejected:
        messages.error(request, str(rejected))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("Imported: %(new)s new, %(unchanged)s already present.") % found.counts,
        )
    return redirect("transfer:batch", pk=found.pk)


@login_required
def template(request, kind: str):
    """The template workbook of one kind, with its headers in the reader's language."""
    if kind not in ImportKind.values:
        raise Http404
    if not access.may_import(request.user):
        raise PermissionDenied
    content = template_workbook(kind, translation.get_language() or "zh-hans")
    response = HttpResponse(content, content_type=exports.XLSX)
    response["Content-Disposition"] = f'attachment; filename="tierdesk-{kind}-template.xlsx"'
    return response


@login_required
def export(request, name: str, fmt: str):
    """A list as the reader sees it on its page, with the page's filters, every page of it."""
    found = exports.LISTS.get(name)
    if found is None or fmt not in exports.FORMATS:
        raise Http404
    return exports.export_response(
        found, user=request.user, params=request.GET, fmt=fmt, now=timezone.now()
    )
