"""The browser pages of cases and problems: parse the input, call the service, render."""

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from tierdesk.cases import access, attachments, problems, workflow
from tierdesk.cases.enums import Action
from tierdesk.cases.forms import (
    ActionForm,
    AssignForm,
    AttachmentForm,
    CaseEditForm,
    CommentForm,
    LinkProblemForm,
    NewCaseForm,
    ProblemForm,
    QueueFilterForm,
    ResolveProblemForm,
    WaitForm,
    show_errors,
)
from tierdesk.cases.models import Problem

PAGE_SIZE = 50
DUE_SOON = timedelta(hours=4)
QUEUE_VIEWS = [
    ("mine", _("Mine")),
    ("group", _("My group")),
    ("region", _("My region")),
    ("due_soon", _("Due soon")),
    ("breached", _("Breached")),
    ("all", _("All")),
]


# Queue -----------------------------------------------------------------------------------------


def _queue_tab(cases, view: str, user, now):
    if view == "mine":
        return cases.filter(owner=user)
    if view == "group":
        statuses = [s for s, roles in workflow.GROUP_ROLES.items() if user.has_role(*roles)]
        return cases.filter(status__in=statuses)
    if view == "region":
        return cases.open().filter(region_id=user.region_id) if user.region_id else cases.none()
    if view == "due_soon":
        return cases.open().filter(resolve_due_at__gte=now, resolve_due_at__lte=now + DUE_SOON)
    if view == "breached":
        return cases.open().breached()
    return cases


def queue_cases(user, params, *, now):
    """The cases of one queue tab with its filters: (cases, tab, filter form); the page and its
    exports list the same rows."""
    view = params.get("view", "mine")
    if view not in dict(QUEUE_VIEWS):
        view = "mine"
    cases = _queue_tab(access.cases_visible_to(user), view, user, now)
    filters = QueueFilterForm(params or None)
    if filters.is_bound and filters.is_valid():
        chosen = filters.cleaned_data
        if chosen["status"]:
            cases = cases.filter(status=chosen["status"])
        if chosen["priority"]:
            cases = cases.filter(priority=chosen["priority"])
        if chosen["region"]:
            cases = cases.filter(region=chosen["region"])
        if chosen["product"]:
            cases = cases.filter(product=chosen["product"])
        if chosen["q"]:
            cases = cases.filter(title__icontains=chosen["q"])
    return cases, view, filters


@login_required
def queue(request):
    now = timezone.now()
    cases, view, filters = queue_cases(request.user, request.GET, now=now)
    after = request.GET.get("after", "")
    if after.isdigit():
        cases = cases.filter(id__lt=int(after))
    page = list(cases.select_related("region", "owner").order_by("-id")[: PAGE_SIZE + 1])
    next_url = None
    if len(page) > PAGE_SIZE:
        page = page[:PAGE_SIZE]
        params = request.GET.copy()
        params["after"] = page[-1].pk
        next_url = f"{reverse('cases:queue')}?{params.urlencode()}"
    # Switching tabs keeps the filters and starts again at the first page.
    kept = {k: v for k, v in request.GET.items() if k not in ("view", "after") and v}
    tabs = [
        (key, label, f"{reverse('cases:queue')}?{urlencode({'view': key, **kept})}")
        for key, label in QUEUE_VIEWS
    ]
    return render(
        request,
        "cases/queue.html",
        {
            "cases": page,
            "filters": filters if filters.is_bound else QueueFilterForm(),
            "view": view,
            "tabs": tabs,
            "next_url": next_url,
            "now": now,
            "may_open": access.may_open_cases(request.user),
        },
    )


# New case --------------------------------------------------------------------------------------


@login_required
def new_case(request):
    if not access.may_open_cases(request.user):
        raise PermissionDenied
    form = NewCaseForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            case = workflow.open_case(by=request.user, now=timezone.now(), **form.cleaned_data)
        except ValidationError as error:
            show_errors(form, error)
        else:
            messages.success(
                request, _("Case %(reference)s created.") % {"reference": case.reference}
            )
            return redirect("cases:detail", pk=case.pk)
    return render(request, "cases/new.html", {"form": form})


# Case detail -----------------------------------------------------------------------------------


def _action_forms(case, user, bound: dict):
    forms = []
    for transition in workflow.available_transitions(case, user):
        key = f"act_{transition.action}"
        form = bound.pop(key, None) or ActionForm(
            case=case,
            transition=transition,
            initial={"action": transition.action, "version": case.version},
            auto_id=f"id_{key}_%s",
        )
        forms.append((transition, form))
    return forms


def _detail(request, case, bound: dict | None = None, status: int = 200):
    """The case page; `bound` holds forms that came back with errors, by name."""
    user = request.user
    bound = dict(bound or {})
    internal = access.sees_internal(user)
    events = case.events.select_related("actor")
    files = case.attachments.select_related("uploaded_by")
    if not internal:
        events = events.filter(is_internal=False)
        files = files.filter(is_internal=False)
    action_forms = _action_forms(case, user, bound)
    may_assign = workflow.may_assign(case, user)
    may_pause = access.may_pause(case, user)
    context = {
        "case": case,
        "now": timezone.now(),
        "events": events,
        "attachments": files,
        "clock_spans": case.clock_spans.all(),
        "action_forms": action_forms,
        "assign_form": (
            bound.pop("assign", None)
            or AssignForm(case=case, initial={"version": case.version}, auto_id="id_assign_%s")
        )
        if may_assign
        else None,
        "comment_form": bound.pop("comment", None)
        or CommentForm(may_mark_internal=internal, auto_id="id_comment_%s"),
        "attachment_form": bound.pop("attachment", None)
        or AttachmentForm(may_mark_internal=internal, auto_id="id_attachment_%s"),
        "wait_form": (
            bound.pop("wait", None)
            or WaitForm(initial={"version": case.version}, auto_id="id_wait_%s")
        )
        if may_pause
        else None,
        "link_form": (
            bound.pop("link", None)
            or LinkProblemForm(initial={"version": case.version}, auto_id="id_link_%s")
        )
        if access.may_link_problem(case, user)
        else None,
        "edit_form": (
            bound.pop("edit", None)
            or CaseEditForm(instance=case, initial={"version": case.version}, auto_id="id_edit_%s")
        )
        if access.may_edit(case, user)
        else None,
        # A form that came back for an action the viewer no longer has: show its errors on top.
        "stray_forms": list(bound.values()),
    }
    return render(request, "cases/detail.html", context, status=status)


@login_required
def detail(request, pk: int):
    return _detail(request, access.access_case(request.user, pk))


def _done(request, case, message):
    messages.success(request, message)
    return redirect("cases:detail", pk=case.pk)


def _failed(request, case, name: str, form, error: Exception):
    """Show a service's refusal on the form that caused it, keeping what was typed."""
    case = access.access_case(request.user, case.pk)  # show the case as it is now
    if isinstance(error, workflow.ConflictError):
        form.add_error(None, str(error))
        return _detail(request, case, {name: form}, status=409)
    show_errors(form, error)
    return _detail(request, case, {name: form}, status=400)


@login_required
@require_POST
def act(request, pk: int):
    user = request.user
    case = access.access_case(user, pk)
    action = request.POST.get("action", "")
    transition = next(
        (t for t in workflow.available_transitions(case, user) if t.action == action), None
    )
    if transition is None:
        transition = workflow.TRANSITION_BY_KEY.get((case.status, action))
    key = f"act_{action}"
    form = ActionForm(request.POST, case=case, transition=transition, auto_id=f"id_{key}_%s")
    if not form.is_valid():
        return _detail(request, case, {key: form}, status=400)
    data = form.cleaned_data
    try:
        workflow.perform(
            case,
            action=data["action"],
            by=user,
            now=timezone.now(),
            text=data.get("text", ""),
            classification=data.get("classification") or None,
            vendor=data.get("vendor"),
            coordinator=data.get("coordinator"),
            expected_version=data["version"],
        )
    except (ValidationError, workflow.ConflictError) as error:
        return _failed(request, case, key, form, error)
    return _done(request, case, _("%(action)s: done.") % {"action": Action(action).label})


@login_required
@require_POST
def assign(request, pk: int):
    user = request.user
    case = access.access_case(user, pk)
    form = AssignForm(request.POST, case=case, auto_id="id_assign_%s")
    if not form.is_valid():
        return _detail(request, case, {"assign": form}, status=400)
    to = user if "take" in request.POST else form.cleaned_data["to"]
    if to is None:
        form.add_error("to", _("Choose a person."))
        return _detail(request, case, {"assign": form}, status=400)
    try:
        workflow.assign(
            case, by=user, to=to, now=timezone.now(), expected_version=form.cleaned_data["version"]
        )
    except (ValidationError, workflow.ConflictError) as error:
        return _failed(request, case, "assign", form, error)
    return _done(request, case, _("Assigned to %(person)s.") % {"person": to})


@login_required
@require_POST
def comment(request, pk: int):
    user = request.user
    case = access.access_case(user, pk)
    form = CommentForm(
        request.POST, may_mark_internal=access.sees_internal(user), auto_id="id_comment_%s"
    )
    if not form.is_valid():
        return _detail(request, case, {"comment": form}, status=400)
    try:
        workflow.comment(
            case,
            by=user,
            text=form.cleaned_data["text"],
            internal=form.cleaned_data.get("internal", False),
            now=timezone.now(),
        )
    except (ValidationError, workflow.ConflictError) as error:
        return _failed(request, case, "comment", form, error)
    return _done(request, case, _("Comment added."))


@login_required
@require_POST
def upload(request, pk: int):
    user = request.user
    case = access.access_case(user, pk)
    form = AttachmentForm(
        request.POST,
        request.FILES,
        may_mark_internal=access.sees_internal(user),
        auto_id="id_attachment_%s",
    )
    if not form.is_valid():
        return _detail(request, case, {"attachment": form}, status=400)
    try:
        attachments.add_attachment(
            case,
            by=user,
            upload=form.cleaned_data["file"],
            internal=form.cleaned_data.get("internal", False),
            now=timezone.now(),
        )
    except ValidationError as error:
        return _failed(request, case, "attachment", form, error)
    return _done(request, case, _("File attached."))


@login_required
@require_POST
def edit(request, pk: int):
    user = request.user
    case = access.access_case(user, pk)
    form = CaseEditForm(request.POST, instance=case, auto_id="id_edit_%s")
    if not form.is_valid():
        return _detail(request, case, {"edit": form}, status=400)
    changes = {name: form.cleaned_data[name] for name in workflow.EDITABLE_FIELDS}
    try:
        changed = workflow.update_case(
            case,
            by=user,
            changes=changes,
            now=timezone.now(),
            expected_version=form.cleaned_data["version"],
        )
    except (ValidationError, workflow.ConflictError) as error:
        return _failed(request, case, "edit", form, error)
    if not changed:
        return _done(request, case, _("Nothing was changed."))
    return _done(request, case, _("Case updated."))


@login_required
def attachment(request, pk: int, att_pk: int):
    case = access.access_case(request.user, pk)
    item = get_object_or_404(case.attachments, pk=att_pk)
    if item.is_internal and not access.sees_internal(request.user):
        raise Http404
    return FileResponse(
        item.file.open("rb"),
        as_attachment=True,
        filename=item.original_name,
        content_type=item.content_type,
    )


@login_required
@require_POST
def wait(request, pk: int):
    user = request.user
    case = access.access_case(user, pk)
    form = WaitForm(request.POST, auto_id="id_wait_%s")
    if not form.is_valid():
        return _detail(request, case, {"wait": form}, status=400)
    try:
        if "resume" in request.POST:
            workflow.stop_waiting(
                case, by=user, now=timezone.now(), expected_version=form.cleaned_data["version"]
            )
            message = _("The clocks run again.")
        else:
            workflow.wait_for(
                case,
                by=user,
                waiting_on=form.cleaned_data["waiting_on"],
                now=timezone.now(),
                expected_version=form.cleaned_data["version"],
            )
            message = _("The clocks are paused.")
    except (ValidationError, workflow.ConflictError) as error:
        return _failed(request, case, "wait", form, error)
    return _done(request, case, message)


@login_required
@require_POST
def link_problem(request, pk: int):
    user = request.user
    case = access.access_case(user, pk)
    form = LinkProblemForm(request.POST, auto_id="id_link_%s")
    if not form.is_valid():
        return _detail(request, case, {"link": form}, status=400)
    problem = form.cleaned_data["problem"]
    try:
        problems.link_case(
            case,
            problem=problem,
            by=user,
            now=timezone.now(),
            expected_version=form.cleaned_data["version"],
        )
    except (ValidationError, workflow.ConflictError) as error:
        return _failed(request, case, "link", form, error)
    return _done(request, case, _("Linked to %(problem)s.") % {"problem": problem.reference})


# Problems --------------------------------------------------------------------------------------


@login_required
def problem_list(request):
    if not access.may_see_problems(request.user):
        raise PermissionDenied
    items = Problem.objects.select_related("product", "created_by").order_by("-created_at")
    return render(
        request,
        "cases/problems.html",
        {"problems": items, "may_manage": access.may_manage_problems(request.user)},
    )


@login_required
def problem_new(request):
    if not access.may_manage_problems(request.user):
        raise PermissionDenied
    form = ProblemForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            problem = problems.open_problem(
                by=request.user, now=timezone.now(), **form.cleaned_data
            )
        except ValidationError as error:
            show_errors(form, error)
        else:
            messages.success(
                request, _("Problem %(reference)s recorded.") % {"reference": problem.reference}
            )
            return redirect("cases:problem", pk=problem.pk)
    return render(request, "cases/problem_new.html", {"form": form})


@login_required
def problem_detail(request, pk: int):
    user = request.user
    if not access.may_see_problems(user):
        raise PermissionDenied
    problem = get_object_or_404(Problem.objects.select_related("product", "created_by"), pk=pk)
    may_resolve = access.may_manage_problems(user) and problem.state != Problem.State.RESOLVED
    form = None
    status = 200
    if may_resolve:
        resolvable = problems.open_cases_resolvable_by(problem, user)
        form = ResolveProblemForm(
            request.POST or None, resolvable=resolvable, auto_id="id_resolve_%s"
        )
        if request.method == "POST":
            if form.is_valid():
                try:
                    problems.resolve_problem(
                        problem,
                        by=user,
                        resolution=form.cleaned_data["resolution"],
                        now=timezone.now(),
                        cases=list(form.cleaned_data["cases"]),
                    )
                except (ValidationError, workflow.ConflictError) as error:
                    if isinstance(error, workflow.ConflictError):
                        form.add_error(None, str(error))
                    else:
                        show_errors(form, error)
                    problem.refresh_from_db()
                    status = 400
                else:
                    messages.success(
                        request,
                        _("Problem %(reference)s resolved.") % {"reference": problem.reference},
                    )
                    return redirect("cases:problem", pk=problem.pk)
            else:
                status = 400
    elif request.method == "POST":
        raise PermissionDenied
    linked = (
        access.cases_visible_to(user)
        .filter(problem=problem)
        .select_related("region", "owner")
        .order_by("-id")
    )
    return render(
        request,
        "cases/problem_detail.html",
        {"problem": problem, "cases": linked, "form": form, "now": timezone.now()},
        status=status,
    )
