"""The browser pages of cases and problems: parse the input, call the service, render."""

from dataclasses import dataclass
from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from tierdesk.cases import access, attachments, panels, problems, workflow
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

# What a queue row shows (see case_pages.queue_rows), read as plain values: building fifty
# cases with their regions and owners cost more than the query and the rendering together.
QUEUE_ROW_VALUES = (
    "id",
    "title",
    "status",
    "priority",
    "resolve_due_at",
    "updated_at",
    "region_id",
    "region__name",
    "region__name_en",
    "owner_id",
    "owner__username",
    "owner__first_name",
    "owner__last_name",
)


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
    page = list(cases.order_by("-id").values(*QUEUE_ROW_VALUES)[: PAGE_SIZE + 1])
    next_url = None
    if len(page) > PAGE_SIZE:
        page = page[:PAGE_SIZE]
        params = request.GET.copy()
        params["after"] = page[-1]["id"]
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
        # A filter that does not parse is shown with its error and not applied.
        status=400 if filters.is_bound and filters.errors else 200,
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


@dataclass(frozen=True)
class FormPanel:
    """One form of the case page the viewer may use; the page shows its opening button and
    the form itself is fetched when asked for (see `case_form`)."""

    name: str  # the bound-form key and the URL part: "act_escalate", "assign", "wait", ...
    title: str
    submit_label: str
    post_url: str
    form_url: str
    transition: workflow.Transition | None = None
    multipart: bool = False

    @property
    def action(self) -> str:
        return self.transition.action if self.transition else ""


def _panels(case, user) -> list[FormPanel]:
    """The forms this person may use on this case, in page order (the comment form excepted:
    it is always on the page)."""
    pk = case.pk
    # Reversed once, not once per button.
    form_head, form_tail = reverse("cases:form", args=[pk, "name"]).rsplit("name", 1)

    def panel(name, title, submit_label, post_url, **more) -> FormPanel:
        form_url = f"{form_head}{name}{form_tail}"
        return FormPanel(name, title, submit_label, post_url, form_url, **more)

    act_url = reverse("cases:act", args=[pk])
    panels = [
        panel(
            f"act_{transition.action}",
            transition.action.label,
            transition.action.label,
            act_url,
            transition=transition,
        )
        for transition in workflow.available_transitions(case, user)
    ]
    if workflow.may_assign(case, user):
        panels.append(panel("assign", _("Assign"), _("Assign"), reverse("cases:assign", args=[pk])))
    if access.may_pause(case, user):
        panels.append(
            panel("wait", _("Pause the clocks"), _("Pause"), reverse("cases:wait", args=[pk]))
        )
    if access.may_link_problem(case, user):
        panels.append(
            panel(
                "link", _("Link to a problem"), _("Link"), reverse("cases:link_problem", args=[pk])
            )
        )
    if access.may_edit(case, user):
        panels.append(
            panel("edit", _("Edit details"), _("Save changes"), reverse("cases:edit", args=[pk]))
        )
    panels.append(
        panel(
            "attachment",
            _("Attach a file"),
            _("Upload"),
            reverse("cases:upload", args=[pk]),
            multipart=True,
        )
    )
    return panels


def _blank_form(panel: FormPanel, case, user):
    """The panel's form as it first appears, with the case's current version."""
    version = {"version": case.version}
    auto_id = f"id_{panel.name}_%s"
    if panel.transition is not None:
        return ActionForm(
            case=case,
            transition=panel.transition,
            initial={"action": panel.transition.action, **version},
            auto_id=auto_id,
        )
    if panel.name == "assign":
        return AssignForm(case=case, initial=version, auto_id=auto_id)
    if panel.name == "wait":
        return WaitForm(initial=version, auto_id=auto_id)
    if panel.name == "link":
        return LinkProblemForm(initial=version, auto_id=auto_id)
    if panel.name == "edit":
        return CaseEditForm(instance=case, initial=version, auto_id=auto_id)
    return AttachmentForm(may_mark_internal=access.sees_internal(user), auto_id=auto_id)


def _detail(request, case, bound: dict | None = None, status: int = 200):
    """The case page; `bound` holds forms that came back with errors, by name."""
    user = request.user
    bound = dict(bound or {})
    internal = access.sees_internal(user)
    events = case.events.select_related("actor")
    files = ()
    if panels.has_records(case, "attachments"):
        files = case.attachments.select_related("uploaded_by")
        if not internal:
            files = files.filter(is_internal=False)
    if not internal:
        events = events.filter(is_internal=False)
    # A form that came back with errors is shown open, with what was typed; the others are
    # buttons that fetch their form.
    form_panels = []
    for panel in _panels(case, user):
        form = bound.pop(panel.name, None)
        if form is None and panel.name == "wait" and case.waiting_on:
            form = _blank_form(panel, case, user)  # resuming is one button, no need to open
        form_panels.append((panel, form))
    context = {
        "case": case,
        "now": timezone.now(),
        "events": events,
        "attachments": files,
        "clock_spans": case.clock_spans.all(),
        "panels": form_panels,
        "comment_form": bound.pop("comment", None)
        or CommentForm(may_mark_internal=internal, auto_id="id_comment_%s"),
        # A form that came back for an action the viewer no longer has: show its errors on top.
        "stray_forms": list(bound.values()),
    }
    return render(request, "cases/detail.html", context, status=status)


# The forms that open on demand besides the actions ("act_<action>").
FORM_NAMES = frozenset({"assign", "wait", "link", "edit", "attachment"})


@login_required
def case_form(request, pk: int, name: str):
    """One form of the case page: the fragment htmx puts in place of its button, or, without
    JavaScript, a page of its own. The same checks as the page: 404 for a case the viewer may
    not see, 403 for a form they may not use."""
    case = access.access_case(request.user, pk)
    if name.startswith("act_"):
        if name.removeprefix("act_") not in Action.values:
            raise Http404
    elif name not in FORM_NAMES:
        raise Http404
    panel = next((p for p in _panels(case, request.user) if p.name == name), None)
    if panel is None:
        raise PermissionDenied
    context = {
        "case": case,
        "panel": panel,
        "form": _blank_form(panel, case, request.user),
        "focus_first": True,  # the person asked for this form to fill it in
    }
    if getattr(request, "htmx", False):
        response = render(request, "cases/_case_form.html", context)
    else:
        response = render(request, "cases/case_form.html", context)
    # The same URL answers htmx with a fragment and the browser with a page.
    patch_vary_headers(response, ["HX-Request"])
    return response


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
