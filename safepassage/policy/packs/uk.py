"""The default `uk` rule pack (POLICY.md §3): UK law and published policy, with citations.

Each rule is data (its id, actions, effect, citation, dates and limits) plus one small pure
check. Limits of law (hours, days) live in each rule's ``params``, never in the checks, so a
deployment changes a limit, or adds a version of a rule in force from a new date, without touching
the engine. Every check fails safe: a fact it needs and does not have is a concern, named.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from safepassage.core.roles import Role
from safepassage.policy import derived
from safepassage.policy.engine import Citation, Concern, Context, Effect, Rule, RulePack, freeze

ACTIONS = (
    "detain",
    "continue_detention",
    "route_inadmissibility",
    "decide_inadmissible",
    "remove",
    "start_screening_interview",
    "complete_screening",
    "grant_visa",
    "refuse_visa",
    "close_case",
)
DETENTION = frozenset({"detain", "continue_detention"})
INADMISSIBILITY = frozenset({"route_inadmissibility", "decide_inadmissible"})
REMOVAL_AND_INADMISSIBILITY = INADMISSIBILITY | {"remove"}
CASE_ACTIONS = DETENTION | REMOVAL_AND_INADMISSIBILITY | {"close_case"}
SENIOR = Role.SENIOR_CASEWORKER.value

LEGISLATION = "https://www.legislation.gov.uk"
GOV_UK = "https://www.gov.uk"

# --- citations --------------------------------------------------------------------------
IA_2014_S5 = Citation(
    "Immigration Act 2014",
    "s.5; Immigration Act 1971 Sch 2 para 18B",
    f"{LEGISLATION}/ukpga/2014/22/section/5",
)
IA_1971_18B = Citation(
    "Immigration Act 1971",
    "Sch 2 para 18B (detention of unaccompanied children)",
    f"{LEGISLATION}/ukpga/1971/77/schedule/2/paragraph/18B",
)
AGE_ASSESSMENT = Citation(
    "Home Office guidance: Assessing age",
    "R (B) v Merton LBC [2003] EWHC 1689 (Admin); Nationality and Borders Act 2022 s.50",
    f"{GOV_UK}/government/publications/assessing-age",
)
CHILD_INTERVIEWS = Citation(
    "Immigration Rules",
    "para 352 (interviewing children); Borders, Citizenship and Immigration Act 2009 s.55",
    f"{GOV_UK}/guidance/immigration-rules/immigration-rules-part-11-asylum",
)
CHILDREN_ACT = Citation(
    "Children Act 1989",
    "s.20; Borders, Citizenship and Immigration Act 2009 s.55",
    f"{LEGISLATION}/ukpga/1989/41/section/20",
)
ADULTS_AT_RISK = Citation(
    "Immigration Act 2016",
    "s.59; Adults at risk in immigration detention, statutory guidance v10.0 (May 2024)",
    f"{LEGISLATION}/ukpga/2016/19/section/59",
)
PREGNANCY = Citation(
    "Immigration Act 2016",
    "s.60 (limitation on detention of pregnant women)",
    f"{LEGISLATION}/ukpga/2016/19/section/60",
)
RULE_35 = Citation(
    "Detention Centre Rules 2001",
    "r.35; Short-term Holding Facility Rules 2018 r.32",
    f"{LEGISLATION}/uksi/2001/238/article/35",
)
DUTY_TO_NOTIFY = Citation(
    "Modern Slavery Act 2015",
    "s.52 (duty to notify); Modern Slavery statutory guidance for England and Wales",
    f"{LEGISLATION}/ukpga/2015/30/section/52",
)
RECOVERY_45 = Citation(
    "Modern Slavery Act 2015: statutory guidance for England and Wales",
    "recovery and reflection period (45 days)",
    f"{GOV_UK}/government/publications/modern-slavery-how-to-identify-and-support-victims",
)
RECOVERY_30 = Citation(
    "Nationality and Borders Act 2022",
    "s.60 (recovery period of at least 30 days)",
    f"{LEGISLATION}/ukpga/2022/36/section/60",
)
INADMISSIBILITY_RULES = Citation(
    "Immigration Rules",
    "paras 345A-345D (inadmissibility: safe third country)",
    f"{GOV_UK}/guidance/immigration-rules/immigration-rules-part-11-asylum",
)
INADMISSIBILITY_ACT = Citation(
    "Nationality, Immigration and Asylum Act 2002",
    "ss.80B-80C (inadmissibility), inserted by Nationality and Borders Act 2022 s.16",
    f"{LEGISLATION}/ukpga/2002/41/section/80B",
)
INADMISSIBILITY_GUIDANCE = Citation(
    "Home Office guidance: Inadmissibility: safe third country cases",
    "notice of intent and time to respond",
    f"{GOV_UK}/government/publications/inadmissibility-third-country-cases",
)
REMOVAL_WINDOW = Citation(
    "Home Office guidance: Judicial reviews and injunctions",
    "notice of removal and the removal window",
    f"{GOV_UK}/government/publications/judicial-reviews-and-injunctions",
)
SCREENING = Citation(
    "Home Office guidance: Asylum screening and routing",
    "v12.0 (July 2024): the screening interview",
    f"{GOV_UK}/government/publications/asylum-screening-and-routing",
)
SAFE_PASSAGE_RULES = Citation(
    "Safe-passage scheme rules",
    "modelled on Immigration Rules Appendix Ukraine Scheme",
    f"{GOV_UK}/guidance/immigration-rules/immigration-rules-appendix-ukraine-scheme",
)
WELFARE_OF_CHILDREN = Citation(
    "Borders, Citizenship and Immigration Act 2009",
    "s.55 (the welfare of children); Adults at risk statutory guidance",
    f"{LEGISLATION}/ukpga/2009/11/section/55",
)

# --- the checks -------------------------------------------------------------------------
# Each check says what it found in these facts; the rule's explanation says what the law is.


def _child(ctx: Context) -> bool | None:
    return derived.treated_as_child(ctx.facts, ctx.on)


CHILD_FACTS = ("person.date_of_birth", "person.claimed_minor", "person.age_assessment")


def _list(items: list[str]) -> str:
    return "; ".join(items)


def check_child_detention(ctx: Context) -> Concern | None:
    child = _child(ctx)
    if child is None:
        return Concern(gettext("We cannot tell whether this person is a child."), CHILD_FACTS)
    if not child:
        return None
    detention = ctx.facts.detention
    hours = detention.hours
    limit = ctx.params["max_hours_unaccompanied_short_term"]
    lone = derived.unaccompanied(ctx.facts)
    if lone and detention.facility == "short_term_holding" and hours is not None:
        if hours <= limit:
            return None  # the one lawful case: see unaccompanied-child-short-term-holding
        return Concern(
            gettext("Held %(hours)s hours; an unaccompanied child may be held %(limit)s at most.")
            % {"hours": f"{hours:g}", "limit": limit}
        )
    return Concern(gettext("This person is treated as a child."))


def check_unaccompanied_child_short_term(ctx: Context) -> Concern | None:
    if not _child(ctx) or not derived.unaccompanied(ctx.facts):
        return None
    detention = ctx.facts.detention
    if detention.facility != "short_term_holding" or detention.hours is None:
        return None
    if detention.hours <= ctx.params["max_hours"]:
        return Concern(
            gettext("Held %(hours)s hours so far, of at most %(limit)s.")
            % {"hours": f"{detention.hours:g}", "limit": ctx.params["max_hours"]}
        )
    return None


def check_age_dispute_referral(ctx: Context) -> Concern | None:
    if not derived.age_disputed(ctx.facts):
        return None
    if ctx.facts.referrals.age_assessment in ("requested", "concluded"):
        return None
    return Concern(gettext("The age is disputed and no age assessment has been requested."))


def check_age_dispute_open(ctx: Context) -> Concern | None:
    if not derived.age_disputed(ctx.facts):
        return None
    return Concern(gettext("The age dispute has not been concluded."))


def check_child_interview(ctx: Context) -> Concern | None:
    child = _child(ctx)
    if child is None:
        return Concern(gettext("We cannot tell whether the interviewee is a child."), CHILD_FACTS)
    if not child:
        return None
    screening = ctx.facts.screening
    problems, missing = [], []
    if screening.officer_accreditations is None:
        missing.append("screening.officer_accreditations")
    elif "child_interviews" not in screening.officer_accreditations:
        problems.append(gettext("the officer is not accredited to interview children"))
    if screening.responsible_adult_present is None:
        missing.append("screening.responsible_adult_present")
    elif not screening.responsible_adult_present:
        problems.append(gettext("no responsible adult is present"))
    if not problems and not missing:
        return None
    return Concern(_list(problems), tuple(missing))


def check_local_authority(ctx: Context) -> Concern | None:
    if not _child(ctx) or not derived.unaccompanied(ctx.facts):
        return None
    if ctx.facts.referrals.local_authority == "made":
        return None
    return Concern(gettext("The local authority has not been told."))


def _levels(ctx: Context) -> list[int | None] | None:
    if ctx.facts.vulnerabilities is None:
        return None
    return derived.indicator_levels(ctx.facts)


def check_adult_at_risk_lower(ctx: Context) -> Concern | None:
    levels = _levels(ctx)
    if levels is None or any(level is None or level == 3 for level in levels):
        return None  # the level-3 rules govern
    if levels:
        return Concern(
            gettext("The highest evidence level recorded is %(level)s.")
            % {"level": max(level or 0 for level in levels)}
        )
    return None


def _level_3(ctx: Context) -> bool:
    levels = _levels(ctx)
    return bool(levels) and any(level is None or level == 3 for level in levels or ())


def check_adult_at_risk_level_3(ctx: Context) -> Concern | None:
    if _levels(ctx) is None:
        return Concern(
            gettext(
                "There is no vulnerability assessment, so evidence that detention would cause "
                "harm cannot be ruled out."
            ),
            ("vulnerabilities",),
        )
    if not _level_3(ctx):
        return None
    if ctx.facts.public_protection_concern:
        return None  # adult-at-risk-public-protection governs
    missing = ("public_protection_concern",) if ctx.facts.public_protection_concern is None else ()
    return Concern(
        gettext(
            "An indicator has level-3 evidence (or no level recorded), and no public-protection "
            "concern is recorded."
        ),
        missing,
    )


def check_adult_at_risk_public_protection(ctx: Context) -> Concern | None:
    if not _level_3(ctx) or not ctx.facts.public_protection_concern:
        return None
    return Concern(gettext("Level-3 evidence, and a recorded public-protection concern."))


def check_pregnancy_approval(ctx: Context) -> Concern | None:
    pregnant = derived.is_pregnant(ctx.facts)
    if pregnant is None:
        return Concern(
            gettext("We cannot tell whether this person is pregnant."), ("person.pregnant",)
        )
    if not pregnant:
        return None
    hours = ctx.facts.detention.hours
    if hours is not None and hours > ctx.params["max_hours"]:
        return None  # pregnancy-detention-limit blocks
    return Concern(gettext("She is pregnant."))


def check_pregnancy_limit(ctx: Context) -> Concern | None:
    if not derived.is_pregnant(ctx.facts):
        return None
    hours = ctx.facts.detention.hours
    if ctx.facts.detention.detained and hours is None:
        return Concern(
            gettext("How long she has been detained is not recorded."), ("detention.hours",)
        )
    if hours is not None and hours > ctx.params["max_hours"]:
        return Concern(
            gettext("She has been detained %(hours)s hours, beyond %(limit)s.")
            % {"hours": f"{hours:g}", "limit": ctx.params["max_hours"]}
        )
    return None


def check_rule_35(ctx: Context) -> Concern | None:
    if not derived.has_indicator(ctx.facts, "torture"):
        return None
    if ctx.facts.referrals.rule35 in ("requested", "received"):
        return None
    return Concern(gettext("There is a torture indicator and no Rule 35 report is requested."))


TRAFFICKING_REFERRED = {
    "consented_referral",
    "positive_reasonable_grounds",
    "negative_reasonable_grounds",
    "positive_conclusive_grounds",
}


def _trafficking_unreferred(ctx: Context, *, child: bool) -> Concern | None:
    if not derived.has_indicator(ctx.facts, "trafficking"):
        return None
    is_child = _child(ctx)
    # When we cannot tell whether the person is a child, the child rule applies: it is the
    # stricter one (a child must be referred; a Duty to Notify report is not enough).
    if child and is_child is False:
        return None
    if not child and is_child is not False:
        return None
    nrm = ctx.facts.referrals.nrm
    if nrm in TRAFFICKING_REFERRED or (not child and nrm == "duty_to_notify"):
        return None
    missing = ("referrals.nrm",) if nrm is None else ()
    if child and nrm == "duty_to_notify":
        return Concern(
            gettext("Only a Duty to Notify report was made; a child must be referred."), missing
        )
    return Concern(gettext("There are trafficking indicators and no referral."), missing)


def check_trafficking_child(ctx: Context) -> Concern | None:
    return _trafficking_unreferred(ctx, child=True)


def check_trafficking_adult(ctx: Context) -> Concern | None:
    return _trafficking_unreferred(ctx, child=False)


def check_trafficking_before_removal(ctx: Context) -> Concern | None:
    return check_trafficking_child(ctx) or check_trafficking_adult(ctx)


def check_awaiting_reasonable_grounds(ctx: Context) -> Concern | None:
    if ctx.facts.referrals.nrm == "consented_referral":
        return Concern(gettext("The referral awaits its reasonable-grounds decision."))
    return None


def check_recovery_period(ctx: Context) -> Concern | None:
    referrals = ctx.facts.referrals
    if referrals.nrm != "positive_reasonable_grounds":
        return None
    days = ctx.params["recovery_days"]
    decided = referrals.nrm_decision_date
    if decided is None:
        return Concern(
            gettext("The date of the reasonable-grounds decision is not recorded."),
            ("referrals.nrm_decision_date",),
        )
    ends = decided + timedelta(days=days)
    if ctx.on < ends:
        return Concern(
            gettext(
                "A positive reasonable-grounds decision on %(decided)s: the recovery period of "
                "%(days)s days runs to %(ends)s, and the conclusive-grounds decision must come "
                "first."
            )
            % {"decided": decided, "days": days, "ends": ends}
        )
    return Concern(
        gettext(
            "A positive reasonable-grounds decision on %(decided)s: no removal until the "
            "conclusive-grounds decision."
        )
        % {"decided": decided}
    )


def check_duty_to_notify(ctx: Context) -> Concern | None:
    if ctx.facts.referrals.nrm != "duty_to_notify":
        return None
    return Concern(
        gettext(
            "Only a Duty to Notify report was made: the person is not in the NRM and has no "
            "recovery period. They may consent to a referral at any time."
        )
    )


def _screening_flag(ctx: Context, name: str) -> Concern | None:
    value = getattr(ctx.facts.screening, name)
    if value is None:
        return Concern(gettext("Not recorded."), (f"screening.{name}",))
    if not value:
        return Concern(gettext("Not done."))
    return None


def check_mandatory_sections(ctx: Context) -> Concern | None:
    return _screening_flag(ctx, "mandatory_sections_complete")


def check_language_confirmed(ctx: Context) -> Concern | None:
    return _screening_flag(ctx, "language_confirmed")


def check_interpreter_confirmations(ctx: Context) -> Concern | None:
    screening = ctx.facts.screening
    if screening.interpreter_used is None:
        return Concern(
            gettext("Whether an interpreter was used is not recorded."),
            ("screening.interpreter_used",),
        )
    if not screening.interpreter_used:
        return None
    problems, missing = [], []
    for name, problem in (
        ("interpreter_declaration", gettext("the interpreter has not made the declaration")),
        (
            "understanding_confirmed",
            gettext("the applicant has not confirmed they understand the interpreter"),
        ),
    ):
        value = getattr(screening, name)
        if value is None:
            missing.append(f"screening.{name}")
        elif not value:
            problems.append(problem)
    if not problems and not missing:
        return None
    return Concern(_list(problems), tuple(missing))


def check_read_back(ctx: Context) -> Concern | None:
    return _screening_flag(ctx, "read_back_confirmed")


def check_screening_accreditation(ctx: Context) -> Concern | None:
    accreditations = ctx.facts.screening.officer_accreditations
    if accreditations is None:
        return Concern(gettext("Not recorded."), ("screening.officer_accreditations",))
    if "screening" not in accreditations:
        return Concern(gettext("The officer does not hold a valid screening accreditation."))
    return None


def check_interpreter_not_recorder(ctx: Context) -> Concern | None:
    value = ctx.facts.screening.interpreter_is_recorder
    if value is None:
        return Concern(gettext("Not recorded."), ("screening.interpreter_is_recorder",))
    if value:
        return Concern(gettext("The interpreter is recording the answers."))
    return None


OPEN_REFERRALS = {
    "referrals.nrm": {"consented_referral", "positive_reasonable_grounds"},
    "referrals.age_assessment": {"requested"},
    "referrals.rule35": {"requested"},
}


def unresolved_safeguarding(ctx: Context) -> list[str]:
    """Safeguarding that is not finished: a referral still open, or one the facts call for that
    was never made. Losing a referral must never make an action easier."""
    facts, referrals = ctx.facts, ctx.facts.referrals
    found = [
        gettext("a referral is open (%(name)s = %(status)s)") % {"name": name, "status": status}
        for name, status in (
            ("referrals.nrm", referrals.nrm),
            ("referrals.age_assessment", referrals.age_assessment),
            ("referrals.rule35", referrals.rule35),
        )
        if status in OPEN_REFERRALS[name]
    ]
    if check_trafficking_child(ctx) or check_trafficking_adult(ctx):
        found.append(gettext("trafficking indicators have not been referred"))
    if check_age_dispute_referral(ctx):
        found.append(gettext("the age dispute has not been referred for assessment"))
    if derived.detained(facts) and check_rule_35(ctx):
        found.append(gettext("a torture concern in detention has no Rule 35 report"))
    if check_local_authority(ctx):
        found.append(gettext("the local authority has not been told of an unaccompanied child"))
    return found


def check_inadmissibility_preconditions(ctx: Context) -> Concern | None:
    facts = ctx.facts
    problems: list[str] = []
    missing: list[str] = []
    if facts.screening.status is None:
        missing.append("screening.status")
    elif facts.screening.status != "completed":
        problems.append(gettext("the screening is not complete"))
    referrals = facts.referrals
    for name, status in (
        ("referrals.nrm", referrals.nrm),
        ("referrals.age_assessment", referrals.age_assessment),
        ("referrals.rule35", referrals.rule35),
    ):
        if status is None:
            missing.append(name)
    problems.extend(unresolved_safeguarding(ctx))
    child, lone = _child(ctx), derived.unaccompanied(facts)
    if child and lone:
        problems.append(gettext("this is an unaccompanied child"))
    elif child is None:
        missing.extend(CHILD_FACTS)
    elif child and lone is None:
        missing.append("person.accompanied")
    if not problems and not missing:
        return None
    return Concern(_list(problems), tuple(dict.fromkeys(missing)))


def check_notice_of_intent(ctx: Context) -> Concern | None:
    served = ctx.facts.notices.inadmissibility_intent_served_on
    if served is None:
        return Concern(
            gettext("No notice of intent has been served."),
            ("notices.inadmissibility_intent_served_on",),
        )
    is_detained = ctx.facts.detention.detained
    days = ctx.params["days_detained"] if is_detained else ctx.params["days_not_detained"]
    opens = served + timedelta(days=days)
    if ctx.on < opens:
        missing = ("detention.detained",) if is_detained is None else ()
        return Concern(
            gettext("Served on %(served)s: %(days)s days to respond, so a decision from %(opens)s.")
            % {"served": served, "days": days, "opens": opens},
            missing,
        )
    return None


def check_removal_notice(ctx: Context) -> Concern | None:
    served = ctx.facts.notices.removal_served_on
    if served is None:
        return Concern(
            gettext("No removal notice has been served."), ("notices.removal_served_on",)
        )
    is_detained = ctx.facts.detention.detained
    if is_detained:
        hours = ctx.params["hours_detained"]
        working = ctx.params["working_days_detained"]
        earliest = served + timedelta(hours=hours // 24 + (1 if hours % 24 else 0))
        if ctx.on < earliest or derived.working_days_between(served, ctx.on) < working:
            return Concern(
                gettext(
                    "Served on %(served)s: a detained person has %(hours)s hours, including "
                    "%(working)s working days."
                )
                % {"served": served, "hours": hours, "working": working}
            )
        return None
    opens = served + timedelta(days=ctx.params["days_not_detained"])
    if ctx.on < opens:
        missing = ("detention.detained",) if is_detained is None else ()
        return Concern(
            gettext("Served on %(served)s: removal is possible from %(opens)s.")
            % {"served": served, "opens": opens},
            missing,
        )
    return None


def check_visa_checks(ctx: Context) -> Concern | None:
    checks = ctx.facts.checks
    problems, missing = [], []
    for name, result, failed, waiting in (
        (
            "identity",
            checks.identity,
            gettext("the identity check has failed"),
            gettext("the identity check has not finished"),
        ),
        (
            "security",
            checks.security,
            gettext("the security check has failed"),
            gettext("the security check has not finished"),
        ),
    ):
        if result is None:
            missing.append(f"checks.{name}")
        elif result != "passed":
            problems.append(failed if result == "failed" else waiting)
    if not problems and not missing:
        return None
    return Concern(_list(problems), tuple(missing))


def check_vulnerable_refusal(ctx: Context) -> Concern | None:
    child = _child(ctx)
    if child:
        return Concern(gettext("This applicant is treated as a child."))
    if ctx.facts.vulnerabilities:
        return Concern(gettext("This applicant has told us of a vulnerability."))
    missing: list[str] = []
    if child is None:
        missing.extend(CHILD_FACTS)
    if ctx.facts.vulnerabilities is None:
        missing.append("vulnerabilities")
    if missing:
        return Concern(
            gettext("We cannot tell whether this applicant is a child or vulnerable."),
            tuple(missing),
        )
    return None


def check_close_with_open_referral(ctx: Context) -> Concern | None:
    unresolved = unresolved_safeguarding(ctx)
    if unresolved:
        return Concern(_list(unresolved))
    return None


# --- the pack ---------------------------------------------------------------------------

RULES = (
    # Children and age
    Rule(
        id="child-detention",
        title=_("Children are not detained"),
        actions=DETENTION,
        effect=Effect.BLOCK,
        citation=IA_2014_S5,
        explanation=_(
            "A child, or a claimed minor not found an adult by a lawful age assessment, "
            "must not be detained."
        ),
        check=check_child_detention,
        in_force_from=date(2014, 7, 28),
        params=freeze(max_hours_unaccompanied_short_term=24),
    ),
    Rule(
        id="unaccompanied-child-short-term-holding",
        title=_("An unaccompanied child in a short-term holding facility, at most 24 hours"),
        actions=DETENTION,
        effect=Effect.NEEDS_APPROVAL,
        approver_role=SENIOR,
        citation=IA_1971_18B,
        explanation=_(
            "The only lawful detention of a child: unaccompanied, in a short-term holding "
            "facility, for at most 24 hours, with a senior caseworker's approval."
        ),
        check=check_unaccompanied_child_short_term,
        in_force_from=date(2014, 7, 28),
        params=freeze(max_hours=24),
    ),
    Rule(
        id="age-dispute-referral",
        title=_("An age dispute needs an age assessment"),
        actions=CASE_ACTIONS | {"complete_screening"},
        effect=Effect.REFER,
        referrals=("age_assessment",),
        citation=AGE_ASSESSMENT,
        explanation=_(
            "A claimed minor whose age is doubted is treated as a child and referred for a "
            "lawful (Merton-compliant) age assessment before any consequential action."
        ),
        check=check_age_dispute_referral,
        in_force_from=date(2014, 7, 28),
    ),
    Rule(
        id="age-dispute-blocks-removal",
        title=_("No removal or inadmissibility routing during an age dispute"),
        actions=REMOVAL_AND_INADMISSIBILITY,
        effect=Effect.BLOCK,
        citation=AGE_ASSESSMENT,
        explanation=_(
            "Removal and inadmissibility routing wait for the age assessment to conclude."
        ),
        check=check_age_dispute_open,
        in_force_from=date(2014, 7, 28),
    ),
    Rule(
        id="child-interview-safeguards",
        title=_("Interviewing a child"),
        actions=frozenset({"start_screening_interview", "complete_screening"}),
        effect=Effect.BLOCK,
        citation=CHILD_INTERVIEWS,
        explanation=_(
            "A child is interviewed only by an officer accredited for children, with a "
            "responsible adult present."
        ),
        check=check_child_interview,
        in_force_from=date(2014, 7, 28),
    ),
    Rule(
        id="unaccompanied-child-local-authority",
        title=_("An unaccompanied child is referred to the local authority"),
        actions=CASE_ACTIONS | {"complete_screening"},
        effect=Effect.REFER,
        referrals=("local_authority",),
        citation=CHILDREN_ACT,
        explanation=_(
            "An unaccompanied child is a child in need: the local authority must be told."
        ),
        check=check_local_authority,
        in_force_from=date(2014, 7, 28),
    ),
    # Adults at risk
    Rule(
        id="adult-at-risk-detention",
        title=_("Detaining a person at risk (evidence levels 1 and 2)"),
        actions=DETENTION,
        effect=Effect.NEEDS_APPROVAL,
        approver_role=SENIOR,
        citation=ADULTS_AT_RISK,
        explanation=_(
            "There is a presumption against detaining a person at risk; with evidence at "
            "level 1 or 2, detention needs a senior caseworker's approval."
        ),
        check=check_adult_at_risk_lower,
        in_force_from=date(2016, 9, 12),
    ),
    Rule(
        id="adult-at-risk-level-3",
        title=_("No detention on level-3 evidence without a public-protection concern"),
        actions=DETENTION,
        effect=Effect.BLOCK,
        citation=ADULTS_AT_RISK,
        explanation=_(
            "Professional evidence that detention is likely to cause harm (level 3) rules "
            "detention out unless a public-protection concern is recorded."
        ),
        check=check_adult_at_risk_level_3,
        in_force_from=date(2016, 9, 12),
    ),
    Rule(
        id="adult-at-risk-public-protection",
        title=_("Level-3 evidence against a public-protection concern"),
        actions=DETENTION,
        effect=Effect.NEEDS_APPROVAL,
        approver_role=SENIOR,
        citation=ADULTS_AT_RISK,
        explanation=_(
            "With a public-protection concern recorded, detaining a person with level-3 "
            "evidence needs a senior caseworker's approval."
        ),
        check=check_adult_at_risk_public_protection,
        in_force_from=date(2016, 9, 12),
    ),
    Rule(
        id="pregnancy-detention-approval",
        title=_("Detaining a pregnant woman"),
        actions=DETENTION,
        effect=Effect.NEEDS_APPROVAL,
        approver_role=SENIOR,
        citation=PREGNANCY,
        explanation=_("A pregnant woman may be detained only for a short time, with approval."),
        check=check_pregnancy_approval,
        in_force_from=date(2016, 7, 12),
        params=freeze(max_hours=72),
    ),
    Rule(
        id="pregnancy-detention-limit",
        title=_("A pregnant woman, at most 72 hours"),
        actions=DETENTION,
        effect=Effect.BLOCK,
        citation=PREGNANCY,
        explanation=_(
            "A pregnant woman is not detained beyond 72 hours (7 days with a minister's authority)."
        ),
        check=check_pregnancy_limit,
        in_force_from=date(2016, 7, 12),
        params=freeze(max_hours=72),
    ),
    # Torture
    Rule(
        id="torture-rule-35",
        title=_("A torture concern in detention"),
        actions=DETENTION,
        effect=Effect.REFER,
        referrals=("rule35_report", "detention_review"),
        citation=RULE_35,
        explanation=_(
            "A concern that a detained person has been tortured needs a medical report and "
            "a review of their detention."
        ),
        check=check_rule_35,
        in_force_from=date(2001, 4, 2),
    ),
    # Trafficking and modern slavery
    Rule(
        id="trafficking-referral-child",
        title=_("A child with trafficking indicators is referred to the NRM"),
        actions=CASE_ACTIONS | {"complete_screening"},
        effect=Effect.REFER,
        referrals=("nrm_referral",),
        citation=DUTY_TO_NOTIFY,
        explanation=_(
            "A first responder refers a child with trafficking indicators to the National "
            "Referral Mechanism; a child's consent is not needed."
        ),
        check=check_trafficking_child,
        in_force_from=date(2015, 11, 1),
    ),
    Rule(
        id="trafficking-referral-adult",
        title=_("An adult with trafficking indicators: NRM referral or Duty to Notify"),
        actions=CASE_ACTIONS | {"complete_screening"},
        effect=Effect.REFER,
        referrals=("nrm_referral_or_duty_to_notify",),
        citation=DUTY_TO_NOTIFY,
        explanation=_(
            "A first responder refers an adult with trafficking indicators to the National "
            "Referral Mechanism with their consent, or sends a Duty to Notify report without it."
        ),
        check=check_trafficking_adult,
        in_force_from=date(2015, 11, 1),
    ),
    Rule(
        id="trafficking-blocks-removal",
        title=_("No removal or inadmissibility routing before a trafficking referral"),
        actions=REMOVAL_AND_INADMISSIBILITY,
        effect=Effect.BLOCK,
        citation=DUTY_TO_NOTIFY,
        explanation=_(
            "Until the referral or report is made, the person is not removed or routed to "
            "inadmissibility."
        ),
        check=check_trafficking_before_removal,
        in_force_from=date(2015, 11, 1),
    ),
    Rule(
        id="nrm-awaiting-reasonable-grounds",
        title=_("No removal while a referral awaits its reasonable-grounds decision"),
        actions=frozenset({"remove"}),
        effect=Effect.BLOCK,
        citation=DUTY_TO_NOTIFY,
        explanation=_(
            "A person referred to the NRM is not removed before the reasonable-grounds decision."
        ),
        check=check_awaiting_reasonable_grounds,
        in_force_from=date(2015, 11, 1),
    ),
    Rule(
        id="nrm-recovery-period",
        title=_("No removal before the conclusive-grounds decision or within the recovery period"),
        actions=frozenset({"remove"}),
        effect=Effect.BLOCK,
        citation=RECOVERY_45,
        explanation=_(
            "After a positive reasonable-grounds decision, no removal until the "
            "conclusive-grounds decision, and never within the recovery period."
        ),
        check=check_recovery_period,
        in_force_from=date(2015, 11, 1),
        in_force_to=date(2023, 1, 29),
        params=freeze(recovery_days=45),
    ),
    Rule(
        id="nrm-recovery-period",
        title=_("No removal before the conclusive-grounds decision or within the recovery period"),
        actions=frozenset({"remove"}),
        effect=Effect.BLOCK,
        citation=RECOVERY_30,
        explanation=_(
            "After a positive reasonable-grounds decision, no removal until the "
            "conclusive-grounds decision, and never within the recovery period."
        ),
        check=check_recovery_period,
        in_force_from=date(2023, 1, 30),
        params=freeze(recovery_days=30),
    ),
    Rule(
        id="duty-to-notify-only",
        title=_("A Duty to Notify report meets the duty; it does not protect"),
        actions=REMOVAL_AND_INADMISSIBILITY | DETENTION,
        effect=Effect.WARN,
        citation=DUTY_TO_NOTIFY,
        explanation=_("A Duty to Notify report does not by itself stop this action."),
        check=check_duty_to_notify,
        in_force_from=date(2015, 11, 1),
    ),
    # The screening interview
    Rule(
        id="screening-officer-accredited",
        title=_("A screening officer holds a valid screening accreditation"),
        actions=frozenset({"start_screening_interview", "complete_screening"}),
        effect=Effect.BLOCK,
        citation=SCREENING,
        explanation=_(
            "Only an officer with a valid screening accreditation conducts a screening interview."
        ),
        check=check_screening_accreditation,
        in_force_from=date(2021, 1, 1),
    ),
    Rule(
        id="interpreter-not-recorder",
        title=_("The interpreter never records the answers"),
        actions=frozenset({"start_screening_interview", "complete_screening"}),
        effect=Effect.BLOCK,
        citation=SCREENING,
        explanation=_(
            "The interpreter interprets; the officer asks the questions and records the answers."
        ),
        check=check_interpreter_not_recorder,
        in_force_from=date(2021, 1, 1),
    ),
    Rule(
        id="screening-mandatory-sections",
        title=_("Every mandatory section is answered"),
        actions=frozenset({"complete_screening"}),
        effect=Effect.BLOCK,
        citation=SCREENING,
        explanation=_(
            "Every mandatory question, including why the person came and their journey, "
            "is asked and answered."
        ),
        check=check_mandatory_sections,
        in_force_from=date(2021, 1, 1),
    ),
    Rule(
        id="screening-language-confirmed",
        title=_("The applicant confirms their language and dialect"),
        actions=frozenset({"complete_screening"}),
        effect=Effect.BLOCK,
        citation=SCREENING,
        explanation=_("The language and dialect are recorded and the applicant confirms them."),
        check=check_language_confirmed,
        in_force_from=date(2021, 1, 1),
    ),
    Rule(
        id="screening-interpreter-confirmations",
        title=_("Interpreter's declaration and the applicant's understanding"),
        actions=frozenset({"complete_screening"}),
        effect=Effect.BLOCK,
        citation=SCREENING,
        explanation=_(
            "Where an interpreter is used, they make their declaration and the applicant "
            "confirms they understand them."
        ),
        check=check_interpreter_confirmations,
        in_force_from=date(2021, 1, 1),
    ),
    Rule(
        id="screening-read-back",
        title=_("The record is read back and confirmed"),
        actions=frozenset({"complete_screening"}),
        effect=Effect.BLOCK,
        citation=SCREENING,
        explanation=_(
            "The record is read back (or shown) to the applicant in their language, "
            "corrections are recorded, and the applicant confirms it."
        ),
        check=check_read_back,
        in_force_from=date(2021, 1, 1),
    ),
    # Inadmissibility
    Rule(
        id="inadmissibility-preconditions",
        title=_("Inadmissibility needs a completed screening and no open safeguarding referral"),
        actions=INADMISSIBILITY,
        effect=Effect.BLOCK,
        citation=INADMISSIBILITY_RULES,
        explanation=_(
            "Routing to inadmissibility needs a completed screening, no open safeguarding "
            "referral, and is never for an unaccompanied child."
        ),
        check=check_inadmissibility_preconditions,
        in_force_from=date(2020, 12, 31),
        in_force_to=date(2022, 6, 27),
    ),
    Rule(
        id="inadmissibility-preconditions",
        title=_("Inadmissibility needs a completed screening and no open safeguarding referral"),
        actions=INADMISSIBILITY,
        effect=Effect.BLOCK,
        citation=INADMISSIBILITY_ACT,
        explanation=_(
            "Routing to inadmissibility needs a completed screening, no open safeguarding "
            "referral, and is never for an unaccompanied child."
        ),
        check=check_inadmissibility_preconditions,
        in_force_from=date(2022, 6, 28),
    ),
    Rule(
        id="inadmissibility-notice-of-intent",
        title=_("A notice of intent, and time to respond"),
        actions=frozenset({"decide_inadmissible"}),
        effect=Effect.BLOCK,
        citation=INADMISSIBILITY_GUIDANCE,
        explanation=_(
            "Before an inadmissibility decision, a notice of intent is served and the "
            "person has time to respond: 7 days if detained, 14 otherwise."
        ),
        check=check_notice_of_intent,
        in_force_from=date(2020, 12, 31),
        params=freeze(days_detained=7, days_not_detained=14),
    ),
    # Removal
    Rule(
        id="removal-notice-window",
        title=_("Notice of removal"),
        actions=frozenset({"remove"}),
        effect=Effect.BLOCK,
        citation=REMOVAL_WINDOW,
        explanation=_(
            "A person is given notice before removal: 7 days, or 72 hours including two "
            "working days if detained."
        ),
        check=check_removal_notice,
        in_force_from=date(2015, 1, 1),
        params=freeze(days_not_detained=7, hours_detained=72, working_days_detained=2),
    ),
    # Closing a case
    Rule(
        id="close-case-open-safeguarding",
        title=_("Closing a case while safeguarding is not finished"),
        actions=frozenset({"close_case"}),
        effect=Effect.NEEDS_APPROVAL,
        approver_role=SENIOR,
        citation=WELFARE_OF_CHILDREN,
        explanation=_(
            "A case whose safeguarding is not finished (a referral open, or one never "
            "made) is closed only with a senior caseworker's approval, so that nothing is lost."
        ),
        check=check_close_with_open_referral,
        in_force_from=date(2015, 1, 1),
    ),
    # The safe-passage visa
    Rule(
        id="visa-checks-passed",
        title=_("Identity and security checks pass before a grant"),
        actions=frozenset({"grant_visa"}),
        effect=Effect.BLOCK,
        citation=SAFE_PASSAGE_RULES,
        explanation=_(
            "A safe-passage visa is granted only after the identity and security checks "
            "have both passed."
        ),
        check=check_visa_checks,
        in_force_from=date(2026, 1, 1),
    ),
    Rule(
        id="visa-refusal-vulnerable",
        title=_("Refusing a child or a vulnerable applicant"),
        actions=frozenset({"refuse_visa"}),
        effect=Effect.NEEDS_APPROVAL,
        approver_role=SENIOR,
        citation=WELFARE_OF_CHILDREN,
        explanation=_(
            "Refusing a child, or a person who has told us of a vulnerability, needs a "
            "senior caseworker's approval."
        ),
        check=check_vulnerable_refusal,
        in_force_from=date(2026, 1, 1),
    ),
)

PACK = RulePack(
    name="uk",
    version="2026.11.1",
    title="United Kingdom: law and published policy",
    actions=ACTIONS,
    rules=RULES,
)
