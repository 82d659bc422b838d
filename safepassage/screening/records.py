"""The interview record PDF: the questions and answers, the amendments with the originals, the
declarations, the times and the questionnaire's version. Stored privately with its SHA-256 when
the interview is completed; checked when read."""

from __future__ import annotations

import hashlib
from typing import Any

from django.template.loader import render_to_string
from django.utils import translation

from safepassage.applications import letters
from safepassage.applications.storage import open_stored
from safepassage.screening.models import Interview
from safepassage.screening.questionnaire import display_value
from safepassage.screening.selectors import answers_of, interview_questions, questionnaire_of

files_kept_only_on_commit = letters.files_kept_only_on_commit


class RecordDamaged(Exception):
    pass


def _context(interview: Interview) -> dict[str, Any]:
    questionnaire = questionnaire_of(interview.questionnaire)
    answers = answers_of(interview)
    read_back = interview.read_back_language or "en"
    rows = []
    for question in interview_questions(interview, answers):
        answer = answers.get(question.id)
        rows.append(
            {
                "question": question,
                "text": question.text_in("en"),
                "translated": question.text_in(read_back) if read_back != "en" else "",
                "answer": answer,
                "shown": display_value(questionnaire, question, answer.value, "en")
                if answer and answer.state == "answered"
                else "",
            }
        )
    return {
        "interview": interview,
        "case": interview.case,
        "questionnaire": questionnaire,
        "rows": rows,
        "amendments": list(interview.amendments.select_related("amended_by")),
        "read_back_language": read_back,
    }


def render_record(interview: Interview) -> bytes:
    letters._import_weasyprint()
    from weasyprint import HTML

    with translation.override("en"):
        html = render_to_string("screening/record/record.html", _context(interview))
        document = HTML(string=html, url_fetcher=letters._refuse_fetch).render(
            stylesheets=[letters._stylesheet()]
        )
    return bytes(document.write_pdf())


def interview_record_store(interview: Interview) -> tuple[str, str]:
    content = render_record(interview)
    return letters._save_file(content), hashlib.sha256(content).hexdigest()


def interview_record_content(interview: Interview) -> bytes:
    with open_stored(interview.record_file) as stored:
        content = stored.read()
    if hashlib.sha256(content).hexdigest() != interview.record_sha256:
        raise RecordDamaged(f"interview {interview.pk}'s record does not match its checksum")
    return bytes(content)
