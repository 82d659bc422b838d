"""The security check: screening names against the watch list (pure rules, then the local
provider), loading the watch list from a CSV (all or nothing), running and adjudicating the check,
and the pages: the administrator's watch list page and the case view's security panel."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from safepassage.applications import security_providers as providers
from safepassage.applications.models import (
    Application,
    ApplicationCheck,
    ApplicationStatus,
    StatusChange,
    WatchList,
    WatchListEntry,
    WatchListKey,
)
from safepassage.applications.security_providers import (
    ListedPerson,
    LocalWatchListProvider,
    ScreeningSubject,
    assess,
    get_security_provider,
)
from safepassage.applications.services import security as service
from safepassage.applications.services.security import (
    security_check_adjudicate,
    security_check_run,
    watch_list_load,
)
from safepassage.audit.models import AuditEvent
from safepassage.core.actors import SystemActor
from safepassage.core.errors import Conflict, PermissionDenied, ValidationFailed
from safepassage.core.roles import Role
from tests.applications.helpers import errors, text
from tests.applications.sent import sent

HEADER = "reference,family_name,given_names,date_of_birth,nationality\n"
LIST = HEADER + (
    "WL-0001,Haddad,Mohammed,1985-03-02,SYR\n"
    "WL-0002,Al-Rashid,Omar Farouk,1979,IRQ\n"
    "WL-0003,Gebremedhin,Yonas,1990-07,ERI\n"
    "WL-0004,Hosseini,Ali Reza,,AFG\n"
)
A_GOOD_REASON = "Listed person is 20 years older; passport photo compared with the list's."


def subject(**fields: str) -> ScreeningSubject:
    return ScreeningSubject(**fields)


def listed(family: str, given: str = "", born: str = "", nationality: str = "") -> ListedPerson:
    return ListedPerson("WL-1", family, given, born, nationality)


def result_of(found: providers.ScreeningHit | None) -> str:
    return found.result if found else "clear"


# --- The rules, without a database -----------------------------------------------------------


def test_the_same_name_and_full_date_of_birth_is_a_match() -> None:
    found = assess(
        subject(given_names="Mohammed", family_name="Haddad", date_of_birth="1985-03-02"),
        listed("Haddad", "Mohammed", "1985-03-02", "SYR"),
    )
    assert found is not None
    assert found.result == "match"
    assert found.score == 100
    assert found.agreement == {
        "name": "strong",
        "date_of_birth": "exact",
        "nationality": "unknown",
    }


@pytest.mark.parametrize(
    ("mine", "theirs"),
    [
        # Arabic script against Latin letters.
        ({"given_names_original": "محمد", "family_name_original": "حداد"}, ("Haddad", "Mohammed")),
        # Spellings of the same name.
        ({"given_names": "Muhammad", "family_name": "Hadad"}, ("Haddad", "Mohammed")),
        # Given and family names the other way round.
        ({"given_names": "Haddad", "family_name": "Mohammed"}, ("Haddad", "Mohammed")),
        # The article al- written, joined or left out.
        ({"given_names": "Omar", "family_name": "Rashid"}, ("Al-Rashid", "Omar")),
        ({"given_names": "Omar", "family_name": "Alrashid"}, ("al Rashid", "Omar")),
        # Persian script, and Tigrinya names spelt two ways.
        ({"given_names_original": "علی", "family_name_original": "حسینی"}, ("Hosseini", "Ali")),
        ({"given_names": "Yonas", "family_name": "Ghebremedhin"}, ("Gebremedhin", "Jonas")),
        # A compound name written apart or together.
        ({"given_names": "Abdul Rahman", "family_name": "Saleh"}, ("Saleh", "Abdulrahman")),
    ],
)
def test_transliterations_spellings_and_order_are_at_least_a_possible_match(
    mine: dict[str, str], theirs: tuple[str, str]
) -> None:
    found = assess(subject(**mine), listed(*theirs))
    assert result_of(found) in ("possible_match", "match"), found


def test_an_unrelated_name_is_clear() -> None:
    mine = subject(given_names="Amal", family_name="Haddad", date_of_birth="1985-03-02")
    assert assess(mine, listed("Smith", "John", "1985-03-02")) is None
    # Sharing only a common given name is not enough: the listed family name must agree.
    assert assess(mine, listed("Karimi", "Amal", "1985-03-02")) is None


def test_a_contradicting_date_of_birth_lowers_a_match_to_possible() -> None:
    mine = subject(given_names="Mohammed", family_name="Haddad", date_of_birth="1985-03-02")
    found = assess(mine, listed("Haddad", "Mohammed", "1983-11-20"))
    assert found is not None
    assert found.result == "possible_match"
    assert found.agreement["date_of_birth"] == "contradicts"


def test_dates_years_apart_rule_out_all_but_the_same_name_as_written() -> None:
    mine = subject(given_names="Muhammad", family_name="Haddad", date_of_birth="1985-03-02")
    # Twenty years apart, and spelt differently: somebody else with a common name.
    assert assess(mine, listed("Haddad", "Mohammed", "1965-03-02")) is None
    # Written exactly alike: an officer looks, however far apart the dates.
    found = assess(mine, listed("HADDAD", "Muhammad", "1965-03-02"))
    assert found is not None
    assert found.result == "possible_match"
    assert found.agreement["date_of_birth"] == "far_apart"


def test_partial_or_unknown_dates_and_other_nationalities_need_an_officer() -> None:
    mine = subject(
        given_names="Mohammed",
        family_name="Haddad",
        date_of_birth="1985-03-02",
        nationality="SYR",
    )
    assert result_of(assess(mine, listed("Haddad", "Mohammed", "1985"))) == "possible_match"
    assert result_of(assess(mine, listed("Haddad", "Mohammed", ""))) == "possible_match"
    assert (
        result_of(assess(mine, listed("Haddad", "Mohammed", "1985-03-02", "IRQ")))
        == "possible_match"
    )
    # Day and month swapped is how a date is usually miswritten: partly the same, not different.
    swapped = assess(mine, listed("Haddad", "Mohammed", "1985-02-03"))
    assert swapped is not None
    assert swapped.agreement["date_of_birth"] == "partial"


def test_a_missing_middle_name_is_a_possible_match_unless_the_date_contradicts() -> None:
    mine = subject(given_names="Mohammed", family_name="Haddad", date_of_birth="1985-03-02")
    similar = assess(mine, listed("Haddad", "Mohammed Ali", "1985-03-02"))
    assert similar is not None
    assert similar.result == "possible_match"
    assert similar.agreement["name"] == "good"
    assert assess(mine, listed("Haddad", "Mohammed Ali", "1950-01-20")) is None


NAMES = st.text(
    alphabet=st.sampled_from(list("abdefhiklmnoqrstuyz -'") + list("محمدعليحسنገብረ")),
    max_size=20,
)


@settings(max_examples=200, deadline=None)
@given(first=NAMES, second=NAMES, family=NAMES, given_names=NAMES)
def test_the_order_of_the_subject_s_names_never_matters(
    first: str, second: str, family: str, given_names: str
) -> None:
    person = listed(family or "Haddad", given_names)
    one_way = assess(subject(given_names=first, family_name=second), person)
    other_way = assess(subject(given_names=second, family_name=first), person)
    assert one_way == other_way
    # Keys the subject looks for do not depend on the order either.
    assert providers.subject_keys(
        subject(given_names=first, family_name=second)
    ) == providers.subject_keys(subject(given_names=second, family_name=first))


@settings(max_examples=300, deadline=None)
@given(
    texts=st.lists(st.text(), min_size=6, max_size=6),
    born=st.text(max_size=12),
    entry_born=st.text(max_size=12),
)
def test_screening_never_raises_on_any_text(texts: list[str], born: str, entry_born: str) -> None:
    mine = ScreeningSubject(texts[0], texts[1], texts[2], texts[3], born, texts[4][:3])
    found = assess(mine, ListedPerson("WL", texts[5] or "x", texts[4], entry_born))
    assert found is None or found.result in ("possible_match", "match")
    assert 0 <= (found.score if found else 0) <= 100
    providers.subject_keys(mine)
    providers.entry_keys(texts[4], texts[5])


@settings(max_examples=100, deadline=None)
# Any name a watch list can hold: one with letters (an ayn alone, ع, is written as nothing).
@given(name=NAMES.filter(lambda value: bool(providers.name_words(value))))
def test_anyone_screened_against_themselves_is_a_strong_name(name: str) -> None:
    found = assess(
        subject(given_names="Amal", family_name=name, date_of_birth="1990-05-06"),
        listed(name, "Amal", "1990-05-06"),
    )
    assert found is not None
    assert found.result == "match"


def test_the_provider_comes_from_the_setting(settings: Any) -> None:
    assert isinstance(get_security_provider(), LocalWatchListProvider)
    settings.SECURITY_CHECK_PROVIDER = "tests.applications.test_security_check.AlwaysClear"
    provider = get_security_provider()
    assert provider.name == "always-clear"
    settings.SECURITY_CHECK_PROVIDER = "tests.applications.test_security_check.NotAProvider"
    with pytest.raises(TypeError):
        get_security_provider()


class AlwaysClear:
    """A stand-in for a government system, plugged in through the setting."""

    name = "always-clear"

    def screen(self, subject: ScreeningSubject) -> providers.ScreeningReport:
        return providers.ScreeningReport(result="clear", hits=(), list_version="gov-2026-11")


class NotAProvider:
    pass


# --- Loading the watch list ------------------------------------------------------------------


@pytest.fixture
def admin(make_user: Any) -> Any:
    return make_user(Role.ADMINISTRATOR)


@pytest.fixture
def decider(make_user: Any) -> Any:
    return make_user(Role.DECISION_MAKER)


def load(actor: Any, content: str | bytes = LIST, filename: str = "list.csv") -> WatchList:
    data = content.encode() if isinstance(content, str) else content
    return watch_list_load(actor=actor, filename=filename, content=data)


def refusal(actor: Any, content: str | bytes) -> list[str]:
    with pytest.raises(ValidationFailed) as caught:
        load(actor, content)
    assert str(caught.value.message) == "The watch list was not loaded. Nothing has changed."
    return caught.value.field_errors()["file"]


@pytest.mark.django_db
def test_a_good_file_becomes_the_current_list_and_the_old_one_is_kept(admin: Any) -> None:
    first = load(admin)
    second = load(admin, HEADER + "WL-0100,Karimi,Nasrin,1992-04-11,AFG\n", "new.csv")

    first.refresh_from_db()
    assert not first.is_current
    assert second.is_current
    assert second.entry_count == 1
    assert first.entry_count == 4
    assert WatchListEntry.objects.filter(watch_list=first).count() == 4
    entry = WatchListEntry.objects.get(watch_list=second)
    assert (entry.list_reference, entry.row_number) == ("WL-0100", 2)
    assert set(WatchListKey.objects.filter(entry=entry).values_list("key", flat=True)) == {
        "nsrn",
        "f:krm",
    }
    event = AuditEvent.objects.filter(action="applications.watch_list_loaded").last()
    assert event is not None
    payload = json.loads(event.payload_json)
    assert payload["entries"] == 1
    assert payload["previous"] == first.pk
    assert len(payload["sha256"]) == 64
    assert "Karimi" not in event.payload_json
    assert "new.csv" not in event.payload_json


@pytest.mark.django_db
def test_a_byte_order_mark_blank_lines_and_columns_in_another_order_are_fine(admin: Any) -> None:
    content = (
        "\ufeffNationality, Reference ,family_name,given_names,date_of_birth\r\n"
        "SYR,WL-9,Haddad,Mohammed,1985\r\n"
        "\r\n"
        ",,,,\r\n"
        'syr,WL-10,"Haddad, Al",,\r\n'
    )
    watch_list = load(admin, content.encode("utf-8"))
    assert watch_list.entry_count == 2
    assert list(watch_list.entries.values_list("nationality", flat=True)) == ["SYR", "SYR"]


BAD_FILES = {
    "not UTF-8": (
        (HEADER + "WL-1,Müller,Hans,,\n").encode("latin-1"),
        "The file must be saved as CSV UTF-8. Line 2 has characters that are not UTF-8: in your "
        "spreadsheet, choose Save as, then CSV UTF-8.",
    ),
    "empty": (b"", "The file is empty."),
    "only blank lines": (b"\n\n  \n", "The file is empty."),
    "a header and nothing else": (HEADER.encode(), "The file has a header row but no entries."),
    "a missing column": (
        b"reference,family_name,given_names,date_of_birth\nWL-1,Haddad,,,\n",
        "Row 1 (the header) is missing the columns: nationality.",
    ),
    "an unknown column": (
        b"reference,surname,given_names,date_of_birth,nationality\nWL-1,Haddad,,,\n",
        "Row 1 (the header) has columns this list does not have: surname.",
    ),
    "a column with no name": (
        (HEADER.strip() + ",\nWL-1,Haddad,,,,\n").encode(),
        "Row 1 (the header) has columns this list does not have: a column with no name.",
    ),
    "no header": (
        b"WL-1,Haddad,Mohammed,1985,SYR\n",
        "Row 1 (the header) has columns this list does not have: wl-1, haddad, mohammed, 1985, "
        "syr.",
    ),
    "a missing reference": (
        (HEADER + "WL-1,Haddad,,,\n,Karimi,,,\n").encode(),
        "Row 3: enter the reference.",
    ),
    "a missing family name": (
        (HEADER + "WL-1,Haddad,,,\nWL-2,,Nasrin,,\n").encode(),
        "Row 3: enter the family name.",
    ),
    "a family name without letters": (
        (HEADER + "WL-1,--- ???,,,\n").encode(),
        "Row 2: the family name has no letters.",
    ),
    "a bad date": (
        (HEADER + "WL-1,Haddad,,02/03/1985,\n").encode(),
        "Row 2: the date of birth 02/03/1985 must be a real date written YYYY, YYYY-MM or "
        "YYYY-MM-DD, like 1985-03-02.",
    ),
    "an impossible date": (
        (HEADER + "WL-1,Haddad,,1985-02-30,\n").encode(),
        "Row 2: the date of birth 1985-02-30 must be a real date written YYYY, YYYY-MM or "
        "YYYY-MM-DD, like 1985-03-02.",
    ),
    "an unknown country": (
        (HEADER + "WL-1,Haddad,,,XYZ\n").encode(),
        "Row 2: XYZ is not a country code. Use the ISO 3166-1 three-letter code, like SYR or "
        "AFG, or leave it empty.",
    ),
    "a two-letter country": (
        (HEADER + "WL-1,Haddad,,,SY\n").encode(),
        "Row 2: SY is not a country code. Use the ISO 3166-1 three-letter code, like SYR or "
        "AFG, or leave it empty.",
    ),
    "a duplicate reference": (
        (HEADER + "WL-1,Haddad,,,\nWL-2,Karimi,,,\nwl-1,Hosseini,,,\n").encode(),
        "Row 4: the reference wl-1 is also on row 2.",
    ),
    "too few values": (
        (HEADER + "WL-1,Haddad,Mohammed\n").encode(),
        "Row 2 has 3 values; it must have 5.",
    ),
    "too many values": (
        (HEADER + "WL-1,Haddad,Mohammed,1985,SYR,extra\n").encode(),
        "Row 2 has 6 values; it must have 5.",
    ),
    "a reference too long": (
        (HEADER + "W" * 61 + ",Haddad,,,\n").encode(),
        "Row 2: the reference must be 60 characters or fewer.",
    ),
    "binary content": (
        b"\x00\x01\x02PK\x03\x04" + HEADER.encode(),
        "The file is not a CSV file: it has binary content.",
    ),
}


@pytest.mark.django_db
@pytest.mark.parametrize("kind", list(BAD_FILES))
def test_a_bad_file_gets_a_clear_message_and_nothing_changes(admin: Any, kind: str) -> None:
    before = load(admin)
    content, message = BAD_FILES[kind]
    events_before = AuditEvent.objects.count()

    assert message in refusal(admin, content)

    assert WatchList.objects.get(is_current=True) == before
    assert WatchList.objects.count() == 1
    assert WatchListEntry.objects.count() == 4
    assert WatchListKey.objects.filter(watch_list=before).count() == WatchListKey.objects.count()
    assert AuditEvent.objects.count() == events_before


@pytest.mark.django_db
def test_a_file_with_too_many_rows_is_refused(admin: Any, monkeypatch: Any) -> None:
    monkeypatch.setattr(service, "MAXIMUM_ROWS", 3)
    assert refusal(admin, LIST) == [
        "The file has more than 3 rows. Split the list, or ask for help."
    ]
    assert not WatchList.objects.exists()


@pytest.mark.django_db
def test_a_file_at_the_size_limit_is_refused_in_megabytes(admin: Any) -> None:
    content = (HEADER + "WL-1,Haddad,,,\n").encode() + b" " * (5 * 1024 * 1024)
    assert refusal(admin, content) == ["The file must be smaller than 5 MB."]


@pytest.mark.django_db
def test_many_bad_rows_are_named_up_to_twenty_and_the_rest_counted(admin: Any) -> None:
    content = HEADER + "".join(f"WL-{number},Haddad,,not a date,\n" for number in range(25))
    found = refusal(admin, content)
    assert len(found) == 21
    assert found[0].startswith("Row 2: the date of birth not a date")
    assert found[19].startswith("Row 21:")
    assert found[20] == "And 5 more problems. Fix them all and upload the file again."


@pytest.mark.django_db
def test_only_an_administrator_loads_the_watch_list(decider: Any) -> None:
    with pytest.raises(PermissionDenied):
        load(decider)
    with pytest.raises(PermissionDenied):
        load(SystemActor("script"))  # the list says who loaded it: a person
    assert not WatchList.objects.exists()


# --- The local provider against the database -------------------------------------------------


@pytest.mark.django_db
def test_the_provider_screens_the_current_list_only(admin: Any) -> None:
    load(admin)
    provider = LocalWatchListProvider()
    mohammed = subject(given_names="Muhammad", family_name="Haddad", date_of_birth="1985-03-02")

    report = provider.screen(mohammed)
    assert report.result == "match"
    assert [hit.list_reference for hit in report.hits] == ["WL-0001"]
    assert report.watch_list_id == WatchList.objects.get(is_current=True).pk

    newer = load(admin, HEADER + "WL-0100,Karimi,Nasrin,1992-04-11,AFG\n")
    report = provider.screen(mohammed)
    assert report.result == "clear"
    assert report.hits == ()
    assert report.list_version == str(newer.pk)


@pytest.mark.django_db
def test_the_provider_finds_reversed_and_transliterated_names(admin: Any) -> None:
    load(admin)
    report = LocalWatchListProvider().screen(
        # Persian script, family name first, without the listed middle name (Reza).
        subject(given_names_original="حسینی", family_name_original="علی", nationality="AFG")
    )
    assert report.result == "possible_match"
    assert [hit.list_reference for hit in report.hits] == ["WL-0004"]


@pytest.mark.django_db
def test_the_provider_refuses_without_a_list() -> None:
    with pytest.raises(Conflict, match="No watch list has been loaded"):
        LocalWatchListProvider().screen(subject(given_names="Amal", family_name="Haddad"))


# --- Running the check -----------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.usefixtures("portal")
def test_a_clear_check_passes_and_the_application_moves_to_checks(admin: Any, decider: Any) -> None:
    load(admin)
    application = sent(1, given_names="Amal", family_name="Karimi", born="1990-05-06")
    assert application.status == ApplicationStatus.RECEIVED

    check = security_check_run(actor=decider, application=application)

    assert (check.result, check.outcome, check.provider) == ("clear", "passed", "local-watch-list")
    assert check.started_by == decider
    assert check.started_by_label == f"user:{decider.pk}"
    assert check.evidence["hits"] == []
    application.refresh_from_db()
    assert application.status == ApplicationStatus.CHECKS_IN_PROGRESS
    assert StatusChange.objects.filter(
        application=application, to_status="checks_in_progress"
    ).exists()


@pytest.mark.django_db
@pytest.mark.usefixtures("portal")
def test_a_match_fails_and_its_evidence_quotes_references_not_names(
    admin: Any, decider: Any
) -> None:
    watch_list = load(admin)
    application = sent(1, given_names="Mohamed", family_name="Haddad", born="1985-03-02")

    check = security_check_run(actor=decider, application=application)

    assert (check.result, check.outcome) == ("match", "failed")
    assert check.evidence["watch_list_id"] == watch_list.pk
    [hit] = check.evidence["hits"]
    assert hit["list_reference"] == "WL-0001"
    assert hit["score"] == 100
    assert hit["agreement"] == {"name": "strong", "date_of_birth": "exact", "nationality": "same"}
    evidence = json.dumps(check.evidence)
    assert "Haddad" not in evidence
    assert "Mohammed" not in evidence
    event = AuditEvent.objects.filter(action="applications.security_check_run").get()
    assert json.loads(event.payload_json)["result"] == "match"
    assert "Haddad" not in event.payload_json
    assert "Moham" not in event.payload_json


@pytest.mark.django_db
@pytest.mark.usefixtures("portal")
def test_running_again_supersedes_the_earlier_run_and_keeps_it(admin: Any, decider: Any) -> None:
    load(admin)
    application = sent(1, given_names="Mohammed", family_name="Haddad", born="1985")
    first = security_check_run(actor=decider, application=application)
    assert (first.result, first.outcome) == ("possible_match", "pending")

    second = security_check_run(actor=decider, application=application)

    first.refresh_from_db()
    assert first.superseded_at is not None
    assert second.is_current
    assert ApplicationCheck.objects.filter(application=application).count() == 2
    assert (
        json.loads(
            AuditEvent.objects.filter(action="applications.security_check_run").last().payload_json  # type: ignore[union-attr]
        )["superseded"]
        == first.pk
    )


@pytest.mark.django_db
@pytest.mark.usefixtures("portal")
def test_without_a_watch_list_the_check_is_refused_and_nothing_changes(decider: Any) -> None:
    application = sent(1)
    with pytest.raises(Conflict) as caught:
        security_check_run(actor=decider, application=application)
    assert "No watch list has been loaded" in str(caught.value.message)
    application.refresh_from_db()
    assert application.status == ApplicationStatus.RECEIVED
    assert not ApplicationCheck.objects.exists()


@pytest.mark.django_db
@pytest.mark.usefixtures("portal")
@pytest.mark.parametrize("status", ["decided", "withdrawn"])
def test_a_closed_application_is_not_checked(admin: Any, decider: Any, status: str) -> None:
    load(admin)
    application = sent(1)
    Application.objects.filter(pk=application.pk).update(status=status)
    application.refresh_from_db()
    with pytest.raises(Conflict):
        security_check_run(actor=decider, application=application)
    assert not ApplicationCheck.objects.exists()


@pytest.mark.django_db
@pytest.mark.usefixtures("portal")
def test_a_biometrics_needed_application_keeps_its_status(admin: Any, decider: Any) -> None:
    load(admin)
    application = sent(1)
    Application.objects.filter(pk=application.pk).update(status="biometrics_needed")
    application.refresh_from_db()
    security_check_run(actor=decider, application=application)
    application.refresh_from_db()
    assert application.status == "biometrics_needed"


@pytest.mark.django_db
@pytest.mark.usefixtures("portal")
def test_only_a_decision_maker_runs_the_check(admin: Any, make_user: Any) -> None:
    load(admin)
    application = sent(1)
    for role in (Role.ADMINISTRATOR, Role.REGISTRATION_OFFICER, Role.AUDITOR):
        with pytest.raises(PermissionDenied):
            security_check_run(actor=make_user(role), application=application)
    assert not ApplicationCheck.objects.exists()


@pytest.mark.django_db
@pytest.mark.usefixtures("portal")
def test_another_provider_plugs_in_through_the_setting(decider: Any, settings: Any) -> None:
    settings.SECURITY_CHECK_PROVIDER = "tests.applications.test_security_check.AlwaysClear"
    check = security_check_run(actor=decider, application=sent(1))
    assert (check.provider, check.result, check.outcome) == ("always-clear", "clear", "passed")
    assert check.evidence["list_version"] == "gov-2026-11"


# --- Adjudicating a possible match -----------------------------------------------------------


@pytest.fixture
def possible(admin: Any, decider: Any, portal: Any) -> ApplicationCheck:
    load(admin)
    application = sent(1, given_names="Mohammed", family_name="Haddad", born="1985")
    check = security_check_run(actor=decider, application=application)
    assert check.result == "possible_match"
    return check


@pytest.mark.django_db
def test_an_officer_decides_a_possible_match_with_a_reason(
    possible: ApplicationCheck, decider: Any
) -> None:
    decided = security_check_adjudicate(
        actor=decider, check=possible, outcome="passed", reason=f"  {A_GOOD_REASON}  "
    )
    assert decided.outcome == "passed"
    assert decided.resolved_by == decider
    assert decided.resolved_at is not None
    assert decided.resolution_reason == A_GOOD_REASON
    event = AuditEvent.objects.filter(action="applications.security_check_adjudicated").get()
    assert json.loads(event.payload_json) == {"check": possible.pk, "outcome": "passed"}


@pytest.mark.django_db
def test_deciding_twice_is_refused(possible: ApplicationCheck, decider: Any) -> None:
    security_check_adjudicate(actor=decider, check=possible, outcome="failed", reason=A_GOOD_REASON)
    with pytest.raises(Conflict, match="already been decided"):
        security_check_adjudicate(
            actor=decider, check=possible, outcome="passed", reason=A_GOOD_REASON
        )
    possible.refresh_from_db()
    assert possible.outcome == "failed"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("outcome", "reason", "field", "message"),
    [
        ("passed", "Looks fine to me.", "reason", "Explain your decision in at least 20"),
        ("passed", "   ", "reason", "Explain your decision in at least 20"),
        ("maybe", A_GOOD_REASON, "outcome", "Choose whether the applicant passes or fails"),
        ("pending", A_GOOD_REASON, "outcome", "Choose whether the applicant passes or fails"),
    ],
)
def test_a_decision_needs_an_outcome_and_a_real_reason(
    possible: ApplicationCheck, decider: Any, outcome: str, reason: str, field: str, message: str
) -> None:
    with pytest.raises(ValidationFailed) as caught:
        security_check_adjudicate(actor=decider, check=possible, outcome=outcome, reason=reason)
    assert caught.value.field == field
    assert str(caught.value.message).startswith(message)
    possible.refresh_from_db()
    assert possible.outcome == "pending"
    assert possible.resolved_at is None


@pytest.mark.django_db
@pytest.mark.usefixtures("portal")
def test_a_clear_or_matched_check_has_nothing_to_decide(admin: Any, decider: Any) -> None:
    load(admin)
    clear = security_check_run(actor=decider, application=sent(1, family_name="Karimi"))
    matched = security_check_run(
        actor=decider,
        application=sent(2, given_names="Mohammed", family_name="Haddad", born="1985-03-02"),
    )
    for check in (clear, matched):
        with pytest.raises(Conflict, match="Only a possible match"):
            security_check_adjudicate(
                actor=decider, check=check, outcome="passed", reason=A_GOOD_REASON
            )


@pytest.mark.django_db
def test_a_superseded_or_decided_application_s_check_cannot_be_decided(
    possible: ApplicationCheck, decider: Any
) -> None:
    security_check_run(actor=decider, application=possible.application)
    with pytest.raises(Conflict, match="run again since"):
        security_check_adjudicate(
            actor=decider, check=possible, outcome="passed", reason=A_GOOD_REASON
        )
    current = ApplicationCheck.objects.get(application=possible.application, superseded_at=None)
    Application.objects.filter(pk=possible.application_id).update(status="decided")
    with pytest.raises(Conflict, match="has been decided"):
        security_check_adjudicate(
            actor=decider, check=current, outcome="passed", reason=A_GOOD_REASON
        )


@pytest.mark.django_db
def test_only_a_decision_maker_decides_a_possible_match(
    possible: ApplicationCheck, admin: Any, make_user: Any
) -> None:
    for actor in (admin, make_user(Role.REGISTRATION_OFFICER), SystemActor("script")):
        with pytest.raises(PermissionDenied):
            security_check_adjudicate(
                actor=actor, check=possible, outcome="passed", reason=A_GOOD_REASON
            )
    possible.refresh_from_db()
    assert possible.outcome == "pending"


# --- The pages -------------------------------------------------------------------------------


def upload(client: Any, content: str | bytes, name: str = "list.csv") -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    data = content.encode() if isinstance(content, str) else content
    return client.post(
        "/applications/watch-list/",
        {"file": SimpleUploadedFile(name, data, content_type="text/csv")},
    )


@pytest.mark.django_db
def test_the_administrator_loads_a_list_on_the_watch_list_page(admin: Any, client_for: Any) -> None:
    client = client_for(admin)
    page = client.get("/applications/watch-list/")
    assert page.status_code == 200
    assert "No watch list has been loaded" in text(page)
    assert "reference,family_name,given_names,date_of_birth,nationality" in text(page)
    assert 'href="/applications/watch-list/"' in page.content.decode()  # in the navigation
    assert 'enctype="multipart/form-data"' in page.content.decode()

    response = upload(client, LIST)
    assert response.status_code == 302
    page = client.get(response["Location"])
    shown = text(page)
    assert "The watch list was loaded: 4 entries. It is now the current list." in shown
    watch_list = WatchList.objects.get()
    assert watch_list.sha256[:16] in shown
    assert str(admin) in shown

    upload(client, HEADER + "WL-0100,Karimi,Nasrin,1992-04-11,AFG\n")
    page = client.get("/applications/watch-list/")
    assert 'data-testid="earlier-watch-lists"' in page.content.decode()


@pytest.mark.django_db
def test_a_bad_upload_lists_the_bad_rows_and_changes_nothing(admin: Any, client_for: Any) -> None:
    client = client_for(admin)
    upload(client, LIST)

    response = upload(client, HEADER + "WL-1,Haddad,,1985-13-01,\n,Karimi,,,XXX\nWL-1,Ali,,,\n")

    assert response.status_code == 400
    assert errors(response) == [
        "Row 2: the date of birth 1985-13-01 must be a real date written YYYY, YYYY-MM or "
        "YYYY-MM-DD, like 1985-03-02.",
        "Row 3: enter the reference.",
        "Row 3: XXX is not a country code. Use the ISO 3166-1 three-letter code, like SYR or "
        "AFG, or leave it empty.",
        "Row 4: the reference WL-1 is also on row 2.",
    ]
    assert WatchList.objects.get().entry_count == 4

    response = client.post("/applications/watch-list/", {})
    assert response.status_code == 400
    assert errors(response) == ["Choose a CSV file to upload"]

    response = upload(client, LIST.encode() + b" " * (5 * 1024 * 1024))
    assert response.status_code == 400
    assert errors(response) == ["The file must be smaller than 5 MB."]
    assert WatchList.objects.count() == 1


@pytest.mark.django_db
def test_a_decision_maker_cannot_open_the_watch_list_page(decider: Any, client_for: Any) -> None:
    client = client_for(decider)
    assert client.get("/applications/watch-list/").status_code == 403
    assert upload(client, LIST).status_code == 403
    assert not WatchList.objects.exists()
    assert "/applications/watch-list/" not in client.get("/applications/").content.decode()


@pytest.mark.django_db
@pytest.mark.usefixtures("portal")
def test_the_case_panel_runs_the_check_and_an_officer_decides_the_possible_match(
    admin: Any, decider: Any, client_for: Any
) -> None:
    load(admin)
    application = sent(1, given_names="Mohammed", family_name="Haddad", born="1985")
    client = client_for(decider)
    case_url = f"/applications/{application.public_id}/"

    page = client.get(case_url)
    assert "The security check has not been run." in text(page)
    assert "Run the security check" in text(page)

    response = client.post(f"{case_url}security/")
    assert response.status_code == 302
    assert response["Location"] == case_url
    page = client.get(case_url)
    shown = text(page)
    assert "The security check found a possible match. Compare the details and decide it." in shown
    assert "Possible match" in shown
    assert "WL-0001" in shown
    assert "Name: the same" in shown
    assert "Date of birth: partly the same" in shown
    assert "Listed as: <bdi>Mohammed Haddad</bdi>" in shown
    assert "Run it again" in shown
    check = ApplicationCheck.objects.get()
    form_url = f"{case_url}security/{check.pk}/"
    assert form_url in page.content.decode()

    response = client.post(form_url, {"outcome": "passed", "reason": "Not him."})
    assert response.status_code == 400
    assert "Explain your decision in at least 20 characters." in errors(response)
    check.refresh_from_db()
    assert check.outcome == "pending"

    response = client.post(form_url, {"outcome": "passed", "reason": A_GOOD_REASON})
    assert response.status_code == 302
    page = client.get(case_url)
    shown = text(page)
    assert "Your decision on the possible match has been recorded." in shown
    assert A_GOOD_REASON in shown
    assert form_url not in page.content.decode()
    check.refresh_from_db()
    assert check.outcome == "passed"
    assert check.resolved_by == decider
    assert "The security check was run on a visa application" in shown  # on the timeline

    # Deciding it again from a stale page: said plainly, nothing changes.
    response = client.post(form_url, {"outcome": "failed", "reason": A_GOOD_REASON})
    assert response.status_code == 302
    assert "already been decided" in text(client.get(case_url))
    check.refresh_from_db()
    assert check.outcome == "passed"


@pytest.mark.django_db
@pytest.mark.usefixtures("portal")
def test_running_without_a_list_shows_why(decider: Any, client_for: Any) -> None:
    application = sent(1)
    client = client_for(decider)
    response = client.post(f"/applications/{application.public_id}/security/", follow=True)
    assert "No watch list has been loaded" in text(response)
    assert not ApplicationCheck.objects.exists()


@pytest.mark.django_db
@pytest.mark.usefixtures("portal")
def test_the_panel_lists_earlier_runs(admin: Any, decider: Any, client_for: Any) -> None:
    load(admin)
    application = sent(1, given_names="Amal", family_name="Karimi")
    security_check_run(actor=decider, application=application)
    security_check_run(actor=decider, application=application)
    page = client_for(decider).get(f"/applications/{application.public_id}/")
    assert "1 earlier run" in text(page)
    assert 'data-testid="security-earlier"' in page.content.decode()


@pytest.mark.django_db
@pytest.mark.usefixtures("portal")
def test_someone_who_may_not_decide_sees_the_panel_without_its_buttons(
    admin: Any, decider: Any, make_user: Any, client_for: Any
) -> None:
    from django.contrib.auth.models import Group, Permission

    load(admin)
    application = sent(1, given_names="Mohammed", family_name="Haddad", born="1985")
    security_check_run(actor=decider, application=application)
    # No role reads cases without deciding them; a deployment may set one up.
    readers = Group.objects.create(name="case_reader")
    readers.permissions.add(
        Permission.objects.get(content_type__app_label="applications", codename="view_application")
    )
    viewer = make_user()
    viewer.groups.add(readers)
    client = client_for(viewer)
    page = client.get(f"/applications/{application.public_id}/")
    shown = text(page)
    assert page.status_code == 200
    assert "Possible match" in shown
    assert "WL-0001" in shown
    assert "Run it again" not in shown
    assert "Record your decision" not in shown
    assert "Listed as:" not in shown  # the listed name is for those who decide
    assert client.post(f"/applications/{application.public_id}/security/").status_code == 403
