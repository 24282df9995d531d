"""The triage pages: mail whose case could not be determined, turned into a case or discarded."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tierdesk.cases.forms import show_errors
from tierdesk.mailin import access, services
from tierdesk.mailin.forms import ConvertForm, DiscardForm
from tierdesk.mailin.models import State
from tierdesk.mailin.parsing import parse

PAGE_SIZE = 50


@login_required
def triage(request):
    mails = access.triage_messages_for(request.user)
    after = request.GET.get("after", "")
    if after.isdigit():
        mails = mails.filter(id__lt=int(after))
    page = list(mails.order_by("-id")[: PAGE_SIZE + 1])
    next_url = None
    if len(page) > PAGE_SIZE:
        page = page[:PAGE_SIZE]
        next_url = f"{reverse('mailin:triage')}?after={page[-1].pk}"
    return render(request, "mailin/triage.html", {"mails": page, "next_url": next_url})


def _detail(request, message, *, convert_form=None, discard_form=None, status=200):
    with message.raw.open("rb") as raw:
        files = parse(raw.read()).attachments
    in_triage = message.state == State.TRIAGE
    context = {
        "mail": message,
        "files": [(f.name, len(f.content)) for f in files],
        "convert_form": (convert_form or ConvertForm(message=message, user=request.user))
        if in_triage
        else None,
        "discard_form": (discard_form or DiscardForm()) if in_triage else None,
    }
    return render(request, "mailin/message.html", context, status=status)


@login_required
def message(request, pk: int):
    return _detail(request, access.access_message(request.user, pk))


@login_required
@require_POST
def convert(request, pk: int):
    mail = access.access_message(request.user, pk)
    form = ConvertForm(request.POST, message=mail, user=request.user)
    if form.is_valid():
        try:
            case = services.convert_to_case(
                mail, by=request.user, now=timezone.now(), **form.cleaned_data
            )
        except ValidationError as error:
            show_errors(form, error)
        else:
            messages.success(
                request,
                _("Case %(reference)s opened from the mail.") % {"reference": case.reference},
            )
            return redirect("cases:detail", pk=case.pk)
    return _detail(request, mail, convert_form=form, status=400)


@login_required
@require_POST
def discard(request, pk: int):
    mail = access.access_message(request.user, pk)
    form = DiscardForm(request.POST)
    if form.is_valid():
        try:
            services.discard(
                mail, by=request.user, reason=form.cleaned_data["reason"], now=timezone.now()
            )
        except ValidationError as error:
            show_errors(form, error)
        else:
            messages.success(request, _("The mail was discarded."))
            return redirect("mailin:triage")
    return _detail(request, mail, discard_form=form, status=400)


@login_required
def original(request, pk: int):
    """The mail as received, as a download: never rendered in the browser."""
    mail = access.access_message(request.user, pk)
    return FileResponse(
        mail.raw.open("rb"),
        as_attachment=True,
        filename=f"mail-{mail.pk}.eml",
        content_type="message/rfc822",
    )
