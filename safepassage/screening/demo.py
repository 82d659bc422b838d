"""The demo's screening set-up: the shipped national questionnaire published, a register of
interpreters (one with the demo interpreter's account, to sign declarations), and the
accreditations the demo officers need. Idempotent."""

from __future__ import annotations

from datetime import timedelta

from safepassage.core.actors import Actor
from safepassage.core.models import User
from safepassage.policy.services import london_today
from safepassage.screening.models import Interpreter, QuestionnaireVersion, VersionStatus
from safepassage.screening.questionnaire import load_directory, shipped_versions
from safepassage.screening.services.interpreters import interpreter_add
from safepassage.screening.services.questionnaires import (
    questionnaire_draft_save,
    questionnaire_publish,
)
from safepassage.workforce.models import Accreditation
from safepassage.workforce.services import accreditation_grant

DEMO_INTERPRETERS = [
    # (full name, languages, accreditation reference, username of their account or None)
    (
        "Yonas Tesfaye",
        [{"language": "ti", "dialects": []}, {"language": "am", "dialects": []}],
        "DPSI-DEMO-0101",
        "interpreter",
    ),
    (
        "Layla Mansour",
        [{"language": "ar", "dialects": ["Sudanese", "Levantine", "Egyptian"]}],
        "DPSI-DEMO-0102",
        None,
    ),
    (
        "Ahmad Zahir",
        [{"language": "fa", "dialects": ["Dari"]}, {"language": "ps", "dialects": []}],
        "DPSI-DEMO-0103",
        None,
    ),
    ("Rebin Aziz", [{"language": "ckb", "dialects": ["Sorani"]}], "DPSI-DEMO-0104", None),
]

# username → the accreditations the demo gives them
DEMO_ACCREDITATIONS = {
    "screening": ["screening", "child_interviews"],
    "decision": ["decision_making"],
    "senior": ["decision_making"],
    "safeguarding": ["safeguarding_first_responder"],
    "quality": ["qa_reviewer"],
}


def shipped_questionnaire_publish(*, actor: Actor) -> QuestionnaireVersion | None:
    """Publish the newest shipped questionnaire if no version is current yet."""
    if QuestionnaireVersion.objects.filter(status=VersionStatus.CURRENT).exists():
        return None
    definition = load_directory(shipped_versions()[-1])
    draft = questionnaire_draft_save(
        actor=actor, definition=definition, notes="The shipped national questionnaire."
    )
    return questionnaire_publish(actor=actor, draft=draft)


def demo_screening_load(*, actor: Actor, granter: User | None) -> int:
    created = 1 if shipped_questionnaire_publish(actor=actor) else 0
    if not Interpreter.objects.exists():
        for full_name, languages, reference, username in DEMO_INTERPRETERS:
            interpreter_add(
                actor=actor,
                full_name=full_name,
                languages=languages,
                accreditation_reference=reference,
                accreditation_expires_on=london_today() + timedelta(days=365),
                account=User.objects.filter(username=username).first() if username else None,
            )
            created += 1
    if granter is not None:
        for username, kinds in DEMO_ACCREDITATIONS.items():
            holder = User.objects.filter(username=username).first()
            if holder is None:
                continue
            for kind in kinds:
                if Accreditation.objects.filter(holder=holder, kind=kind).exists():
                    continue
                accreditation_grant(
                    actor=granter,
                    holder=holder,
                    kind=kind,
                    valid_from=london_today() - timedelta(days=90),
                    expires_on=london_today() + timedelta(days=640),
                )
                created += 1
    return created
