"""The scheme's refusal reasons: each refusal chooses one or more, and its letter quotes them.

A reason is the rule of the scheme it rests on (a paragraph of the scheme's published rules), a
short title for the decision maker, and the sentence the applicant reads. A deployment chooses
which reasons its decision makers may use with ``VISA_REFUSAL_REASONS`` (empty: all of them);
changing the wording is a reviewed change to this file, as for the policy pack.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

SCHEME_RULES = "Safe-passage scheme rules"


@dataclass(frozen=True)
class RefusalReason:
    code: str
    rule: str  # the paragraph of the scheme's rules, quoted in the letter
    title: Promise  # what the decision maker chooses
    letter_text: Promise  # what the applicant reads


REASONS: tuple[RefusalReason, ...] = (
    RefusalReason(
        code="in-the-uk",
        rule=f"{SCHEME_RULES}, paragraph 3.1(a)",
        title=_("The applicant is already in the United Kingdom"),
        letter_text=_(
            "This scheme is for people outside the United Kingdom. You told us that you are in "
            "the United Kingdom. You do not need a visa to claim asylum here: you can claim "
            "asylum now."
        ),
    ),
    RefusalReason(
        code="no-asylum-claim",
        rule=f"{SCHEME_RULES}, paragraph 3.1(b)",
        title=_("The applicant does not intend to claim asylum"),
        letter_text=_(
            "This scheme is for people who will claim asylum when they arrive in the United "
            "Kingdom. What you told us shows that you do not intend to claim asylum."
        ),
    ),
    RefusalReason(
        code="identity-not-established",
        rule=f"{SCHEME_RULES}, paragraph 3.2",
        title=_("The applicant's identity could not be established"),
        letter_text=_(
            "We could not establish who you are from the information and documents you gave us. "
            "You can apply again with more information or documents."
        ),
    ),
    RefusalReason(
        code="public-protection",
        rule=f"{SCHEME_RULES}, paragraph 3.3",
        title=_("Public protection: the security check found a match"),
        letter_text=_(
            "Our security checks found information which means that granting you a visa would "
            "not be in the interests of public protection."
        ),
    ),
    RefusalReason(
        code="false-information",
        rule=f"{SCHEME_RULES}, paragraph 3.4",
        title=_("False information or documents were given"),
        letter_text=_(
            "Information or documents you gave us were false, and they mattered to our decision."
        ),
    ),
    RefusalReason(
        code="biometrics-not-given",
        rule=f"{SCHEME_RULES}, paragraph 3.5",
        title=_("The applicant did not give biometrics when asked"),
        letter_text=_(
            "We asked you to give your fingerprints and photograph at a visa application centre, "
            "and you did not attend or rebook your appointment."
        ),
    ),
)

_BY_CODE = {reason.code: reason for reason in REASONS}


def available_reasons() -> tuple[RefusalReason, ...]:
    """The reasons this deployment's decision makers may choose, in the scheme's order."""
    enabled = set(settings.VISA_REFUSAL_REASONS)
    if not enabled:
        return REASONS
    return tuple(reason for reason in REASONS if reason.code in enabled)


def reason_for(code: str) -> RefusalReason | None:
    return _BY_CODE.get(code)
