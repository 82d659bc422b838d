"""Decision letters: how long WeasyPrint takes to render one, and how big it is.

    .venv/bin/python benchmarks/letters.py [--letters 60] [--out DIR]

Makes a sent application in Arabic and one in Tigrinya in a throwaway database, issues a grant
on one and a refusal (with two reasons and an explanation) on the other, then renders the
letters in turn, grant and refusal, in English, Arabic and Tigrinya, as applications.letters
renders them for the decision service. The first render in the process (WeasyPrint imported,
fonts loaded, stylesheet parsed) is reported apart, as a worker's cold start. Prints
p50/p95/p99 per PDF and the sizes. With --out, keeps one PDF of each kind there to look at.
"""

from __future__ import annotations

import argparse
import copy
import itertools
import statistics
import time
from datetime import timedelta
from pathlib import Path

from django.utils import timezone
from harness import throwaway_database
from stats import describe

from safepassage.applications.api import EXAMPLE
from safepassage.applications.facts import application_facts
from safepassage.applications.letters import render_letter
from safepassage.applications.models import Application, Decision, DecisionOutcome, DecisionState
from safepassage.applications.questions import clean_answers
from safepassage.applications.services.access import Contact, applicant_for_contact
from safepassage.applications.services.submission import application_submit_whole
from safepassage.applications.verification_codes import new_verification_code
from safepassage.core.actors import SystemActor
from safepassage.core.models import User
from safepassage.policy.services import london_today, policy_evaluate

SYSTEM = SystemActor("benchmark")
EXPLANATION = (
    "The passport you uploaded was issued in a name different from the one you gave, and the "
    "documents you sent later did not explain the difference."
)


def _application(number: int, language: str, original_name: tuple[str, str]) -> Application:
    answers = copy.deepcopy(EXAMPLE["answers"])
    answers["name"] = {
        "given_names": "Amal",
        "family_name": "Haddad",
        "given_names_original": original_name[0],
        "family_name_original": original_name[1],
    }
    answers["language"] = {"preferred_language": language, "other_language": ""}
    applicant = applicant_for_contact(
        contact=Contact("email", f"letters{number}@example.org"), language=language
    )
    application, _created = application_submit_whole(
        actor=SYSTEM,
        applicant=applicant,
        answers=clean_answers(answers),
        language=language,
        submission_key=f"letters-{number}",
        digest=f"letters-{number}",
        channel="portal",
    )
    return application


def _issued(application: Application, outcome: str, officer: User) -> Decision:
    today = london_today()
    grant = outcome == DecisionOutcome.GRANT
    evaluation = policy_evaluate(
        actor=SYSTEM,
        action="grant_visa" if grant else "refuse_visa",
        subject=application,
        facts=application_facts(application, on=today),
    )
    return Decision.objects.create(
        application=application,
        outcome=outcome,
        state=DecisionState.ISSUED,
        reasons=[] if grant else ["identity-not-established", "false-information"],
        explanation="" if grant else EXPLANATION,
        proposed_by=officer,
        evaluation=evaluation,
        issued_at=timezone.now(),
        valid_from=today if grant else None,
        valid_until=today + timedelta(days=90) if grant else None,
        verification_code=new_verification_code(),
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--letters", type=int, default=60, help="letters to time after warm-up")
    parser.add_argument("--out", type=Path, help="keep one PDF of each kind in this directory")
    arguments = parser.parse_args()

    with throwaway_database() as vendor:
        officer = User.objects.create_user(username="benchmark-officer", password=None)
        decisions = {
            "grant": _issued(_application(1, "ar", ("أمل", "حداد")), "grant", officer),
            "refusal": _issued(_application(2, "ti", ("ኣማል", "ሓዳድ")), "refuse", officer),
        }
        kinds = list(itertools.product(decisions, ["en", "ar", "ti"]))
        cold: dict[tuple[str, str], float] = {}
        sizes: dict[tuple[str, str], int] = {}
        for kind in kinds:
            started = time.perf_counter()
            pdf = render_letter(decisions[kind[0]], kind[1])
            cold[kind] = (time.perf_counter() - started) * 1000
            sizes[kind] = len(pdf)
            if arguments.out:
                arguments.out.mkdir(parents=True, exist_ok=True)
                (arguments.out / f"{kind[0]}-{kind[1]}.pdf").write_bytes(pdf)
        samples: dict[tuple[str, str], list[float]] = {kind: [] for kind in kinds}
        every: list[float] = []
        for kind in itertools.islice(itertools.cycle(kinds), arguments.letters):
            started = time.perf_counter()
            render_letter(decisions[kind[0]], kind[1])
            elapsed = (time.perf_counter() - started) * 1000
            samples[kind].append(elapsed)
            every.append(elapsed)

    print(f"Decision letters (WeasyPrint), database {vendor}, {arguments.letters} timed renders")
    first = cold[kinds[0]]
    print(f"  first render in a new process (WeasyPrint and fonts loading): {first:.0f} ms")
    print(f"  first render of each other kind: {describe([cold[k] for k in kinds[1:]], 0)}")
    print(f"  every letter: {describe(every, 0)}")
    for kind in kinds:
        print(
            f"  {kind[0]:>7} {kind[1]}: {describe(samples[kind], 0)}; {sizes[kind] / 1024:.0f} KB"
        )
    print(f"  mean size {statistics.mean(sizes.values()) / 1024:.0f} KB")


if __name__ == "__main__":
    main()
