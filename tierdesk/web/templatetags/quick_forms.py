"""`{% quick_form form %}` and `{% quick_field field %}`: Bootstrap 5 form markup built in Python.

django-bootstrap5 renders every widget through several templates, which costs milliseconds per
field on pages people open all day. These tags write the same markup (label, control, error and
help text, `is-invalid`, `aria-invalid`, `aria-describedby`) directly for the common widgets, and
hand any other widget to Django's own rendering, so a form with an unusual field still comes out
right, only slower.
"""

from html import escape

from django import forms, template
from django.forms.models import ModelChoiceIterator
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

# The widgets written here; their subclasses with their own templates are not (see _is_plain).
_PLAIN_INPUTS = (
    forms.TextInput,
    forms.NumberInput,
    forms.EmailInput,
    forms.URLInput,
    forms.PasswordInput,
    forms.HiddenInput,
    forms.DateInput,
    forms.DateTimeInput,
    forms.TimeInput,
)


def _attributes(attrs: dict) -> SafeString:
    """HTML attributes in order; True means a bare attribute, False and None leave it out."""
    parts = []
    for name, value in attrs.items():
        if value is True:
            parts.append(format_html(" {}", name))
        elif value is not False and value is not None:
            parts.append(format_html(' {}="{}"', name, value))
    return mark_safe("".join(parts))


def _is_plain(widget) -> bool:
    if isinstance(widget, forms.CheckboxInput | forms.Textarea):
        return True
    if isinstance(widget, forms.Select):
        # SelectMultiple, RadioSelect and the null-boolean select have their own value logic.
        return type(widget) is forms.Select
    if isinstance(widget, forms.ClearableFileInput):
        return type(widget) is forms.ClearableFileInput
    if isinstance(widget, forms.FileInput):
        return type(widget) is forms.FileInput
    return isinstance(widget, _PLAIN_INPUTS) and not isinstance(widget, forms.MultipleHiddenInput)


def _listed(choices):
    """A model field's choices read with one plain query: Django's iterator opens a
    server-side cursor on PostgreSQL, three round trips even for a dozen rows."""
    if not isinstance(choices, ModelChoiceIterator):
        return choices
    listed = [choices.choice(record) for record in list(choices.queryset)]
    if choices.field.empty_label is not None:
        listed.insert(0, ("", choices.field.empty_label))
    return listed


def _options(choices, chosen: set[str]) -> str:
    # Escaped by hand: format_html per option was most of a select's cost.
    html = []
    for value, label in choices:
        if isinstance(label, list | tuple):
            html.append(
                f'<optgroup label="{escape(str(value))}">{_options(label, chosen)}</optgroup>'
            )
            continue
        value = "" if value is None else str(value)
        selected = " selected" if value in chosen else ""
        html.append(f'<option value="{escape(value)}"{selected}>{escape(str(label))}</option>')
    return "\n".join(html)


def _control(bound: forms.BoundField, attrs: dict) -> SafeString:
    """The widget's own element, with the given attributes merged over its own."""
    widget = bound.field.widget
    value = bound.value()
    attrs = {**widget.attrs, **attrs}
    if not _is_plain(widget) or (
        isinstance(widget, forms.ClearableFileInput) and widget.is_initial(value)
    ):
        return bound.as_widget(attrs=attrs)
    name = bound.html_name
    if isinstance(widget, forms.CheckboxInput):
        checked = widget.check_test(value)
        return format_html(
            '<input type="checkbox" name="{}"{}>', name, _attributes({**attrs, "checked": checked})
        )
    if isinstance(widget, forms.Textarea):
        text = widget.format_value(value) or ""
        return format_html(
            '<textarea name="{}"{}>\n{}</textarea>', name, _attributes({"cols": 40, **attrs}), text
        )
    if isinstance(widget, forms.Select):
        chosen = {"" if v is None else str(v) for v in widget.format_value(value)}
        return format_html(
            '<select name="{}"{}>\n{}\n</select>',
            name,
            _attributes(attrs),
            mark_safe(_options(_listed(bound.field.choices), chosen)),
        )
    shown = widget.format_value(value)
    return format_html(
        '<input type="{}" name="{}"{}>',
        widget.input_type,
        name,
        _attributes({**({"value": shown} if shown not in (None, "") else {}), **attrs}),
    )


def _hidden(bound: forms.BoundField) -> SafeString:
    return _control(bound, {"id": bound.auto_id or None})


def quick_field(
    bound: forms.BoundField,
    *,
    label_class: str = "form-label",
    wrapper_class: str = "mb-3",
    autofocus: bool = False,
) -> SafeString:
    """One field in Bootstrap 5 markup: label, control, errors, help text."""
    if bound.is_hidden:
        return _hidden(bound)
    widget = bound.field.widget
    field_id = bound.auto_id or None
    errors = bound.errors
    is_checkbox = isinstance(widget, forms.CheckboxInput)
    css = "form-check-input" if is_checkbox else "form-control"
    if isinstance(widget, forms.Select) and not isinstance(widget, forms.SelectMultiple):
        css = "form-select"
    if errors:
        css += " is-invalid"
    described = []
    if errors and field_id:
        described.append(f"{field_id}_error")
    if bound.help_text and field_id:
        described.append(f"{field_id}_help")
    attrs = {
        "class": f"{widget.attrs['class']} {css}" if widget.attrs.get("class") else css,
        "id": field_id,
        "required": bool(
            bound.field.required
            and bound.form.use_required_attribute
            and widget.use_required_attribute(bound.initial)
        ),
        "disabled": bound.field.disabled,
        "aria-invalid": "true" if errors else None,
        "aria-describedby": " ".join(described) or None,
        "autofocus": autofocus,
    }
    if isinstance(widget, forms.TextInput | forms.Textarea) and "placeholder" not in widget.attrs:
        attrs["placeholder"] = bound.label
    control = _control(bound, attrs)
    label = bound.label
    error_html = (
        format_html(
            '<div id="{}_error" class="w-100">{}</div>',
            field_id or bound.html_name,
            format_html_join(
                "", '<div class="invalid-feedback d-block">{}</div>', ((e,) for e in errors)
            ),
        )
        if errors
        else ""
    )
    help_html = (
        format_html('<div id="{}_help" class="form-text">{}</div>', field_id, bound.help_text)
        if bound.help_text
        else ""
    )
    if is_checkbox:
        inner = format_html(
            '<div class="form-check">{}<label class="form-check-label" for="{}">{}</label>{}{}</div>',
            control,
            field_id or "",
            label,
            error_html,
            help_html,
        )
    else:
        label_html = (
            format_html('<label class="{}" for="{}">{}</label>', label_class, field_id or "", label)
            if label
            else ""
        )
        inner = format_html("{}{}{}{}", label_html, control, error_html, help_html)
    return format_html('<div class="{}">{}</div>', wrapper_class, inner)


def form_errors(form: forms.BaseForm) -> SafeString:
    """The errors no visible field shows: the form's own and those of its hidden fields."""
    messages = list(form.non_field_errors())
    for bound in form.hidden_fields():
        messages += [f"{bound.label}: {error}" for error in bound.errors]
    if not messages:
        return mark_safe("")
    return format_html(
        '<ul class="list-unstyled text-danger" role="alert">{}</ul>',
        format_html_join("", "<li>{}</li>", ((m,) for m in messages)),
    )


@register.simple_tag(name="quick_field")
def quick_field_tag(bound, label_class="form-label", wrapper_class="mb-3"):
    return quick_field(bound, label_class=label_class, wrapper_class=wrapper_class)


@register.simple_tag(name="quick_form_errors")
def quick_form_errors(form):
    return form_errors(form)


@register.simple_tag(name="quick_form")
def quick_form(form, autofocus=False):
    """Errors first, then every field in order, as `{% bootstrap_form %}` lays them out.
    With autofocus, the first field people fill takes the focus (htmx honours it on swap)."""
    html = [form_errors(form)]
    for bound in form:
        html.append(quick_field(bound, autofocus=autofocus and not bound.is_hidden))
        autofocus = autofocus and bound.is_hidden
    return mark_safe("".join(html))
