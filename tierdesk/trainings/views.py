"""The training pages: parse the input, call the service, render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from tierdesk.cases.forms import show_errors
from tierdesk.trainings import access, services
from tierdesk.trainings.forms import AttendanceForm, MaterialForm, SessionFilterForm, SessionForm
from tierdesk.trainings.models import AttendanceStatus, SessionState

PAGE = 200


@login_required
def session_list(request):
    user = request.user
    sessions, form = filtered_sessions(user, request.GET)
    return render(
        request,
        "trainings/list.html",
        {
            "form": form if form.is_bound else SessionFilterForm(user=user),
            "sessions": sessions[:PAGE],
            "may_plan": access.may_plan(user),
        },
    )


def filtered_sessions(user, params):
    """The sessions this person may see with the list's filters, latest first: (sessions,
    filter form); the page and its exports list the same rows."""
    form = SessionFilterForm(params or None, user=user)
    sessions = access.sessions_visible_to(user).select_related("region", "trainer")
    if form.is_bound and form.is_valid():
        chosen = form.cleaned_data
        if chosen["region"]:
            sessions = sessions.filter(region=chosen["region"])
        if chosen["trainer"]:
            sessions = sessions.filter(trainer=chosen["trainer"])
        if chosen["state"]:
            sessions = sessions.filter(state=chosen["state"])
        if chosen["start"]:
            sessions = sessions.filter(held_on__gte=chosen["start"])
        if chosen["end"]:
            sessions = sessions.filter(held_on__lte=chosen["end"])
    return sessions, form


def _session_values(form: SessionForm) -> dict:
    data = dict(form.cleaned_data)
    data["articles"] = list(data["articles"])
    data["attendees"] = list(data["attendees"])
    return data


@login_required
def new_session(request):
    user = request.user
    if not access.may_plan(user):
        raise PermissionDenied
    initial = {"region": user.region_id, "trainer": user.pk}
    form = SessionForm(request.POST or None, user=user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            session = services.plan_session(by=user, now=timezone.now(), **_session_values(form))
        except ValidationError as error:
            show_errors(form, error)
        else:
            messages.success(request, _("Training session planned."))
            return redirect("trainings:detail", pk=session.pk)
    return render(request, "trainings/edit.html", {"form": form, "session": None})


@login_required
def edit_session(request, pk: int):
    user = request.user
    session = access.access_session(user, pk)
    if not access.may_edit(session, user):
        raise PermissionDenied
    form = SessionForm(request.POST or None, user=user, instance=session)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_session(session, by=user, now=timezone.now(), **_session_values(form))
        except ValidationError as error:
            show_errors(form, error)
        else:
            messages.success(request, _("Training session saved."))
            return redirect("trainings:detail", pk=session.pk)
    return render(request, "trainings/edit.html", {"form": form, "session": session})


def _detail(request, session, *, attendance_form=None, material_form=None, status=200):
    user = request.user
    may_edit = access.may_edit(session, user)
    return render(
        request,
        "trainings/detail.html",
        {
            "session": session,
            "attendances": session.attendances.select_related("person", "person__region"),
            "articles": session.articles.all(),
            "materials": session.materials.select_related("uploaded_by"),
            "may_edit": may_edit,
            "attendance_form": attendance_form or AttendanceForm(session=session),
            "material_form": material_form or MaterialForm(),
            "statuses": AttendanceStatus.choices,
            "may_hold": may_edit and session.state == SessionState.PLANNED,
        },
        status=status,
    )


@login_required
def session_detail(request, pk: int):
    return _detail(request, access.access_session(request.user, pk))


@login_required
@require_POST
def change_state(request, pk: int):
    user = request.user
    session = access.access_session(user, pk)
    action = {"held": services.record_held, "cancelled": services.cancel_session}.get(
        request.POST.get("state", "")
    )
    if action is None:
        messages.error(request, _("Choose held or cancelled."))
        return redirect("trainings:detail", pk=session.pk)
    try:
        action(session, by=user, now=timezone.now())
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("trainings:detail", pk=session.pk)


@login_required
@require_POST
def attendance(request, pk: int):
    user = request.user
    session = access.access_session(user, pk)
    form = AttendanceForm(request.POST, session=session)
    if form.is_valid():
        try:
            services.mark_attendance(session, by=user, now=timezone.now(), **form.cleaned_data)
        except ValidationError as error:
            show_errors(form, error)
        else:
            messages.success(request, _("Attendance recorded."))
            return redirect("trainings:detail", pk=session.pk)
    return _detail(request, session, attendance_form=form, status=400)


@login_required
@require_POST
def upload_material(request, pk: int):
    user = request.user
    session = access.access_session(user, pk)
    form = MaterialForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.add_material(
                session, by=user, upload=form.cleaned_data["file"], now=timezone.now()
            )
        except ValidationError as error:
            show_errors(form, error)
        else:
            messages.success(request, _("Material added."))
            return redirect("trainings:detail", pk=session.pk)
    return _detail(request, session, material_form=form, status=400)


@login_required
def material_file(request, pk: int, material_pk: int):
    session = access.access_session(request.user, pk)
    item = get_object_or_404(session.materials, pk=material_pk)
    return FileResponse(
        item.file.open("rb"),
        as_attachment=True,
        filename=item.original_name,
        content_type=item.content_type,
    )


def _record_page(request, person):
    return render(
        request,
        "trainings/record.html",
        {"record": services.training_record(person), "is_me": person.pk == request.user.pk},
    )


@login_required
def my_record(request):
    return _record_page(request, request.user)


@login_required
def person_record(request, pk: int):
    return _record_page(request, access.access_person(request.user, pk))
