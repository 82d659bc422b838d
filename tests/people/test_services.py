"""Recording people, correcting identities, deciding matches, merging and undoing."""

from __future__ import annotations

import pytest

from safepassage.audit.models import AuditEvent
from safepassage.core.actors import SystemActor
from safepassage.core.errors import Conflict, PermissionDenied, ValidationFailed
from safepassage.core.roles import Role
from safepassage.people import selectors, services
from safepassage.people.models import Identity, IdentityNameKey, MatchDecision, Merge, Person

pytestmark = pytest.mark.django_db

AMINA = services.IdentityInput(
    given_names="Amina",
    family_name="Al-Hassan",
    given_names_original="أمينة",
    family_name_original="الحسن",
    original_script="Arab",
    date_of_birth="1992-05",
    sex="F",
    nationality="SYR",
    place_of_birth="Homs",
    languages=("ar",),
    documents=(
        services.DocumentInput(document_type="passport", number="n 0123456", issuing_country="SYR"),
    ),
)


@pytest.fixture
def officer(make_user):
    return make_user(Role.REGISTRATION_OFFICER)


def test_register_a_person_with_names_in_both_scripts_and_a_partial_date(officer):
    person = services.person_register(actor=officer, identity=AMINA)
    identity = Identity.objects.get(person=person)
    assert identity.date_of_birth_text == "1992-05"
    assert identity.full_name_original == "أمينة الحسن"
    assert identity.documents.get().number_key == "N0123456"
    assert identity.family_key == "hsn"
    assert IdentityNameKey.objects.filter(identity=identity, key="mn").exists()
    assert AuditEvent.objects.get(action="people.person_registered").object_id == str(person.pk)


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        (
            {
                "given_names": "",
                "family_name": "",
                "given_names_original": "",
                "family_name_original": "",
            },
            "given_names",
            "Enter the person's name",
        ),
        ({"nationality": "ZZZ"}, "nationality", "Choose a nationality from the list"),
        ({"date_of_birth": "1992-02-30"}, "date_of_birth", "Enter a real date of birth"),
        ({"date_of_birth": "2099"}, "date_of_birth", "The date of birth must be in the past"),
        ({"original_script": ""}, "original_script", "Choose the script"),
        ({"languages": ("klingon",)}, "languages", "Unknown language code: klingon"),
    ],
)
def test_bad_input_is_refused_and_nothing_is_recorded(officer, change, field, message):
    values = {**AMINA.__dict__, **change}
    with pytest.raises(ValidationFailed) as refused:
        services.person_register(actor=officer, identity=services.IdentityInput(**values))
    assert message in " ".join(refused.value.field_errors()[field])
    assert not Person.objects.exists()


def test_only_permitted_roles_record_people(make_user):
    with pytest.raises(PermissionDenied):
        services.person_register(actor=make_user(Role.SCREENING_OFFICER), identity=AMINA)
    assert not Person.objects.exists()


def test_a_correction_supersedes_and_keeps_the_old_identity(officer):
    person = services.person_register(actor=officer, identity=AMINA)
    original = Identity.objects.get(person=person)
    corrected = services.identity_correct(
        actor=officer,
        person=person,
        identity=services.IdentityInput(**{**AMINA.__dict__, "date_of_birth": "1992-05-17"}),
        reason="Birth certificate seen",
    )
    original.refresh_from_db()
    assert not original.is_current
    assert corrected.supersedes == original
    assert corrected.is_current
    assert Identity.objects.filter(person=person).count() == 2
    with pytest.raises(ValidationFailed):
        services.identity_correct(actor=officer, person=person, identity=AMINA, reason="")


def test_find_candidates_ranks_the_same_person_first_and_explains_why(officer):
    known = services.person_register(actor=officer, identity=AMINA)
    services.person_register(
        actor=officer,
        identity=services.IdentityInput(
            given_names="Amina",
            family_name="Yousef",
            date_of_birth="1970",
            sex="F",
            nationality="ERI",
        ),
    )
    arriving = services.person_register(
        actor=officer,
        identity=services.IdentityInput(
            given_names="Ameena",
            family_name="Hassan",
            date_of_birth="1992-05-01",
            sex="F",
            nationality="SYR",
            documents=(services.DocumentInput(document_type="passport", number="N0123456"),),
        ),
    )
    candidates = selectors.find_candidates(
        actor=officer, identity=selectors.current_identity(arriving)
    )
    assert candidates[0].person == known
    assert candidates[0].probability > 0.5
    # Amina Yousef shares a given name but nothing else: not put to the officer at all.
    assert len(candidates) == 1
    fields = {field.comparison: field for field in candidates[0].fields}
    assert fields["document"].level == "The same number"
    assert fields["document"].weight > 0
    assert arriving not in [candidate.person for candidate in candidates]


def test_not_the_same_is_remembered_and_same_merges_without_losing_anything(officer):
    known = services.person_register(actor=officer, identity=AMINA)
    arriving = services.person_register(actor=officer, identity=AMINA)
    with pytest.raises(ValidationFailed, match="Say why they are not the same person"):
        services.match_decide(actor=officer, subject=arriving, candidate=known, decision="not_same")
    services.match_decide(
        actor=officer,
        subject=arriving,
        candidate=known,
        decision="not_same",
        reason="Different mothers' names",
    )
    identity = selectors.current_identity(arriving)
    assert known not in [
        c.person for c in selectors.find_candidates(actor=officer, identity=identity)
    ]

    services.match_decide(
        actor=officer, subject=arriving, candidate=known, decision="same", reason="Biometrics match"
    )
    arriving.refresh_from_db()
    assert arriving.merged_into == known
    assert selectors.identities_of(known).count() == 2  # nothing lost
    assert MatchDecision.objects.count() == 2
    with pytest.raises(Conflict, match="already been merged"):
        services.match_decide(actor=officer, subject=arriving, candidate=known, decision="same")


def test_undoing_a_merge_needs_a_senior_and_restores_two_people(officer, make_user):
    known = services.person_register(actor=officer, identity=AMINA)
    arriving = services.person_register(actor=officer, identity=AMINA)
    merge = services.person_merge(
        actor=officer, survivor=known, merged=arriving, reason="Same passport"
    )
    with pytest.raises(PermissionDenied):
        services.merge_undo(actor=officer, merge=merge, reason="Mistake")
    senior = make_user(Role.SENIOR_CASEWORKER)
    with pytest.raises(PermissionDenied):
        services.merge_undo(actor=SystemActor("script"), merge=merge, reason="Mistake in the merge")
    services.merge_undo(actor=senior, merge=merge, reason="Twins, not one person")
    arriving.refresh_from_db()
    assert arriving.merged_into is None
    merge.refresh_from_db()
    assert merge.undone_by == senior
    assert Merge.objects.count() == 1
    with pytest.raises(Conflict):
        services.merge_undo(actor=senior, merge=merge, reason="Twins, not one person")
    assert (
        AuditEvent.objects.filter(action__in=["people.merged", "people.merge_undone"]).count() == 2
    )


def test_reading_a_person_is_logged_and_scoped(officer, make_user):
    person = services.person_register(actor=officer, identity=AMINA)
    selectors.person_get(actor=officer, person_id=person.pk)
    assert AuditEvent.objects.filter(stream="access", object_id=str(person.pk)).count() == 1
    with pytest.raises(PermissionDenied):
        selectors.person_get(actor=make_user(Role.INTERPRETER), person_id=person.pk)
