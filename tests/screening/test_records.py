"""The screening interview record: the PDF stored when an interview is completed, what it says,
that it is checked when read back, and that a completion that does not commit leaves no file.
Also the PDF helpers it shares with the decision letters (core.pdf)."""

from __future__ import annotations

import copy
import io
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from pypdf import PdfReader

from safepassage.applications import letters
from safepassage.applications.storage import private_storage
from safepassage.cases.models import AsylumCase
from safepassage.core import pdf
from safepassage.core.local_dates import long_date
from safepassage.core.models import Location, User
from safepassage.core.roles import Role
from safepassage.policy.services import PolicyBlocked
from safepassage.safeguarding.models import VulnerabilityIndicator
from safepassage.screening import records
from safepassage.screening.models import AnswerState, Interpreter, Interview, InterviewStatus
from safepassage.screening.services.interviews import interview_complete
from safepassage.screening.services.recording import (
    DECLARATION,
    answer_amend,
    answer_record,
    declaration_record_oral,
    language_confirm,
    read_back_confirm,
    read_back_start,
    understanding_confirm,
)
from tests.cases.builders import (
    SMALL,
    accredit,
    answer_everything,
    interpreter,
    published,
    registered,
    scheduled,
    started,
)
from tests.factories import LocationFactory

pytestmark = pytest.mark.django_db

AMENDMENT_REASON = "The applicant spelled the family name differently at the read-back"
CORRECTED_NAME = "Haddad Osman"
ARABIC_QUESTION = "حدثني عن رحلتك."


# --- Reading PDFs ----------------------------------------------------------------------------


def pdf_text(content: bytes) -> str:
    """The text layer as pypdf reads it, whitespace collapsed."""
    reader = PdfReader(io.BytesIO(content))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def pdf_pages(content: bytes) -> list[str]:
    return [" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(content)).pages]


def pdf_fonts(content: bytes) -> set[str]:
    names = set()
    for page in PdfReader(io.BytesIO(content)).pages:
        resources: Any = page["/Resources"]
        for font in resources["/Font"].values():
            names.add(str(font.get_object()["/BaseFont"]).split("+", 1)[-1])
    return names


def words(value: str) -> set[str]:
    """The words of ``value`` with their marks dropped (a font may draw a letter and its mark
    as one glyph, which the text layer gives back either way)."""
    bare = "".join(
        c for c in unicodedata.normalize("NFKC", value) if unicodedata.category(c) != "Mn"
    )
    return set(re.findall(r"\w+", bare))


def stored_files(root: Path) -> set[str]:
    return {str(path.relative_to(root)) for path in root.rglob("*") if path.is_file()}


# --- Setting up ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Staff:
    place: Location
    registrar: User
    manager: User
    officer: User


@pytest.fixture
def storage(settings: Any, tmp_path: Path) -> Path:
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    settings.PRIVATE_MEDIA_ROOT.mkdir()
    return Path(settings.PRIVATE_MEDIA_ROOT)


@pytest.fixture
def staff(make_user: Callable[..., User], storage: Path) -> Staff:
    place: Location = LocationFactory()  # type: ignore[assignment]
    officer = make_user(Role.SCREENING_OFFICER, locations=[place], full_name="Ruth Okafor")
    accredit(officer, "screening")
    return Staff(
        place=place,
        registrar=make_user(Role.REGISTRATION_OFFICER, locations=[place]),
        manager=make_user(Role.LOCATION_MANAGER, locations=[place]),
        officer=officer,
    )


def interview_under_way(
    staff: Staff, *, definition: dict[str, Any] | None = None, with_interpreter: bool = True
) -> Interview:
    published(definition)
    case: AsylumCase = registered(registrar=staff.registrar, location=staff.place)
    scheduled(case, officer=staff.officer, manager=staff.manager)
    chosen: Interpreter | None = interpreter() if with_interpreter else None
    return started(case, officer=staff.officer, with_interpreter=chosen)


def confirmed_with_an_amendment(
    interview: Interview, officer: User, *, read_back_in: str = "ar"
) -> Interview:
    """The confirmations a completion needs, with one answer corrected at the read-back."""
    language_confirm(actor=officer, interview=interview, language=interview.language)
    if interview.interpreter_id is not None:
        understanding_confirm(actor=officer, interview=interview)
        declaration_record_oral(actor=officer, interview=interview)
    read_back_start(actor=officer, interview=interview, language=read_back_in, method="read")
    answer_amend(
        actor=officer,
        interview=interview,
        question_id="family_name",
        state=AnswerState.ANSWERED,
        value=CORRECTED_NAME,
        reason=AMENDMENT_REASON,
    )
    read_back_confirm(actor=officer, interview=interview)
    interview.refresh_from_db()
    return interview


@pytest.fixture
def completed(staff: Staff) -> Interview:
    interview = interview_under_way(staff)
    answer_everything(interview, officer=staff.officer)
    answer_record(
        actor=staff.officer,
        interview=interview,
        question_id="owes_money",
        state=AnswerState.ANSWERED,
        value=True,
    )
    answer_record(
        actor=staff.officer,
        interview=interview,
        question_id="owed_to_whom",
        state=AnswerState.DECLINED,
    )
    answer_record(
        actor=staff.officer,
        interview=interview,
        question_id="nrm_consent",
        state=AnswerState.ANSWERED,
        value=True,
    )
    confirmed_with_an_amendment(interview, staff.officer)
    return interview_complete(actor=staff.officer, interview=interview)


# --- What the record says --------------------------------------------------------------------


def test_completing_stores_the_record_privately_with_its_checksum(completed):
    assert completed.status == InterviewStatus.COMPLETED
    assert completed.record_file.startswith("records/")
    assert completed.record_file.endswith(".pdf")
    assert completed.case.reference not in completed.record_file

    content = records.interview_record_content(completed)

    assert content.startswith(b"%PDF-")
    assert pdf.sha256_of(content) == completed.record_sha256


def test_the_record_holds_the_interview_its_answers_amendments_declaration_and_read_back(
    completed, staff
):
    completed.refresh_from_db()
    text = pdf_text(records.interview_record_content(completed))
    version = completed.questionnaire

    assert "Screening interview record" in text
    assert completed.case.reference in text
    assert f"Version {version.number}, published {long_date(version.published_at)}" in text
    assert f"questionnaire v{version.number}" in text
    assert "Full screening" in text
    # Who was there, and how.
    assert "Ruth Okafor" in text
    assert "In the room: Room 2" in text
    assert "Yusuf Interpreter, accreditation DPSI-12345" in text
    assert "Arabic (Sudanese)" in text
    assert "Applicant confirmed they understood the interpreter" in text
    # A question with its answer, an answer that is a state, and a question's condition met.
    assert "Tell me about your journey." in text
    assert "I travelled by road and then by boat." in text
    assert "Who do you owe it to? " in text
    assert "Declined to answer" in text
    assert "Not recorded" not in text
    # The amendment: the original, the correction, the reason, who and when.
    assert "Amendment 1" in text
    assert "Original answer Haddad" in text
    assert f"Corrected answer {CORRECTED_NAME}" in text
    assert AMENDMENT_REASON in text
    assert "Corrected at the read-back: amendment 1" in text
    # The declaration and the read-back.
    assert " ".join(str(DECLARATION).split()) in text
    assert "Made aloud by the interpreter and recorded by the officer" in text
    assert "recorded by Ruth Okafor" in text
    assert "Read aloud to the applicant" in text
    assert "Applicant confirmed the record" in text
    # The indicator the answers raised.
    assert "Trafficking or modern slavery" in text


def test_times_are_shown_in_london_time_as_a_person_reads_them(completed):
    text = pdf_text(records.interview_record_content(completed))
    # "25 November 2026, 14:05": the long date, then the 24-hour time.
    assert re.search(r"Started \d{1,2} [A-Z][a-z]+ \d{4}, \d{2}:\d{2}", text)
    assert re.search(r"Applicant confirmed the record \d{1,2} [A-Z][a-z]+ \d{4}, \d{2}:\d{2}", text)


def test_each_question_read_back_in_arabic_is_beneath_its_english_in_an_arabic_font(completed):
    content = records.interview_record_content(completed)

    assert words(ARABIC_QUESTION) <= words(pdf_text(content))
    assert words("هل تدين بمال مقابل الرحلة؟") <= words(pdf_text(content))
    assert "Amiri" in pdf_fonts(content)


def test_every_page_has_the_footer_with_its_number(completed):
    pages = pdf_pages(records.interview_record_content(completed))
    reference = completed.case.reference

    assert len(pages) >= 2
    for number, page in enumerate(pages, start=1):
        assert f"Interview record {reference} · questionnaire v1" in page
        assert f"page {number} of {len(pages)}" in page


def test_the_indicators_listed_are_this_interviews_and_name_the_questions(completed):
    indicator = VulnerabilityIndicator.objects.get(case=completed.case, category="trafficking")
    assert indicator.source_reference.startswith(f"interview:{completed.pk}:")

    text = pdf_text(records.interview_record_content(completed))

    assert re.search(r"Trafficking or modern slavery \(question \d+\)", text)
    assert "Older person" not in text


def test_every_shown_question_has_an_answer_or_says_why_not(staff):
    interview = interview_under_way(staff, with_interpreter=False)
    officer = staff.officer
    answer_record(
        actor=officer,
        interview=interview,
        question_id="family_name",
        state=AnswerState.NO_ANSWER,
    )
    answer_record(
        actor=officer, interview=interview, question_id="date_of_birth", state=AnswerState.DECLINED
    )
    answer_record(
        actor=officer,
        interview=interview,
        question_id="language_spoken",
        state=AnswerState.NOT_ASKED,
        reason="The applicant became too distressed to go on",
    )

    text = pdf_text(records.render_record(interview))

    assert "Family name? Asked, no answer" in text
    assert "Born? Declined to answer" in text
    assert "Language? Not asked: The applicant became too distressed to go on" in text
    assert "How do you know it? Not recorded" in text
    # No interpreter: none named, no declaration, no question about understanding them.
    assert "No interpreter" in text
    assert "No interpreter took part, so there is no declaration." in text
    assert "understood the interpreter" not in text
    assert "The record was not read back." in text
    assert "No answer was corrected at the read-back." in text


def test_a_childs_welfare_interview_says_so_and_names_the_responsible_adult(staff):
    accredit(staff.officer, "child_interviews")
    published()
    case = registered(registrar=staff.registrar, location=staff.place, child=True)
    scheduled(case, officer=staff.officer, manager=staff.manager)
    interview = started(
        case,
        officer=staff.officer,
        with_interpreter=interpreter(),
        responsible_adult="Grace Mensah, social worker",
    )

    text = pdf_text(records.render_record(interview))

    assert "Welfare interview (child)" in text
    assert "Responsible adult Grace Mensah, social worker" in text
    # The welfare variant leaves out what a child is not asked.
    assert "Have you been convicted of a crime?" not in text


def test_a_tigrinya_read_back_is_drawn_in_the_geez_font(staff):
    definition = copy.deepcopy(SMALL)
    arabic = definition["translations"]["ar"]
    definition["translations"]["ti"] = {
        "language": "ti",
        "title": "ሕቶታት",
        "sections": dict.fromkeys(arabic["sections"], "ክፍሊ"),
        "questions": {question: f"ሕቶ {question}" for question in arabic["questions"]},
        "vocabularies": {"basis": {"document": "ካብ ሰነድ", "estimated": "ግምት"}},
        "yes": "እወ",
        "no": "ኣይፋል",
    }
    definition["translations"]["ti"]["questions"]["journey_account"] = "ብዛዕባ ጉዕዞኻ ንገረኒ።"
    interview = interview_under_way(staff, definition=definition)
    answer_everything(interview, officer=staff.officer)
    read_back_start(actor=staff.officer, interview=interview, language="ti", method="shown")
    interview.refresh_from_db()

    content = records.render_record(interview)

    assert "Abyssinica-SIL" in pdf_fonts(content)
    assert words("ብዛዕባ ጉዕዞኻ ንገረኒ።") <= words(pdf_text(content))
    assert "Shown to the applicant" in pdf_text(content)


def test_markup_in_an_answer_is_text_and_fetches_nothing(staff):
    interview = interview_under_way(staff)
    answer_record(
        actor=staff.officer,
        interview=interview,
        question_id="journey_account",
        state=AnswerState.ANSWERED,
        value='<img src="http://example.org/x.png"> by road',
    )

    with (
        mock.patch("safepassage.core.pdf.refuse_fetch") as ours,
        mock.patch("weasyprint.urls.URLFetcher.fetch") as weasyprints,
    ):
        text = pdf_text(records.render_record(interview))

    ours.assert_not_called()
    weasyprints.assert_not_called()
    # The address may wrap at the end of a line; spaces aside, it is there as typed.
    assert '<imgsrc="http://example.org/x.png">byroad' in text.replace(" ", "")


# --- Reading it back -------------------------------------------------------------------------


def test_a_record_changed_on_disk_is_refused(completed):
    storage = private_storage()
    storage.delete(completed.record_file)
    storage.save(completed.record_file, io.BytesIO(b"%PDF-1.7 forged"))

    with pytest.raises(records.RecordDamaged):
        records.interview_record_content(completed)


def test_a_record_missing_from_disk_is_refused(completed):
    private_storage().delete(completed.record_file)

    with pytest.raises(records.RecordDamaged):
        records.interview_record_content(completed)


def test_an_interview_not_completed_has_no_record_to_read(staff):
    interview = interview_under_way(staff)

    with pytest.raises(records.RecordDamaged):
        records.interview_record_content(interview)


# --- A completion that does not commit leaves no file ----------------------------------------


def test_a_completion_the_gate_blocks_leaves_no_file(staff, storage):
    interview = interview_under_way(staff)
    answer_everything(interview, officer=staff.officer)
    language_confirm(actor=staff.officer, interview=interview, language=interview.language)
    understanding_confirm(actor=staff.officer, interview=interview)
    declaration_record_oral(actor=staff.officer, interview=interview)
    read_back_start(actor=staff.officer, interview=interview, language="ar", method="read")
    before = stored_files(storage)

    with pytest.raises(PolicyBlocked):
        interview_complete(actor=staff.officer, interview=interview)

    assert stored_files(storage) == before
    interview.refresh_from_db()
    assert interview.status == InterviewStatus.IN_PROGRESS
    assert interview.record_file == ""
    assert not VulnerabilityIndicator.objects.filter(case=interview.case).exists()


def test_a_completion_that_fails_after_the_record_is_written_deletes_it(staff, storage):
    interview = interview_under_way(staff)
    answer_everything(interview, officer=staff.officer)
    confirmed_with_an_amendment(interview, staff.officer)
    before = stored_files(storage)
    written: list[str] = []
    store = records.interview_record_store

    def store_and_note(locked: Interview) -> tuple[str, str]:
        stored = store(locked)
        written.append(stored[0])
        return stored

    with (
        mock.patch.object(records, "interview_record_store", store_and_note),
        mock.patch(
            "safepassage.screening.services.interviews.audit_append",
            side_effect=RuntimeError("the audit log is unavailable"),
        ),
        pytest.raises(RuntimeError),
    ):
        interview_complete(actor=staff.officer, interview=interview)

    assert written, "the record was rendered and written before the failure"
    assert stored_files(storage) == before
    interview.refresh_from_db()
    assert interview.status == InterviewStatus.IN_PROGRESS


# --- The helpers shared with the letters (core.pdf) ------------------------------------------


def test_letters_and_records_written_in_one_transaction_go_together(storage):
    kept = pdf.save_private_file(b"%PDF- kept", prefix="records")
    written: list[str] = []

    def transaction_that_fails() -> None:
        with letters.files_kept_only_on_commit():
            written.append(letters._save_file(b"%PDF- letter"))
            # A service inside the transaction with its own block, which ends well.
            with records.files_kept_only_on_commit():
                written.append(pdf.save_private_file(b"%PDF- record", prefix="records"))
            raise RuntimeError("the transaction does not commit")

    with pytest.raises(RuntimeError, match="does not commit"):
        transaction_that_fails()

    assert [name.split("/")[0] for name in written] == ["letters", "records"]
    assert stored_files(storage) == {kept}


def test_the_letters_names_for_the_shared_helpers_still_work():
    assert letters.files_kept_only_on_commit is pdf.files_kept_only_on_commit
    assert records.files_kept_only_on_commit is pdf.files_kept_only_on_commit
    assert letters._script_class("عبور") == "script-arabic"
    assert letters._script_class("ውሑስ") == "script-ethiopic"
    assert letters._direction("Haddad عبور") == "ltr"
    with pytest.raises(ValueError, match="fetches nothing"):
        letters._refuse_fetch("http://example.org/")


def test_importing_weasyprint_leaves_truncated_images_refused():
    from PIL import ImageFile

    pdf.import_weasyprint()

    assert ImageFile.LOAD_TRUNCATED_IMAGES is False


@pytest.mark.parametrize(
    ("language", "direction", "script"),
    [
        ("ar", "rtl", "script-arabic"),
        ("fa-af", "rtl", "script-arabic"),
        ("ps", "rtl", "script-arabic"),
        ("ckb", "rtl", "script-arabic"),
        ("ti", "ltr", "script-ethiopic"),
        ("am", "ltr", "script-ethiopic"),
        ("so", "ltr", "script-latin"),
        ("uk", "ltr", "script-latin"),
    ],
)
def test_each_language_is_drawn_in_its_scripts_font_and_direction(language, direction, script):
    assert pdf.language_direction(language) == direction
    assert pdf.language_script_class(language) == script
