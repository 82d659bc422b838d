"""Administrators keep the national questionnaire's versions; administrators and location
managers keep the interpreters' register."""

from __future__ import annotations

import copy
import html
from datetime import timedelta
from pathlib import Path

import pytest
import yaml

from safepassage.core.roles import Role
from safepassage.policy.services import london_today
from safepassage.screening import questionnaire as questionnaire_module
from safepassage.screening.models import Interpreter, QuestionnaireVersion, VersionStatus
from safepassage.screening.services.questionnaires import questionnaire_draft_save
from tests.cases.builders import SMALL, SYSTEM, interpreter, published
from tests.factories import LocationFactory

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return html.unescape(response.content.decode())


def draft(definition: dict | None = None) -> QuestionnaireVersion:
    return questionnaire_draft_save(actor=SYSTEM, definition=copy.deepcopy(definition or SMALL))


# --- The questionnaire's versions ----------------------------------------------------------


def test_the_list_shows_each_version_with_its_status_and_size(make_user, client_for):
    admin = make_user(Role.ADMINISTRATOR)
    first = published()
    second = draft()
    second.notes = "Adds a question on debts"
    second.save()
    page = text(client_for(admin).get("/screening/questionnaires/"))
    assert "Version 1" in page
    assert "Current" in page
    assert "Draft" in page
    assert "Adds a question on debts" in page
    assert f'href="/screening/questionnaires/{first.pk}/"' in page
    assert page.count("3 sections, 11 questions") == 2  # SMALL's size, in both
    assert "Start a new draft from the current version" in page


@pytest.mark.parametrize("role", [Role.SCREENING_OFFICER, Role.LOCATION_MANAGER])
def test_only_administrators_manage_the_questionnaire(make_user, client_for, role):
    version = published()
    waiting = draft()
    client = client_for(make_user(role))
    for path in (
        "/screening/questionnaires/",
        f"/screening/questionnaires/{version.pk}/",
        f"/screening/questionnaires/{waiting.pk}/edit/",
        f"/screening/questionnaires/{waiting.pk}/publish/",
    ):
        assert client.get(path).status_code == 403, path
    assert client.post("/screening/questionnaires/new/").status_code == 403
    assert client.post(f"/screening/questionnaires/{waiting.pk}/publish/").status_code == 403
    waiting.refresh_from_db()
    assert waiting.status == VersionStatus.DRAFT
    assert QuestionnaireVersion.objects.count() == 2


def test_a_version_reads_as_questions_conditions_and_what_they_raise(make_user, client_for):
    admin = make_user(Role.ADMINISTRATOR)
    version = published()
    page = text(client_for(admin).get(f"/screening/questionnaires/{version.pk}/"))
    assert "Published versions never change" in page
    assert "Identity" in page
    assert "Journey" in page
    assert "owed_to_whom" in page
    # The English question is isolated (U+2068…U+2069) for right-to-left pages.
    assert "Shown when “\u2068Do you owe money for the journey?\u2069” is Yes" in page
    assert "Shown when an earlier answer raises “Trafficking or modern slavery”" in page
    assert "Trafficking or modern slavery, when the answer is Yes" in page
    assert "Older person (70 or over), when the person is 70 or older" in page
    assert "Trafficking or modern slavery, when the countries include any of: Libya" in page
    assert "Yes or no" in page
    assert "One choice from a list" in page
    assert "From a document" in page  # the choice's options
    assert "Yes, when shown" in page  # mandatory only when its condition holds
    assert "Full screening only" in page  # not asked in a child's welfare interview
    assert "Arabic" in page  # the translation it has
    assert 'data-testid="draft-actions"' not in page


def test_a_draft_offers_edit_and_publish(make_user, client_for):
    admin = make_user(Role.ADMINISTRATOR)
    waiting = draft()
    page = text(client_for(admin).get(f"/screening/questionnaires/{waiting.pk}/"))
    assert f'href="/screening/questionnaires/{waiting.pk}/edit/"' in page
    assert f'href="/screening/questionnaires/{waiting.pk}/publish/"' in page
    assert "Published versions never change" not in page


def test_a_new_draft_copies_the_current_version(make_user, client_for):
    admin = make_user(Role.ADMINISTRATOR)
    current = published()
    response = client_for(admin).post("/screening/questionnaires/new/")
    new = QuestionnaireVersion.objects.get(status=VersionStatus.DRAFT)
    assert response.status_code == 302
    assert response["Location"] == f"/screening/questionnaires/{new.pk}/edit/"
    assert new.definition == current.definition
    assert new.created_by == admin


def test_with_no_current_version_a_new_draft_copies_the_shipped_one(
    make_user, client_for, tmp_path: Path, monkeypatch
):
    shipped = tmp_path / "v1"
    (shipped / "translations").mkdir(parents=True)
    structure = {key: value for key, value in SMALL.items() if key != "translations"}
    (shipped / "questionnaire.yaml").write_text(yaml.safe_dump(structure), encoding="utf-8")
    (shipped / "translations" / "ar.yaml").write_text(
        yaml.safe_dump(SMALL["translations"]["ar"], allow_unicode=True), encoding="utf-8"
    )
    monkeypatch.setattr(questionnaire_module, "SHIPPED", tmp_path)
    admin = make_user(Role.ADMINISTRATOR)
    client_for(admin).post("/screening/questionnaires/new/")
    assert QuestionnaireVersion.objects.get().definition == SMALL


def test_editing_a_draft_saves_the_yaml(make_user, client_for):
    admin = make_user(Role.ADMINISTRATOR)
    waiting = draft()
    client = client_for(admin)
    form = text(client.get(f"/screening/questionnaires/{waiting.pk}/edit/"))
    assert "title: Test questionnaire" in form
    assert "اسم العائلة؟" in form  # the translations, unescaped
    changed = copy.deepcopy(SMALL)
    changed["sections"][0]["questions"][0]["text"] = "What is your family name?"
    response = client.post(
        f"/screening/questionnaires/{waiting.pk}/edit/",
        {"definition": yaml.safe_dump(changed, allow_unicode=True), "notes": "Clearer wording"},
        follow=True,
    )
    assert "The draft is saved" in text(response)
    waiting.refresh_from_db()
    assert waiting.definition == changed
    assert waiting.notes == "Clearer wording"
    assert waiting.status == VersionStatus.DRAFT


def test_invalid_yaml_is_named_and_nothing_changes(make_user, client_for):
    admin = make_user(Role.ADMINISTRATOR)
    waiting = draft()
    response = client_for(admin).post(
        f"/screening/questionnaires/{waiting.pk}/edit/",
        {"definition": "title: Broken\nsections: [unclosed\n", "notes": ""},
    )
    page = text(response)
    assert response.status_code == 400
    assert "There is a problem" in page
    assert "This is not valid YAML at line" in page
    assert '<a href="#id_definition">' in page
    waiting.refresh_from_db()
    assert waiting.definition == SMALL


def test_a_condition_on_a_later_question_is_named_and_nothing_changes(make_user, client_for):
    admin = make_user(Role.ADMINISTRATOR)
    waiting = draft()
    broken = copy.deepcopy(SMALL)
    broken["sections"][0]["questions"][0]["show_if"] = {"question": "owes_money", "equals": True}
    broken["sections"][1]["questions"][0]["type"] = "essay"
    response = client_for(admin).post(
        f"/screening/questionnaires/{waiting.pk}/edit/",
        {"definition": yaml.safe_dump(broken, allow_unicode=True), "notes": "Broken"},
    )
    page = text(response)
    assert response.status_code == 400
    # Every problem, each in the error summary.
    assert (
        "question family_name: show_if needs a question defined earlier and a value it equals"
        in page
    )
    assert "question journey_account: type must be one of" in page
    assert page.count('<a href="#id_definition">') == 2
    waiting.refresh_from_db()
    assert waiting.definition == SMALL
    assert waiting.notes == ""


def test_a_published_version_cannot_be_edited(make_user, client_for):
    admin = make_user(Role.ADMINISTRATOR)
    version = published()
    client = client_for(admin)
    assert client.get(f"/screening/questionnaires/{version.pk}/edit/").status_code == 409
    changed = copy.deepcopy(SMALL)
    changed["title"] = "Changed after publication"
    response = client.post(
        f"/screening/questionnaires/{version.pk}/edit/",
        {"definition": yaml.safe_dump(changed, allow_unicode=True), "notes": ""},
    )
    assert response.status_code == 409
    assert "A published version cannot be changed. Start a new draft from it." in text(response)
    version.refresh_from_db()
    assert version.definition == SMALL
    assert version.status == VersionStatus.CURRENT


def test_publishing_makes_the_draft_current_and_retires_the_previous(make_user, client_for):
    admin = make_user(Role.ADMINISTRATOR)
    previous = published()
    waiting = draft()
    client = client_for(admin)
    confirm = text(client.get(f"/screening/questionnaires/{waiting.pk}/publish/"))
    assert "This becomes the one national questionnaire" in confirm
    assert "Every new interview uses it." in confirm
    assert "Interviews already started keep theirs" in confirm
    assert "Version 1, current now, is retired and kept." in confirm
    response = client.post(f"/screening/questionnaires/{waiting.pk}/publish/", follow=True)
    assert "Version 2 is published" in text(response)
    waiting.refresh_from_db()
    previous.refresh_from_db()
    assert (waiting.status, waiting.number, waiting.published_by) == (
        VersionStatus.CURRENT,
        2,
        admin,
    )
    assert previous.status == VersionStatus.RETIRED


def test_publishing_a_published_version_is_refused(make_user, client_for):
    admin = make_user(Role.ADMINISTRATOR)
    version = published()
    response = client_for(admin).post(f"/screening/questionnaires/{version.pk}/publish/")
    assert response.status_code == 409
    assert "This version is already published." in text(response)
    version.refresh_from_db()
    assert version.number == 1


def test_an_unknown_version_is_not_found(make_user, client_for):
    admin = make_user(Role.ADMINISTRATOR)
    assert client_for(admin).get("/screening/questionnaires/9999/").status_code == 404


# --- The interpreters' register ------------------------------------------------------------


def interpreter_form(**overrides: str) -> dict[str, str]:
    expires = london_today() + timedelta(days=200)
    data = {
        "full_name": "Hanan Mebrahtu",
        "language_1": "ti",
        "dialects_1": "Eritrean, Tigrayan",
        "language_2": "ar",
        "dialects_2": "",
        "accreditation_reference": "DPSI-55555",
        "accreditation_expires_on_day": str(expires.day),
        "accreditation_expires_on_month": str(expires.month),
        "accreditation_expires_on_year": str(expires.year),
        "account": "",
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize("role", [Role.ADMINISTRATOR, Role.LOCATION_MANAGER])
def test_adding_an_interpreter_with_languages_and_an_account(make_user, client_for, role):
    place = LocationFactory()
    manager = make_user(role, locations=[place])
    account = make_user(Role.INTERPRETER, full_name="Hanan Mebrahtu", locations=[place])
    client = client_for(manager)
    form = text(client.get("/screening/interpreters/new/"))
    assert f'<option value="{account.pk}">Hanan Mebrahtu ({account.username})</option>' in form
    assert '<option value="ti">Tigrinya</option>' in form
    response = client.post(
        "/screening/interpreters/new/", interpreter_form(account=str(account.pk)), follow=True
    )
    page = text(response)
    assert "The interpreter is on the register." in page
    assert "Tigrinya (Eritrean, Tigrayan)" in page
    assert "Arabic" in page
    assert "DPSI-55555" in page
    added = Interpreter.objects.get()
    assert added.languages == [
        {"language": "ti", "dialects": ["Eritrean", "Tigrayan"]},
        {"language": "ar", "dialects": []},
    ]
    assert added.account == account


def test_an_interpreter_with_no_language_is_refused(make_user, client_for):
    admin = make_user(Role.ADMINISTRATOR)
    response = client_for(admin).post(
        "/screening/interpreters/new/",
        interpreter_form(language_1="", dialects_1="", language_2="", full_name=""),
    )
    page = text(response)
    assert response.status_code == 400
    assert '<a href="#id_language_1">Add at least one language the interpreter works in</a>' in page
    assert '<a href="#id_full_name">Enter the interpreter\'s full name</a>' in page
    assert not Interpreter.objects.exists()


def test_dialects_without_a_language_are_refused(make_user, client_for):
    admin = make_user(Role.ADMINISTRATOR)
    response = client_for(admin).post(
        "/screening/interpreters/new/", interpreter_form(dialects_3="Sorani")
    )
    assert "Choose the language these dialects belong to" in text(response)
    assert not Interpreter.objects.exists()


def test_the_register_marks_expired_accreditations(make_user, client_for):
    admin = make_user(Role.ADMINISTRATOR)
    lapsed = interpreter()
    Interpreter.objects.filter(pk=lapsed.pk).update(
        accreditation_expires_on=london_today() - timedelta(days=1)
    )
    page = text(client_for(admin).get("/screening/interpreters/"))
    assert "Yusuf Interpreter" in page
    assert "Arabic (Sudanese)" in page
    assert "Expired" in page


def test_editing_an_interpreter(make_user, client_for):
    admin = make_user(Role.ADMINISTRATOR)
    entry = interpreter()
    client = client_for(admin)
    form = text(client.get(f"/screening/interpreters/{entry.pk}/edit/"))
    assert 'value="Yusuf Interpreter"' in form
    assert 'value="Sudanese"' in form
    assert '<option value="ar" selected>' in form
    response = client.post(
        f"/screening/interpreters/{entry.pk}/edit/",
        interpreter_form(full_name="Yusuf Haddad", language_2="", is_active=""),
        follow=True,
    )
    assert "The interpreter's entry is saved." in text(response)
    entry.refresh_from_db()
    assert entry.full_name == "Yusuf Haddad"
    assert entry.language_codes() == ["ti"]
    assert entry.is_active is False


def test_an_account_without_the_interpreter_role_is_not_offered(make_user, client_for):
    admin = make_user(Role.ADMINISTRATOR)
    officer = make_user(Role.SCREENING_OFFICER)
    response = client_for(admin).post(
        "/screening/interpreters/new/", interpreter_form(account=str(officer.pk))
    )
    assert response.status_code == 400
    assert "Select a valid choice" in text(response)
    assert not Interpreter.objects.exists()


def test_a_screening_officer_cannot_manage_interpreters(make_user, client_for):
    entry = interpreter()
    client = client_for(make_user(Role.SCREENING_OFFICER))
    assert client.get("/screening/interpreters/").status_code == 403
    assert client.get("/screening/interpreters/new/").status_code == 403
    assert client.post("/screening/interpreters/new/", interpreter_form()).status_code == 403
    response = client.post(
        f"/screening/interpreters/{entry.pk}/edit/", interpreter_form(full_name="Changed")
    )
    assert response.status_code == 403
    entry.refresh_from_db()
    assert entry.full_name == "Yusuf Interpreter"
    assert Interpreter.objects.count() == 1


def test_a_bad_expiry_date_is_named(make_user, client_for):
    admin = make_user(Role.ADMINISTRATOR)
    response = client_for(admin).post(
        "/screening/interpreters/new/",
        interpreter_form(accreditation_expires_on_day="31", accreditation_expires_on_month="2"),
    )
    assert "Enter a real date" in text(response)
    assert response.status_code == 400
    assert not Interpreter.objects.exists()


def test_an_empty_form_names_every_missing_part_at_once(make_user, client_for):
    admin = make_user(Role.ADMINISTRATOR)
    response = client_for(admin).post("/screening/interpreters/new/", {})
    page = text(response)
    assert response.status_code == 400
    for message in (
        "Enter the interpreter's full name",
        "Add at least one language the interpreter works in",
        "Enter the accreditation reference",
        "Enter the date the accreditation expires",
    ):
        assert message in page
    assert not Interpreter.objects.exists()


def test_the_services_refusal_is_shown_against_its_field(make_user, client_for):
    admin = make_user(Role.ADMINISTRATOR)
    account = make_user(Role.INTERPRETER)
    interpreter(account=account)
    response = client_for(admin).post(
        "/screening/interpreters/new/", interpreter_form(account=str(account.pk))
    )
    page = text(response)
    assert response.status_code == 400
    assert '<a href="#id_account">This account belongs to another interpreter</a>' in page
    assert Interpreter.objects.count() == 1
