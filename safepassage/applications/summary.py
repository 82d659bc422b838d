"""The answers as a person reads them: the check-your-answers page, and the status page."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.utils.translation import gettext as _

from safepassage.applications.questions import Answers, Question, applicable
from safepassage.core.local_dates import joined, partial_date


@dataclass(frozen=True)
class Row:
    key: str
    value: str
    slug: str


def _display(field: forms.Field, value: Any) -> str:
    if value in (None, "", []):
        return ""
    if isinstance(field, forms.BooleanField):
        return _("Yes") if value else _("No")
    if isinstance(field, forms.MultipleChoiceField):
        labels = dict(field.choices)  # type: ignore[arg-type]
        return joined([str(labels.get(item, item)) for item in value])
    if isinstance(field, forms.ChoiceField):
        return str(dict(field.choices).get(value, value))  # type: ignore[arg-type]
    if isinstance(field, forms.MultiValueField):
        return partial_date(str(value))
    return str(value)


def question_rows(question: Question, answers: Answers) -> list[Row]:
    stored = answers.get(question.slug, {})
    if question.slug == "children":
        return [
            Row(
                _("Child %(number)s") % {"number": number},
                " ".join(
                    part
                    for part in (
                        child.get("given_names", ""),
                        child.get("family_name", ""),
                        f"({partial_date(child.get('date_of_birth', ''))})",
                    )
                    if part
                ),
                question.slug,
            )
            for number, child in enumerate(stored.get("children", []), start=1)
        ]
    if question.form is None:
        return []
    rows = []
    for name, field in question.form().fields.items():
        shown = _display(field, stored.get(name))
        if shown or field.required:
            rows.append(Row(str(field.label), shown or _("Not given"), question.slug))
    return rows


def answer_sections(answers: Answers) -> list[tuple[Question, list[Row]]]:
    return [
        (question, question_rows(question, answers))
        for question in applicable(answers)
        if question.slug != "uploads"
    ]
