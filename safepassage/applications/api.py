"""POST /api/applications/: a partner organisation's system sends a whole application.

The same validation as the portal (the portal's own question forms check every answer) and the
same idempotency: the Idempotency-Key header, stored under a unique constraint, so a retry
returns the application the first call made. A partner token acts as its caseworker, with their
organisation, and records the applicant's verbal consent with the application.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from django.conf import settings
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from safepassage.applications.models import Application
from safepassage.applications.services.partners import assisted_application_submit
from safepassage.core.actors import request_actor
from safepassage.core.drf import StrictSerializer
from safepassage.core.errors import ValidationFailed
from safepassage.core.permissions import require_permission
from safepassage.core.roles import Perm

KEY_HEADER = "Idempotency-Key"
KEY_MIN, KEY_MAX = 8, 64

EXAMPLE: dict[str, Any] = {
    "applicant_contact": "+964 770 123 4567",
    "language": "ar",
    "consent": {"script_read": True},
    "answers": {
        "name": {"given_names": "Amal", "family_name": "Haddad"},
        "date-of-birth": {"date_of_birth": "1991-03", "estimated": False},
        "nationality": {"nationality": "SYR"},
        "location": {"current_country": "LBN"},
        "family": {"children_applying": "yes"},
        "children": [{"given_names": "Rami", "family_name": "Haddad", "date_of_birth": "2016"}],
        "protection": {
            "reasons": ["political_opinion"],
            "explanation": "I was detained for attending a protest.",
        },
        "vulnerability": {"vulnerabilities": ["torture"], "details": ""},
        "contact": {"email": "", "phone": "+964 770 123 4567"},
        "language": {"preferred_language": "ar", "other_language": ""},
        "document": {"document_kind": "none"},
        "declaration": {"intends_to_claim_asylum": True, "information_is_true": True},
    },
}


class ConsentInput(StrictSerializer):
    script_read = serializers.BooleanField(
        help_text="The caseworker read the consent script to the applicant, who agreed"
    )


class ApplicationInput(StrictSerializer):
    applicant_contact = serializers.CharField(
        max_length=254,
        help_text="The applicant's email address, or mobile number with + and country code",
    )
    language = serializers.ChoiceField(
        choices=[], help_text="The applicant's language (one of the portal's languages)"
    )
    consent = ConsentInput()
    answers = serializers.DictField(
        help_text=(
            "One object per question page, keyed by the page's slug, with the page's fields "
            "(docs/api.md lists them); 'children' is a list of children."
        )
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = [code for code, _name in settings.LANGUAGES]  # type: ignore[attr-defined]


class FamilyMemberOutput(serializers.Serializer):
    reference = serializers.CharField()
    public_id = serializers.UUIDField()


class ApplicationOutput(serializers.Serializer):
    reference = serializers.CharField()
    public_id = serializers.UUIDField()
    status = serializers.CharField()
    submitted_at = serializers.DateTimeField()
    family_members = FamilyMemberOutput(many=True)


def _output(application: Application) -> dict[str, Any]:
    return {
        "reference": application.reference,
        "public_id": application.public_id,
        "status": application.status,
        "submitted_at": application.submitted_at,
        "family_members": [
            {"reference": member.reference, "public_id": member.public_id}
            for member in application.family_members.order_by("pk")
        ],
    }


def _idempotency_key(request: Request) -> str:
    key = request.headers.get(KEY_HEADER, "").strip()
    if not (KEY_MIN <= len(key) <= KEY_MAX and key.isascii() and key.isprintable()):
        raise ValidationFailed(
            f"Send an {KEY_HEADER} header of {KEY_MIN} to {KEY_MAX} printable ASCII characters, "
            "new for each application and the same when you retry it.",
            field=KEY_HEADER,
        )
    return key


class ApplicationSubmitApi(APIView):
    @extend_schema(
        request=ApplicationInput,
        responses={201: ApplicationOutput, 200: ApplicationOutput},
        parameters=[
            OpenApiParameter(
                KEY_HEADER,
                str,
                OpenApiParameter.HEADER,
                required=True,
                description=(
                    "A new key for each application; send the same key when retrying. A retry "
                    "with the same key and body returns the first result (200); the same key with "
                    "a different body is refused (409)."
                ),
            )
        ],
        summary="Submit a whole application for an applicant who consented (partner systems)",
        examples=[OpenApiExample("An applicant with one child", value=EXAMPLE)],
    )
    def post(self, request: Request) -> Response:
        actor = request_actor(request)
        require_permission(actor, Perm.HELP_APPLICANTS)
        key = _idempotency_key(request)
        serializer = ApplicationInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        digest = hashlib.sha256(
            json.dumps(request.data, sort_keys=True, default=str).encode()
        ).hexdigest()
        application, created = assisted_application_submit(
            actor=actor,
            contact_text=data["applicant_contact"],
            language=data["language"],
            script_read=data["consent"]["script_read"],
            raw_answers=data["answers"],
            idempotency_key=key,
            digest=digest,
        )
        return Response(
            ApplicationOutput(_output(application)).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )
