"""Rendering Django forms with GOV.UK Design System markup."""

from __future__ import annotations

from typing import Any

from django import forms, template
from django.forms.boundfield import BoundField
from django.utils.translation import gettext_lazy as _

from safepassage.core.fields import DATE_PARTS, GovukDateWidget

register = template.Library()

_CHOICE_WIDGETS: dict[type, str] = {
    forms.CheckboxSelectMultiple: "checkboxes",
    forms.RadioSelect: "radios",
}


def field_kind(field: BoundField) -> str:
    widget = field.field.widget
    if isinstance(widget, GovukDateWidget):
        return "date"
    for widget_class, kind in _CHOICE_WIDGETS.items():
        if isinstance(widget, widget_class):
            return kind
    if isinstance(widget, forms.CheckboxInput):
        return "checkbox"
    if isinstance(widget, forms.Textarea):
        return "textarea"
    if isinstance(widget, forms.Select):
        return "select"
    return "input"


def first_input_id(field: BoundField) -> str:
    """Where an error summary link should land: the field, or its first option."""
    if field_kind(field) in ("checkboxes", "radios"):
        return f"{field.auto_id}_0"
    if field_kind(field) == "date":
        return f"{field.auto_id}_day"
    return field.auto_id


def _described_by(field: BoundField) -> str:
    ids = []
    if field.help_text:
        ids.append(f"{field.auto_id}-hint")
    if field.errors:
        ids.append(f"{field.auto_id}-error")
    return " ".join(ids)


_INPUT_CLASS = {"input": "govuk-input", "textarea": "govuk-textarea", "select": "govuk-select"}
_ERROR_CLASS = {
    "input": "govuk-input--error",
    "textarea": "govuk-textarea--error",
    "select": "govuk-select--error",
}


@register.inclusion_tag("govuk/field.html")
def govuk_field(
    field: BoundField, label_class: str = "", page_heading: bool = False, input_class: str = ""
) -> dict[str, Any]:
    kind = field_kind(field)
    context: dict[str, Any] = {
        "field": field,
        "kind": kind,
        "label_class": label_class,
        "page_heading": page_heading,
        "described_by": _described_by(field),
    }
    if kind in _INPUT_CLASS:
        classes = [_INPUT_CLASS[kind], field.field.widget.attrs.get("class", ""), input_class]
        if field.errors:
            classes.append(_ERROR_CLASS[kind])
        attrs: dict[str, str | bool] = {"class": " ".join(c for c in classes if c)}
        if context["described_by"]:
            attrs["aria-describedby"] = context["described_by"]
        context["widget_html"] = field.as_widget(attrs=attrs)
    elif kind == "date":
        value = field.value()
        if not isinstance(value, (list, tuple)):
            value = field.field.widget.decompress(value)
        context["parts"] = [
            {
                "name": f"{field.html_name}_{part}",
                "id": f"{field.auto_id}_{part}",
                "value": "" if part_value is None else part_value,
                "label": label,
                "width": 4 if part == "year" else 2,
            }
            for part, part_value, label in zip(
                DATE_PARTS, value, (_("Day"), _("Month"), _("Year")), strict=True
            )
        ]
    elif kind in ("checkboxes", "radios"):
        context["options"] = [
            {
                "id": option.data["attrs"]["id"],
                "name": option.data["name"],
                "value": option.data["value"],
                "label": option.data["label"],
                "checked": option.data["selected"],
                "hint": option.data.get("hint", ""),
            }
            for option in field.subwidgets
        ]
    return context


@register.inclusion_tag("govuk/error_summary.html")
def govuk_error_summary(*forms_with_errors: forms.Form) -> dict[str, Any]:
    items: list[dict[str, str]] = []
    for form in forms_with_errors:
        if form is None or not form.is_bound or not form.errors:
            continue
        items.extend({"text": str(error), "href": ""} for error in form.non_field_errors())
        for bound in form:
            items.extend(
                {"text": str(error), "href": f"#{first_input_id(bound)}"} for error in bound.errors
            )
    return {"items": items}
