"""The policy gate over HTTP: the same engine as `manage.py policy_check`."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from safepassage.core.actors import request_actor
from safepassage.core.drf import StrictSerializer
from safepassage.policy import selectors
from safepassage.policy.forms import EXAMPLE_FACTS
from safepassage.policy.packs.uk import ACTIONS
from safepassage.policy.services import policy_check


class CheckInput(StrictSerializer):
    action = serializers.ChoiceField(choices=ACTIONS)
    facts = serializers.DictField(help_text="The facts vocabulary of docs/policy.md")
    on = serializers.DateField(required=False, help_text="Defaults to facts.on, then today")


class CitationOutput(serializers.Serializer):
    instrument = serializers.CharField()
    provision = serializers.CharField()
    url = serializers.URLField()


class FindingOutput(serializers.Serializer):
    rule = serializers.CharField()
    effect = serializers.ChoiceField(choices=["block", "needs_approval", "refer", "warn"])
    citation = CitationOutput()
    explanation = serializers.CharField()


class BasisOutput(serializers.Serializer):
    rule = serializers.CharField()
    citation = CitationOutput()


class VerdictOutput(serializers.Serializer):
    action = serializers.CharField()
    on = serializers.DateField()
    outcome = serializers.ChoiceField(choices=["allowed", "needs_approval", "blocked"])
    findings = FindingOutput(many=True)
    referrals_required = serializers.ListField(child=serializers.CharField())
    basis = BasisOutput(many=True)


class RuleOutput(serializers.Serializer):
    id = serializers.CharField()
    title = serializers.CharField()
    actions = serializers.ListField(child=serializers.CharField())
    effect = serializers.CharField()
    approver_role = serializers.CharField(allow_null=True)
    referrals = serializers.ListField(child=serializers.CharField())
    citation = CitationOutput()
    in_force_from = serializers.DateField()
    in_force_to = serializers.DateField(allow_null=True)
    explanation = serializers.CharField()
    params = serializers.DictField()


class RuleFilterInput(StrictSerializer):
    action = serializers.ChoiceField(choices=ACTIONS, required=False)


class PolicyCheckApi(APIView):
    @extend_schema(
        request=CheckInput,
        responses=VerdictOutput,
        summary="The gate's verdict for an action on a set of facts (nothing is stored)",
        examples=[
            OpenApiExample(
                "Detaining a torture survivor",
                value={"action": "detain", "facts": EXAMPLE_FACTS},
                request_only=True,
            )
        ],
    )
    def post(self, request: Request) -> Response:
        data = CheckInput(data=request.data)
        data.is_valid(raise_exception=True)
        verdict = policy_check(actor=request_actor(request), **data.validated_data)
        return Response(verdict.as_dict())


class PolicyRuleListApi(APIView):
    @extend_schema(
        parameters=[RuleFilterInput],
        responses=RuleOutput(many=True),
        summary="Every version of every rule in the pack in force",
    )
    def get(self, request: Request) -> Response:
        request_actor(request)
        filters = RuleFilterInput(data=request.query_params.dict())
        filters.is_valid(raise_exception=True)
        rows = selectors.rule_list(action=filters.validated_data.get("action", ""))
        return Response([_rule(row.rule) for row in rows])


def _rule(rule: Any) -> dict[str, Any]:
    return {
        "id": rule.id,
        "title": str(rule.title),
        "actions": sorted(rule.actions),
        "effect": str(rule.effect),
        "approver_role": rule.approver_role,
        "referrals": list(rule.referrals),
        "citation": rule.citation.as_dict(),
        "in_force_from": rule.in_force_from.isoformat(),
        "in_force_to": rule.in_force_to.isoformat() if rule.in_force_to else None,
        "explanation": str(rule.explanation),
        "params": dict(rule.params),
    }
