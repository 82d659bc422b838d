"""The identity check of a visa application: finding the applicant among people on record and
other applications, an officer deciding who they are (someone known, or a new person), failing
it, every refused path changing nothing, and the case view's panel."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from hypothesis import given
from hypothesis import strategies as st

from safepassage.applications.api import EXAMPLE
from safepassage.applications.models import (
    Application,
    ApplicationCheck,
    ApplicationStatus,
    CheckOutcome,
)
from safepassage.applications.questions import clean_answers
from safepassage.applications.services.access import Contact, applicant_for_contact
from safepassage.applications.services.identity import (
    NEW_PERSON,
    SAME_CONTACT,
    SAME_NAME_AND_BIRTH,
    SAME_PERSON,
    application_identity,
    identity_check_fail,
    identity_check_resolve,
    identity_check_run,
    linked_person,
    script_of,
)
from safepassage.applications.services.submission import (
    application_submit_whole,
    application_withdraw,
)
from safepassage.audit.models import AuditEvent
from safepassage.core.actors import SystemActor
from safepassage.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from safepassage.core.roles import Role
from safepassage.people.models import (
    Decision,
    Identity,
    IdentitySource,
    MatchDecision,
    Merge,
    Person,
    Script,
)
from safepassage.people.selectors import identities_of
from safepassage.people.services import DocumentInput, IdentityInput, person_register
from tests.applications.helpers import errors, make_case_reader, text
from tests.applications.sent import SYSTEM, sent

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("portal")]

REASON = "Same name, date of birth and nationality; the photo matches the record."
NEW_REASON = "Different father's name and a different place of birth on the passport."
FAIL_REASON = "The passport number belongs to a document reported stolen in 2021."


@pytest.fixture
def officer(make_user):
    return make_user(Role.DECISION_MAKER)


def known(officer, given_names="Amal", family_name="Haddad", born="1991-03", nationality="SYR"):
    return person_register(
        actor=officer,
        identity=IdentityInput(
            given_names=given_names,
            family_name=family_name,
            date_of_birth=born,
            nationality=nationality,
        ),
        source=IdentitySource.REGISTRATION,
    )


def applied(
    contact: str,
    key: str,
    *,
    given_names: str = "Amal",
    family_name: str = "Haddad",
    born: str = "1991-03",
    passport: str = "",
    original: tuple[str, str] = ("", ""),
) -> Application:
    """A sent application from ``contact`` (several may come from one contact)."""
    raw: dict[str, Any] = copy.deepcopy(EXAMPLE["answers"])
    raw["name"] = {
        "given_names": given_names,
        "family_name": family_name,
        "given_names_original": original[0],
        "family_name_original": original[1],
    }
    raw["date-of-birth"] = {"date_of_birth": born}
    raw["family"] = {"children_applying": "no"}
    raw.pop("children", None)
    if passport:
        raw["document"] = {"document_kind": "passport"}
        raw["document-details"] = {"number": passport, "issuing_country": "SYR"}
    applicant = applicant_for_contact(contact=Contact("email", contact), language="en")
    application, _created = application_submit_whole(
        actor=SYSTEM,
        applicant=applicant,
        answers=clean_answers(raw),
        language="en",
        submission_key=key,
        digest=key,
        channel="portal",
    )
    return application


def snapshot(application: Application) -> tuple[Any, ...]:
    """What a refused call must leave as it was."""
    application.refresh_from_db()
    return (
        application.status,
        list(ApplicationCheck.objects.order_by("pk").values_list("pk", "outcome", "superseded_at")),
        Person.objects.count(),
        Identity.objects.count(),
        MatchDecision.objects.count(),
        Merge.objects.count(),
        AuditEvent.objects.filter(stream="change").count(),
    )


# --- Running it --------------------------------------------------------------------------------


def test_an_applicant_already_on_record_is_the_first_candidate_with_a_high_probability(officer):
    person = known(officer)
    known(officer, given_names="Yonas", family_name="Tesfay", born="1985", nationality="ERI")
    application = applied("amal@example.org", "k1")

    check = identity_check_run(actor=officer, application=application)

    application.refresh_from_db()
    assert application.status == ApplicationStatus.CHECKS_IN_PROGRESS
    assert check.outcome == CheckOutcome.PENDING
    assert check.started_by == officer
    first = check.evidence["candidates"][0]
    assert first["person"] == str(person.public_id)
    assert first["probability"] > 0.9
    agreed = {item["comparison"] for item in first["fields"] if item["weight"] > 0}
    assert {"given", "family", "date_of_birth", "nationality"} <= agreed
    # The evidence holds ids and scores, never the names.
    assert "Amal" not in str(check.evidence)
    event = AuditEvent.objects.get(action="applications.identity_check_run")
    assert "Amal" not in str(event.payload)
    assert event.payload["candidates"] == len(check.evidence["candidates"])


def test_a_passport_number_in_the_answers_is_searched_too(officer):
    registered = person_register(
        actor=officer,
        identity=IdentityInput(
            given_names="Amal",
            family_name="Haddad",
            date_of_birth="1991-03",
            documents=(DocumentInput(document_type="passport", number="N0123456"),),
        ),
    )
    application = applied("amal@example.org", "k1", passport="N0123456")

    check = identity_check_run(actor=officer, application=application)

    assert check.evidence["document_searched"] is True
    first = check.evidence["candidates"][0]
    assert first["person"] == str(registered.public_id)
    document = next(item for item in first["fields"] if item["comparison"] == "document")
    assert document["weight"] > 0


def test_running_it_again_supersedes_the_current_run_and_keeps_it(officer):
    application = applied("amal@example.org", "k1")
    first = identity_check_run(actor=officer, application=application)

    second = identity_check_run(actor=officer, application=application)

    first.refresh_from_db()
    assert first.superseded_at is not None
    assert second.superseded_at is None
    assert ApplicationCheck.objects.filter(application=application).count() == 2
    runs = AuditEvent.objects.filter(action="applications.identity_check_run")
    assert [event.payload["superseded"] for event in runs.order_by("sequence")] == [
        None,
        first.pk,
    ]


def test_another_application_from_the_same_contact_is_listed(officer):
    earlier = applied("amal@example.org", "k1", given_names="Samira", family_name="Nasser")
    application = applied("amal@example.org", "k2")

    check = identity_check_run(actor=officer, application=application)

    listed = {item["reference"]: item for item in check.evidence["other_applications"]}
    assert listed[earlier.reference]["reasons"] == [SAME_CONTACT]
    assert application.reference not in listed


def test_another_application_with_the_same_name_and_birth_date_is_listed(officer):
    # Another contact, the name spelt another way and the names the other way round.
    earlier = applied("other@example.org", "k1", given_names="Haddad", family_name="Amaal")
    unrelated = applied("third@example.org", "k2", given_names="Amal", born="1980")
    application = applied("amal@example.org", "k3")

    check = identity_check_run(actor=officer, application=application)

    listed = {item["reference"]: item for item in check.evidence["other_applications"]}
    assert listed[earlier.reference]["reasons"] == [SAME_NAME_AND_BIRTH]
    assert unrelated.reference not in listed


def test_an_application_already_linked_to_a_person_is_shown_with_that_person(officer):
    person = known(officer)
    earlier = applied("other@example.org", "k1")
    check = identity_check_run(actor=officer, application=earlier)
    identity_check_resolve(
        actor=officer,
        check=check,
        decision=SAME_PERSON,
        person_public_id=str(person.public_id),
        reason=REASON,
    )
    application = applied("amal@example.org", "k2")

    found = identity_check_run(actor=officer, application=application)

    first = found.evidence["candidates"][0]
    assert first["person"] == str(person.public_id)
    assert [item["reference"] for item in first["applications"]] == [earlier.reference]
    assert earlier.reference not in {
        item["reference"] for item in found.evidence["other_applications"]
    }


def test_the_identity_is_built_from_the_answers():
    application = applied(
        "amal@example.org",
        "k1",
        passport="n0123456",
        original=("أمل", "حداد"),
    )

    stated = application_identity(application)

    assert (stated.given_names, stated.family_name) == ("Amal", "Haddad")
    assert (stated.given_names_original, stated.family_name_original) == ("أمل", "حداد")
    assert stated.original_script == Script.ARABIC
    assert stated.date_of_birth == "1991-03"
    assert stated.nationality == "SYR"
    assert [(item.document_type, item.number) for item in stated.documents] == [
        ("passport", "N0123456")
    ]


@pytest.mark.parametrize(
    ("name", "script"),
    [
        ("أمل", Script.ARABIC),
        ("ገብረመድህን", Script.ETHIOPIC),
        ("Олена", Script.CYRILLIC),
        ("Zoë", Script.LATIN),
        ("李", Script.OTHER),
        (" - ", ""),
    ],
)
def test_the_script_of_a_name(name, script):
    assert script_of(name) == script


@given(st.text(alphabet=st.characters(min_codepoint=0x0621, max_codepoint=0x064A), min_size=1))
def test_any_arabic_letters_are_arabic_script(name):
    letters = [character for character in name if character.isalpha()]
    assert script_of(name) == (Script.ARABIC if letters else "")


# --- Resolving it ------------------------------------------------------------------------------


def test_the_same_person_links_the_application_to_them_and_keeps_what_was_declared(officer):
    person = known(officer)
    application = applied("amal@example.org", "k1", passport="N0123456")
    check = identity_check_run(actor=officer, application=application)

    resolved = identity_check_resolve(
        actor=officer,
        check=check,
        decision=SAME_PERSON,
        person_public_id=str(person.public_id),
        reason=REASON,
    )

    assert resolved.outcome == CheckOutcome.PASSED
    assert resolved.resolved_by == officer
    assert resolved.resolved_at is not None
    assert resolved.resolution_reason == REASON
    assert linked_person(application) == person
    # The application's identity is in the register, merged into the person's record, with the
    # officer's decision, so it can be seen and undone.
    declared = identities_of(person).get(source=IdentitySource.VISA_APPLICATION)
    assert declared.given_names == "Amal"
    assert [document.number for document in declared.documents.all()] == ["N0123456"]
    decision = MatchDecision.objects.get(candidate=person)
    assert (decision.decision, decision.reason, decision.decided_by) == (
        Decision.SAME,
        REASON,
        officer,
    )
    assert Merge.objects.get().survivor == person
    event = AuditEvent.objects.get(action="applications.identity_check_resolved")
    assert event.payload["decision"] == SAME_PERSON
    assert event.payload["person"] == str(person.public_id)
    assert "Amal" not in str(event.payload)
    assert "photo" not in str(event.payload)


def test_a_new_person_is_recorded_and_the_candidates_shown_are_not_proposed_again(officer):
    lookalike = known(officer, born="1960")
    application = applied("amal@example.org", "k1")
    check = identity_check_run(actor=officer, application=application)
    shown = {item["person"] for item in check.evidence["candidates"]}
    assert str(lookalike.public_id) in shown

    identity_check_resolve(actor=officer, check=check, decision=NEW_PERSON, reason=NEW_REASON)

    check.refresh_from_db()
    assert check.outcome == CheckOutcome.PASSED
    person = linked_person(application)
    assert person is not None
    assert person != lookalike
    identity = person.identities.get()
    assert (identity.given_names, identity.family_name, identity.source) == (
        "Amal",
        "Haddad",
        IdentitySource.VISA_APPLICATION,
    )
    assert identity.date_of_birth_text == "1991-03"
    ruled_out = MatchDecision.objects.filter(subject=person, decision=Decision.NOT_SAME)
    assert {str(item.candidate.public_id) for item in ruled_out} == shown
    assert {item.reason for item in ruled_out} == {NEW_REASON}

    # Run again: the application's own record and the people ruled out are not proposed, and a
    # new person decision keeps the record made the first time.
    again = identity_check_run(actor=officer, application=application)
    assert again.evidence["candidates"] == []
    assert again.evidence["earlier_person"] == str(person.public_id)
    identity_check_resolve(actor=officer, check=again, decision=NEW_PERSON, reason="")
    assert Person.objects.count() == 2
    assert linked_person(application) == person


def test_nobody_found_still_waits_for_an_officer_to_confirm_a_new_person(officer):
    application = applied("amal@example.org", "k1")

    check = identity_check_run(actor=officer, application=application)

    assert check.evidence["candidates"] == []
    assert check.outcome == CheckOutcome.PENDING
    identity_check_resolve(actor=officer, check=check, decision=NEW_PERSON, reason="")
    check.refresh_from_db()
    assert check.outcome == CheckOutcome.PASSED
    assert check.resolved_by == officer
    assert MatchDecision.objects.count() == 0


def test_failing_the_check_keeps_the_reason(officer):
    application = applied("amal@example.org", "k1")
    check = identity_check_run(actor=officer, application=application)

    failed = identity_check_fail(actor=officer, check=check, reason=FAIL_REASON)

    assert failed.outcome == CheckOutcome.FAILED
    assert failed.resolution_reason == FAIL_REASON
    assert failed.resolved_by == officer
    assert failed.person is None
    assert linked_person(application) is None
    assert AuditEvent.objects.filter(action="applications.identity_check_failed").exists()


# --- Refused, and nothing changes --------------------------------------------------------------


def test_resolving_twice_is_refused(officer):
    person = known(officer)
    application = applied("amal@example.org", "k1")
    check = identity_check_run(actor=officer, application=application)
    identity_check_resolve(
        actor=officer,
        check=check,
        decision=SAME_PERSON,
        person_public_id=str(person.public_id),
        reason=REASON,
    )
    before = snapshot(application)

    with pytest.raises(Conflict, match="already been resolved"):
        identity_check_resolve(actor=officer, check=check, decision=NEW_PERSON, reason=NEW_REASON)
    with pytest.raises(Conflict, match="already been resolved"):
        identity_check_fail(actor=officer, check=check, reason=FAIL_REASON)

    assert snapshot(application) == before


def test_a_superseded_run_cannot_be_resolved(officer):
    person = known(officer)
    application = applied("amal@example.org", "k1")
    old = identity_check_run(actor=officer, application=application)
    identity_check_run(actor=officer, application=application)
    before = snapshot(application)

    with pytest.raises(Conflict, match="run again since"):
        identity_check_resolve(
            actor=officer,
            check=old,
            decision=SAME_PERSON,
            person_public_id=str(person.public_id),
            reason=REASON,
        )

    assert snapshot(application) == before


def test_same_person_must_be_one_of_the_candidates(officer):
    known(officer)
    stranger = known(officer, given_names="Yonas", family_name="Tesfay", born="1985")
    application = applied("amal@example.org", "k1")
    check = identity_check_run(actor=officer, application=application)
    assert str(stranger.public_id) not in {item["person"] for item in check.evidence["candidates"]}
    before = snapshot(application)

    for chosen in (str(stranger.public_id), "", None, "not-a-uuid"):
        with pytest.raises(ValidationFailed, match="Choose one of the people this check found"):
            identity_check_resolve(
                actor=officer,
                check=check,
                decision=SAME_PERSON,
                person_public_id=chosen,
                reason=REASON,
            )

    assert snapshot(application) == before


@pytest.mark.parametrize("reason", ["", "   ", "same one"])
def test_a_reason_is_needed_when_there_were_candidates(officer, reason):
    person = known(officer)
    application = applied("amal@example.org", "k1")
    check = identity_check_run(actor=officer, application=application)
    before = snapshot(application)

    for decision, chosen in ((SAME_PERSON, str(person.public_id)), (NEW_PERSON, None)):
        with pytest.raises(ValidationFailed, match="at least 10 characters") as refused:
            identity_check_resolve(
                actor=officer,
                check=check,
                decision=decision,
                person_public_id=chosen,
                reason=reason,
            )
        assert refused.value.field == "reason"
    with pytest.raises(ValidationFailed, match="at least 20 characters"):
        identity_check_fail(actor=officer, check=check, reason="Looks doubtful")

    assert snapshot(application) == before


def test_an_unknown_decision_is_refused(officer):
    application = applied("amal@example.org", "k1")
    check = identity_check_run(actor=officer, application=application)
    before = snapshot(application)

    with pytest.raises(ValidationFailed, match="Choose one of the people listed"):
        identity_check_resolve(actor=officer, check=check, decision="merge", reason=REASON)

    assert snapshot(application) == before


def test_a_withdrawn_or_decided_application_is_refused(officer):
    person = known(officer)
    withdrawn = applied("amal@example.org", "k1")
    check = identity_check_run(actor=officer, application=withdrawn)
    application_withdraw(actor=SYSTEM, application=withdrawn, reason="Safe now")
    decided = applied("other@example.org", "k2")
    decided_check = identity_check_run(actor=officer, application=decided)
    Application.objects.filter(pk=decided.pk).update(status=ApplicationStatus.DECIDED)
    decided.refresh_from_db()
    before = (snapshot(withdrawn), snapshot(decided))

    for application, pending in ((withdrawn, check), (decided, decided_check)):
        application.refresh_from_db()
        label = ApplicationStatus(application.status).label
        with pytest.raises(Conflict, match=f"This application is “{label}”"):
            identity_check_run(actor=officer, application=application)
        with pytest.raises(Conflict, match="can no longer be run or changed"):
            identity_check_resolve(
                actor=officer,
                check=pending,
                decision=SAME_PERSON,
                person_public_id=str(person.public_id),
                reason=REASON,
            )
        with pytest.raises(Conflict, match="can no longer be run or changed"):
            identity_check_fail(actor=officer, check=pending, reason=FAIL_REASON)

    assert (snapshot(withdrawn), snapshot(decided)) == before


def test_without_permission_nothing_happens(officer, make_user):
    registration_officer = make_user(Role.REGISTRATION_OFFICER)
    application = applied("amal@example.org", "k1")
    check = identity_check_run(actor=officer, application=application)
    before = snapshot(application)

    with pytest.raises(PermissionDenied):
        identity_check_run(actor=registration_officer, application=application)
    with pytest.raises(PermissionDenied):
        identity_check_resolve(
            actor=registration_officer, check=check, decision=NEW_PERSON, reason=NEW_REASON
        )
    with pytest.raises(PermissionDenied):
        identity_check_fail(actor=registration_officer, check=check, reason=FAIL_REASON)
    # Who the applicant is, is a person's decision, never a script's.
    with pytest.raises(PermissionDenied):
        identity_check_resolve(
            actor=SystemActor("script"), check=check, decision=NEW_PERSON, reason=NEW_REASON
        )

    assert snapshot(application) == before


# --- The case view -----------------------------------------------------------------------------


def _case(application: Application) -> str:
    return f"/applications/{application.public_id}/"


def test_an_officer_runs_sees_and_resolves_the_check_on_the_case_page(officer, client_for):
    person = known(officer)
    earlier = applied("amal@example.org", "k1", given_names="Samira", family_name="Nasser")
    application = applied("amal@example.org", "k2")
    client = client_for(officer)

    page = client.get(_case(application))
    assert "The identity check has not been run" in text(page)

    response = client.post(f"{_case(application)}identity/run/")
    assert response.status_code == 302
    page = client.get(response["Location"])
    content = text(page)
    assert "The identity check found 1 person on record who may be the applicant" in content
    assert "Waiting for an officer" in content
    assert "Amal Haddad" in content
    assert "1991-03" in content
    assert "Agree:" in content
    assert earlier.reference in content
    assert "Same email address or phone number" in content
    assert f"/people/{person.pk}/" in content

    check = ApplicationCheck.objects.get(application=application, superseded_at__isnull=True)
    response = client.post(
        f"{_case(application)}identity/{check.pk}/resolve/",
        {"identity-person": str(person.public_id), "identity-reason": REASON},
    )
    assert response.status_code == 302
    content = text(client.get(response["Location"]))
    assert "the applicant is linked to the person on record" in content
    assert "Passed" in content
    assert REASON in content
    assert "See the person's record" in content
    assert linked_person(application) == person


def test_a_refused_resolution_shows_the_case_again_with_the_message(officer, client_for):
    known(officer)
    application = applied("amal@example.org", "k1")
    check = identity_check_run(actor=officer, application=application)
    client = client_for(officer)
    before = snapshot(application)

    no_choice = client.post(f"{_case(application)}identity/{check.pk}/resolve/", {})
    no_reason = client.post(
        f"{_case(application)}identity/{check.pk}/resolve/",
        {"identity-person": NEW_PERSON, "identity-reason": "new"},
    )
    tampered = client.post(
        f"{_case(application)}identity/{check.pk}/resolve/",
        {"identity-person": "<script>alert(1)</script>", "identity-reason": REASON},
    )
    short_fail = client.post(
        f"{_case(application)}identity/{check.pk}/fail/", {"identity-fail-reason": "Doubtful"}
    )

    assert no_choice.status_code == 400
    assert errors(no_choice) == [
        "Choose one of the people listed, or that the applicant is a new person"
    ]
    assert no_reason.status_code == 400
    assert errors(no_reason) == ["Say why, in at least 10 characters"]
    assert tampered.status_code == 400
    assert errors(tampered) == ["Choose one of the people this check found"]
    assert "<script>alert(1)</script>" not in tampered.content.decode()
    assert short_fail.status_code == 400
    assert errors(short_fail) == [
        "Say why the identity cannot be established, in at least 20 characters"
    ]
    assert snapshot(application) == before


def test_a_check_of_another_application_is_not_found(officer, client_for):
    application = applied("amal@example.org", "k1")
    other = applied("other@example.org", "k2")
    check = identity_check_run(actor=officer, application=other)
    client = client_for(officer)

    response = client.post(
        f"{_case(application)}identity/{check.pk}/fail/", {"identity-fail-reason": FAIL_REASON}
    )

    assert response.status_code == 404
    check.refresh_from_db()
    assert check.outcome == CheckOutcome.PENDING


def test_someone_who_may_only_look_sees_the_panel_without_its_buttons(
    officer, make_user, client_for
):
    application = applied("amal@example.org", "k1")
    identity_check_run(actor=officer, application=application)
    viewer = make_case_reader(make_user)
    client = client_for(viewer)

    page = client.get(_case(application))

    assert page.status_code == 200
    content = page.content.decode()
    assert 'data-testid="identity-panel"' in content
    assert "identity-resolve-form" not in content
    assert "identity-fail-form" not in content
    assert "identity-run" not in content
    assert client.post(f"{_case(application)}identity/run/").status_code == 403


def test_a_failed_check_is_shown_with_who_and_why(officer, client_for):
    application = applied("amal@example.org", "k1")
    check = identity_check_run(actor=officer, application=application)
    client = client_for(officer)

    response = client.post(
        f"{_case(application)}identity/{check.pk}/fail/", {"identity-fail-reason": FAIL_REASON}
    )

    assert response.status_code == 302
    content = text(client.get(response["Location"]))
    assert "Identity check failed" in content
    assert FAIL_REASON in content
    assert "Run it again" in content

    response = client.post(f"{_case(application)}identity/run/")
    content = text(client.get(response["Location"]))
    assert "Waiting for an officer" in content
    assert f"Failed — decided by {officer}" in content  # the earlier run, listed


def _statements(captured: CaptureQueriesContext) -> int:
    return sum(
        1
        for query in captured.captured_queries
        if not query["sql"].startswith(("SAVEPOINT", "RELEASE SAVEPOINT"))
    )


def test_the_panel_costs_at_most_two_queries(officer, client_for):
    person = known(officer)
    known(officer, given_names="Amal", family_name="Hadad", born="1991")
    plain = sent(1)
    checked = applied("amal@example.org", "k1")
    check = identity_check_run(actor=officer, application=checked)
    identity_check_run(actor=officer, application=checked)  # an earlier run to list
    check = ApplicationCheck.objects.get(application=checked, superseded_at__isnull=True)
    assert len(check.evidence["candidates"]) >= 2
    identity_check_resolve(
        actor=officer,
        check=check,
        decision=SAME_PERSON,
        person_public_id=str(person.public_id),
        reason=REASON,
    )
    client = client_for(officer)
    client.get(_case(plain))

    with CaptureQueriesContext(connection) as without:
        assert client.get(_case(plain)).status_code == 200
    with CaptureQueriesContext(connection) as with_evidence:
        assert client.get(_case(checked)).status_code == 200

    # One query for the runs in both; one more for the register's identities when there is
    # evidence and a linked person (merged one level deep, read with the runs).
    assert _statements(with_evidence) - _statements(without) <= 1


def test_a_check_id_that_is_not_an_identity_check_is_not_found(officer):
    application = applied("amal@example.org", "k1")
    check = identity_check_run(actor=officer, application=application)
    ApplicationCheck.objects.filter(pk=check.pk).update(kind="security")
    check.refresh_from_db()

    with pytest.raises(NotFound):
        identity_check_fail(actor=officer, check=check, reason=FAIL_REASON)
