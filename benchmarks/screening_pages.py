"""The case page and the interview's answer autosave with a million asylum cases in PostgreSQL.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \\
        .venv/bin/python benchmarks/screening_pages.py [--cases 1000000] [--requests 60]

Loads into a throwaway database, in batches: people with their identities, arrivals (one for
about three claimants), the asylum cases spread over every status and several locations, the
status changes each status implies (about three a case), and enough interviews with their
answers for about three answers a case. Then, through the services, a few dozen cases at the
measured location are registered, allocated and interviewed for real: half go all the way to
routing (a full timeline), half stay with their interview in progress.

Then it asks the real views, through Django's test client, signed in with both factors: the
case page with its timeline (as the location manager), for the service-built cases and for
bulk-loaded ones; and the autosave of one interview answer (as the interviewing officer),
varying the interview and the question. It prints p50/p95/p99, how many SQL statements each
request sends, and whether each p95 meets the target, 150 ms. ``--show-sql`` prints the
statements of one request of each.
"""

from __future__ import annotations

import argparse
import logging
import math
import random
import secrets
import tempfile
import time
from collections.abc import Callable
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from django.db import connection
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from harness import throwaway_database
from stats import describe, percentile

from safepassage.cases.models import (
    Arrival,
    ArrivalRoute,
    AsylumCase,
    CaseStatus,
    CaseTransition,
    ChildStatus,
    Relationship,
    Route,
)
from safepassage.cases.services import arrival_register, case_route, claimant_add, stage_allocate
from safepassage.core.actors import SystemActor
from safepassage.core.models import Location, User
from safepassage.core.roles import Role
from safepassage.core.services.demo import demo_totp_key
from safepassage.core.services.users import user_create
from safepassage.people.models import Identity, IdentitySource, Person, Precision
from safepassage.people.services import IdentityInput
from safepassage.policy.services import london_today
from safepassage.screening.models import (
    Answer,
    AnswerState,
    Interview,
    InterviewMode,
    InterviewStatus,
    QuestionnaireVersion,
    Variant,
)
from safepassage.screening.questionnaire import Question, Questionnaire, shipped_versions
from safepassage.screening.selectors import answers_of, interview_questions, questionnaire_of
from safepassage.screening.services.interviews import interview_complete, interview_start
from safepassage.screening.services.recording import (
    answer_record,
    language_confirm,
    read_back_confirm,
    read_back_start,
)
from safepassage.workforce.services import accreditation_grant

if TYPE_CHECKING:
    from django.test.client import _MonkeyPatchedWSGIResponse as Response

TARGET_MS = 150
BATCH = 10_000
LOCATIONS = 8  # the measured one and seven others
ANSWERS_PER_CASE = 3
MOST_ANSWERS_PER_INTERVIEW = 30
SYSTEM = SystemActor("benchmark")

# How the bulk-loaded cases are spread over the statuses (about three status changes a case).
STATUS_WEIGHTS = {
    CaseStatus.REGISTERED: 10,
    CaseStatus.SCREENING_SCHEDULED: 15,
    CaseStatus.SCREENING_IN_PROGRESS: 5,
    CaseStatus.SCREENED: 15,
    CaseStatus.ROUTED: 20,
    CaseStatus.DECIDED: 25,
    CaseStatus.CLOSED: 10,
}
_S = CaseStatus
_STEPS: list[tuple[str, str, str]] = [
    ("schedule_screening", _S.REGISTERED, _S.SCREENING_SCHEDULED),
    ("start_screening", _S.SCREENING_SCHEDULED, _S.SCREENING_IN_PROGRESS),
    ("complete_screening", _S.SCREENING_IN_PROGRESS, _S.SCREENED),
    ("route_case", _S.SCREENED, _S.ROUTED),
    ("decide", _S.ROUTED, _S.DECIDED),
]
# The status changes that lead to each status.
PATHS: dict[str, list[tuple[str, str, str]]] = {
    _S.REGISTERED: [],
    _S.SCREENING_SCHEDULED: _STEPS[:1],
    _S.SCREENING_IN_PROGRESS: _STEPS[:2],
    _S.SCREENED: _STEPS[:3],
    _S.ROUTED: _STEPS[:4],
    _S.DECIDED: _STEPS[:5],
    _S.CLOSED: [_STEPS[0], ("close", _S.SCREENING_SCHEDULED, _S.CLOSED)],
}
INTERVIEWED = {_S.SCREENED, _S.ROUTED, _S.DECIDED}
GIVEN_NAMES = ["Amal", "Yonas", "Fatima", "Ahmad", "Mariam", "Omar", "Hana", "Rebin", "Sara"]
FAMILY_NAMES = ["Haddad", "Tesfaye", "Mansour", "Zahir", "Aziz", "Osman", "Karimi", "Ali"]
NATIONALITIES = ["SDN", "AFG", "ERI", "SYR", "IRN", "IRQ", "YEM", "SOM", "ETH", "VNM"]
VALUES: dict[str, Any] = {
    "text": "Haddad",
    "long_text": "I travelled by road and then by boat.",
    "yes_no": False,
    "date": "1990-01-01",
    "country": "SDN",
    "country_list": ["TCD", "FRA"],
    "language": "ar",
}


# --- The staff and the questionnaire ---------------------------------------------------------


class Staff:
    def __init__(self) -> None:
        self.locations = [
            Location.objects.create(code=f"bench-{number}", name=f"Bench {number}", kind="office")
            for number in range(LOCATIONS)
        ]
        self.here = self.locations[0]
        self.registrar = _user("bench-registrar", Role.REGISTRATION_OFFICER, self.here)
        self.screener = _user("bench-screener", Role.SCREENING_OFFICER, self.here)
        self.manager = _user("bench-manager", Role.LOCATION_MANAGER, self.here)
        self.decider = _user("bench-decider", Role.DECISION_MAKER, self.here)
        accreditation_grant(
            actor=self.manager,
            holder=self.screener,
            kind="screening",
            valid_from=london_today() - timedelta(days=30),
            expires_on=london_today() + timedelta(days=300),
        )


def _user(username: str, role: str, location: Location) -> User:
    return user_create(
        actor=SYSTEM,
        username=username,
        full_name=username.replace("-", " ").title(),
        email=f"{username}@example.org",
        roles=[role],
        locations=[location],
        send_invitation=False,
    )


def _signed_in(user: User) -> Client:
    """A client signed in with the password and the second factor, as after the real sign-in."""
    # Imported here: the harness sets Django up, and a model module cannot load before that.
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.create(
        user=user, name="bench", key=demo_totp_key(user.username), confirmed=True
    )
    client = Client(HTTP_HOST="127.0.0.1")  # an allowed host, outside the test runner
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def _publish_questionnaire() -> QuestionnaireVersion:
    """The shipped national questionnaire; until it is shipped, the tests' small one."""
    from safepassage.screening.demo import shipped_questionnaire_publish
    from safepassage.screening.services.questionnaires import (
        questionnaire_draft_save,
        questionnaire_publish,
    )

    try:
        shipped = bool(shipped_versions())
    except FileNotFoundError:
        shipped = False
    if shipped:
        version = shipped_questionnaire_publish(actor=SYSTEM)
        assert version is not None
        print(f"Questionnaire: the shipped one, version {version.number}")
        return version
    from tests.cases.builders import SMALL

    draft = questionnaire_draft_save(actor=SYSTEM, definition=SMALL)
    print("Questionnaire: the tests' small one (none is shipped yet)")
    return questionnaire_publish(actor=SYSTEM, draft=draft)


def _value(questionnaire: Questionnaire, question: Question) -> Any:
    if question.type == "choice":
        return next(iter(questionnaire.vocabularies[question.vocabulary or ""]))
    return VALUES[question.type]


# --- Bulk data -------------------------------------------------------------------------------


def _weighted_statuses(rng: random.Random, count: int) -> list[str]:
    return rng.choices(list(STATUS_WEIGHTS), weights=list(STATUS_WEIGHTS.values()), k=count)


def _load(count: int, staff: Staff, version: QuestionnaireVersion, rng: random.Random) -> None:
    questionnaire = questionnaire_of(version)
    answer_rows = [
        (question.id, _value(questionnaire, question))
        for question in questionnaire.asked(welfare=False)
    ][:MOST_ANSWERS_PER_INTERVIEW]
    # Every case in an interview has one in progress (half answered); enough of the screened
    # ones have a completed interview to make about three answers a case, and at least one
    # interview for ten cases.
    total = sum(STATUS_WEIGHTS.values())
    in_progress = count * STATUS_WEIGHTS[_S.SCREENING_IN_PROGRESS] / total
    interviewed = count * sum(STATUS_WEIGHTS[status] for status in INTERVIEWED) / total
    wanted_interviews = max(count / 10, count * ANSWERS_PER_CASE / len(answer_rows))
    wanted_answers = count * ANSWERS_PER_CASE - in_progress * (len(answer_rows) // 2)
    completed = max(wanted_interviews - in_progress, wanted_answers / len(answer_rows))
    completed_share = min(1.0, completed / max(interviewed, 1))

    now = timezone.now()
    totals = {"people": 0, "arrivals": 0, "cases": 0, "transitions": 0, "interviews": 0}
    totals["answers"] = 0
    made = 0
    while made < count:
        size = min(BATCH, count - made)
        people = Person.objects.bulk_create([Person(created_at=now) for _ in range(size)])
        Identity.objects.bulk_create(
            [_identity(person, rng, now) for person in people], batch_size=BATCH
        )
        arrivals = Arrival.objects.bulk_create(
            [
                Arrival(
                    location_id=staff.locations[rng.randrange(LOCATIONS)].pk,
                    arrived_at=now - timedelta(days=rng.randint(1, 360)),
                    route=ArrivalRoute.SMALL_BOAT,
                    registered_by_id=staff.registrar.pk,
                    registered_at=now,
                    submission_key=f"bench-arrival-{made + number}",
                )
                for number in range(math.ceil(size / 3))
            ]
        )
        cases = []
        for number, (person, status) in enumerate(
            zip(people, _weighted_statuses(rng, size), strict=True)
        ):
            party = arrivals[number // 3]
            registered_at = party.arrived_at + timedelta(hours=2)
            cases.append(
                AsylumCase(
                    reference=f"BEN-{made + number:09d}",
                    arrival_id=party.pk,
                    location_id=party.location_id,
                    person_id=person.pk,
                    status=status,
                    status_changed_at=registered_at + timedelta(days=len(PATHS[status])),
                    child_status=ChildStatus.ADULT,
                    relationship=Relationship.LEAD,
                    registered_by_id=staff.registrar.pk,
                    registered_at=registered_at,
                    route=Route.SUBSTANTIVE if status in (_S.ROUTED, _S.DECIDED) else "",
                    submission_key=f"bench-case-{made + number}",
                )
            )
        AsylumCase.objects.bulk_create(cases)
        transitions = [
            CaseTransition(
                case_id=case.pk,
                name=name,
                from_status=before,
                to_status=after,
                actor_id=staff.manager.pk,
                actor_label="bench",
                at=case.registered_at + timedelta(days=step + 1),
            )
            for case in cases
            for step, (name, before, after) in enumerate(PATHS[case.status])
        ]
        CaseTransition.objects.bulk_create(transitions, batch_size=BATCH)
        interviews = [
            _interview(
                case, staff.screener, version, completed=case.status != _S.SCREENING_IN_PROGRESS
            )
            for case in cases
            if case.status == _S.SCREENING_IN_PROGRESS
            or (case.status in INTERVIEWED and rng.random() < completed_share)
        ]
        Interview.objects.bulk_create(interviews, batch_size=BATCH)
        answers = [
            Answer(
                interview_id=interview.pk,
                question_id=question_id,
                state=AnswerState.ANSWERED,
                value=value,
                recorded_by_id=staff.screener.pk,
                recorded_at=interview.started_at,
            )
            for interview in interviews
            for question_id, value in (
                answer_rows
                if interview.status == InterviewStatus.COMPLETED
                else answer_rows[: len(answer_rows) // 2]
            )
        ]
        Answer.objects.bulk_create(answers, batch_size=BATCH)
        made += size
        for name, rows in (
            ("people", people),
            ("arrivals", arrivals),
            ("cases", cases),
            ("transitions", transitions),
            ("interviews", interviews),
            ("answers", answers),
        ):
            totals[name] += len(rows)
        print(
            f"\rLoaded {made:,} cases, {totals['transitions']:,} status changes, "
            f"{totals['interviews']:,} interviews, {totals['answers']:,} answers",
            end="",
            flush=True,
        )
    print()
    print("  " + ", ".join(f"{number:,} {name}" for name, number in totals.items()))


def _identity(person: Person, rng: random.Random, now: Any) -> Identity:
    given, family = rng.choice(GIVEN_NAMES), rng.choice(FAMILY_NAMES)
    year = rng.randint(1950, 2007)
    return Identity(
        person_id=person.pk,
        given_names=given,
        family_name=family,
        date_of_birth=date(year, 1, 1),
        dob_precision=Precision.YEAR,
        dob_year=year,
        sex=rng.choice("FM"),
        nationality=rng.choice(NATIONALITIES),
        source=IdentitySource.IMPORT,
        recorded_at=now,
        given_key=given.lower(),
        family_key=family.lower(),
    )


def _interview(
    case: AsylumCase, officer: User, version: QuestionnaireVersion, *, completed: bool
) -> Interview:
    started_at = case.registered_at + timedelta(days=2)
    return Interview(
        case_id=case.pk,
        questionnaire_id=version.pk,
        status=InterviewStatus.COMPLETED if completed else InterviewStatus.IN_PROGRESS,
        variant=Variant.FULL,
        officer_id=officer.pk,
        mode=InterviewMode.IN_ROOM,
        room="Room 1",
        language="ar",
        started_at=started_at,
        ended_at=started_at + timedelta(hours=2) if completed else None,
    )


def _analyse() -> None:
    tables = [
        model._meta.db_table
        for model in (Person, Identity, Arrival, AsylumCase, CaseTransition, Interview, Answer)
    ]
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(
                f"VACUUM ANALYZE {table}" if connection.vendor == "postgresql" else "ANALYZE"
            )


# --- Cases built through the services --------------------------------------------------------


def _registered(staff: Staff, count: int) -> list[AsylumCase]:
    cases: list[AsylumCase] = []
    party = None
    for number in range(count):
        if number % 3 == 0:
            party = arrival_register(
                actor=staff.registrar,
                location=staff.here,
                arrived_at=timezone.now() - timedelta(hours=3),
                route=ArrivalRoute.SMALL_BOAT,
                submission_key=secrets.token_hex(8),
            )
        assert party is not None
        cases.append(
            claimant_add(
                actor=staff.registrar,
                arrival=party,
                submission_key=secrets.token_hex(8),
                identity=IdentityInput(
                    given_names=GIVEN_NAMES[number % len(GIVEN_NAMES)],
                    family_name=FAMILY_NAMES[number % len(FAMILY_NAMES)],
                    date_of_birth="1990-01-01",
                    sex="F",
                    nationality="SDN",
                ),
                claims_minor=False,
                child_status=ChildStatus.ADULT,
                relationship=Relationship.LEAD if number % 3 == 0 else Relationship.NOT_FAMILY,
            )
        )
    return cases


def _started(staff: Staff, case: AsylumCase) -> Interview:
    stage_allocate(
        actor=staff.manager,
        case=case,
        stage="screening",
        officer=staff.screener,
        scheduled_for=timezone.now() + timedelta(minutes=30),
    )
    case.refresh_from_db()
    return interview_start(
        actor=staff.screener,
        case=case,
        mode=InterviewMode.IN_ROOM,
        room="Room 2",
        interpreter=None,
        language="ar",
    )


def _answer_everything(staff: Staff, interview: Interview) -> None:
    questionnaire = questionnaire_of(interview.questionnaire)
    asked: set[str] = set()
    while pending := [
        question
        for question in interview_questions(interview, answers_of(interview))
        if question.id not in asked
    ]:
        for question in pending:
            answer_record(
                actor=staff.screener,
                interview=interview,
                question_id=question.id,
                state=AnswerState.ANSWERED,
                value=_value(questionnaire, question),
            )
            asked.add(question.id)


def _with_history(staff: Staff, case: AsylumCase) -> None:
    """Registered, scheduled, interviewed, screened and routed: the whole timeline so far."""
    interview = _started(staff, case)
    _answer_everything(staff, interview)
    language_confirm(actor=staff.screener, interview=interview, language="ar")
    languages = questionnaire_of(interview.questionnaire).languages
    read_back = "ar" if "ar" in languages else languages[0]
    read_back_start(actor=staff.screener, interview=interview, language=read_back, method="read")
    read_back_confirm(actor=staff.screener, interview=interview)
    interview_complete(actor=staff.screener, interview=interview)
    case.refresh_from_db()
    stage_allocate(actor=staff.manager, case=case, stage="routing", officer=staff.decider)
    case_route(
        actor=staff.decider,
        case=case,
        route=Route.SUBSTANTIVE,
        reason="Nothing in the screening suggests a safe third country.",
    )


# --- Measuring -------------------------------------------------------------------------------


def _counting() -> tuple[list[list[str]], Callable[..., Any]]:
    requests: list[list[str]] = []

    def count(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        if requests and not sql.startswith(("SAVEPOINT", "RELEASE")):
            requests[-1].append(sql)
        return execute(sql, params, many, context)

    return requests, count


def _measure(label: str, send: Callable[[int], Response], requests: int, show_sql: bool) -> float:
    for number in range(5):  # warm: code paths, the parsed questionnaire, the connection
        _check(label, send(-1 - number))
    statements, count = _counting()
    timings = []
    with connection.execute_wrapper(count):
        for number in range(requests):
            statements.append([])
            started = time.perf_counter()
            response = send(number)
            timings.append((time.perf_counter() - started) * 1000)
            _check(label, response)
    counts = sorted(len(sent) for sent in statements)
    shown = f"{counts[0]}" if counts[0] == counts[-1] else f"{counts[0]} to {counts[-1]}"
    print(f"  {label:<46} {describe(timings)}; {shown} SQL statements a request")
    if show_sql:
        for sql in statements[0]:
            print(f"      {sql[:400]}")
    return percentile(timings, 0.95)


def _check(label: str, response: Response) -> None:
    assert response.status_code in (200, 204), (
        label,
        response.status_code,
        response.get("Location"),
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--requests", type=int, default=60)
    parser.add_argument(
        "--built", type=int, default=50, help="cases built through services, each kind"
    )
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument("--show-sql", action="store_true", help="print one request's statements")
    options = parser.parse_args()
    for noisy in ("fontTools", "weasyprint"):  # the interview records' PDFs
        logging.getLogger(noisy).setLevel(logging.ERROR)
    rng = random.Random(options.seed)
    with (
        tempfile.TemporaryDirectory() as files,
        override_settings(PRIVATE_MEDIA_ROOT=files),
        throwaway_database() as vendor,
    ):
        staff = Staff()
        version = _publish_questionnaire()
        started = time.perf_counter()
        _load(options.cases, staff, version, rng)
        _analyse()
        print(
            f"Loaded {options.cases:,} cases into {vendor} in {time.perf_counter() - started:.0f} s"
        )
        started = time.perf_counter()
        built = _registered(staff, 2 * options.built)
        with_history, in_interview = built[: options.built], built[options.built :]
        for case in with_history:
            _with_history(staff, case)
        interviews = [_started(staff, case) for case in in_interview]
        _analyse()
        print(
            f"Built {len(built)} cases through the services in "
            f"{time.perf_counter() - started:.0f} s ({len(with_history)} routed, "
            f"{len(interviews)} with an interview in progress)"
        )

        questionnaire = questionnaire_of(version)
        first = questionnaire.sections[0].questions
        saved = [
            question
            for question in first
            if question.type in ("text", "yes_no") and question.show_if is None
        ] or [
            question
            for question in questionnaire.asked(welfare=False)
            if question.type in ("text", "yes_no") and question.show_if is None
        ]
        bulk_here = list(
            AsylumCase.objects.filter(location=staff.here, status=_S.DECIDED, pk__lt=built[0].pk)
            .order_by("?")
            .values_list("pk", flat=True)[: options.built]
        )

        manager = _signed_in(staff.manager)
        screener = _signed_in(staff.screener)

        def case_page(cases: list[int]) -> Callable[[int], Response]:
            return lambda number: manager.get(
                reverse("cases:case", args=[cases[number % len(cases)]])
            )

        def answer_save(number: int) -> Response:
            interview = interviews[number % len(interviews)]
            question = saved[number % len(saved)]
            value = f"Haddad {number}" if question.type == "text" else "no"
            return screener.post(
                reverse("screening:answer_save", args=[interview.pk, question.id]),
                {"state": AnswerState.ANSWERED, "value": value},
            )

        print(
            f"Through the views, {options.requests} requests each "
            f"(answers saved to {', '.join(question.id for question in saved)}):"
        )
        results = {
            "case page with its timeline (built by services)": _measure(
                "case page with its timeline (built by services)",
                case_page([case.pk for case in with_history]),
                options.requests,
                options.show_sql,
            ),
            "case page with its timeline (bulk-loaded)": _measure(
                "case page with its timeline (bulk-loaded)",
                case_page(bulk_here),
                options.requests,
                options.show_sql,
            ),
            "save one interview answer (autosave)": _measure(
                "save one interview answer (autosave)",
                answer_save,
                options.requests,
                options.show_sql,
            ),
        }
        for label, p95 in results.items():
            verdict = "meets" if p95 < TARGET_MS else "MISSES"
            print(f"  {label}: p95 {p95:.1f} ms {verdict} the {TARGET_MS} ms target")


if __name__ == "__main__":
    main()
