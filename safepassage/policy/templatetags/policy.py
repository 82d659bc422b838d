from django import template

from safepassage.core.roles import role_label as _role_label
from safepassage.policy.labels import (
    ACTION_LABELS,
    EFFECT_LABELS,
    EFFECT_TAGS,
    OUTCOME_LABELS,
    OUTCOME_TAGS,
    REFERRAL_LABELS,
)
from safepassage.policy.packs import get_pack

register = template.Library()


@register.filter
def effect_label(code: str) -> str:
    return str(EFFECT_LABELS.get(code, code))


@register.filter
def effect_tag(code: str) -> str:
    return EFFECT_TAGS.get(code, "")


@register.filter
def outcome_label(code: str) -> str:
    return str(OUTCOME_LABELS.get(code, code))


@register.filter
def outcome_tag(code: str) -> str:
    return OUTCOME_TAGS.get(code, "")


@register.filter
def referral_label(code: str) -> str:
    return str(REFERRAL_LABELS.get(code, code))


@register.filter
def action_label(code: str) -> str:
    return str(ACTION_LABELS.get(code, code))


@register.filter
def rule_title(rule_id: str) -> str:
    for rule in get_pack().rules:
        if rule.id == rule_id:
            return str(rule.title)
    return rule_id


@register.filter
def role_label(code: str) -> str:
    return _role_label(code)
