"""Partner organisations, their caseworkers, and the applicant's consent for them to help.

A partner caseworker starts an application for someone only after recording that person's
consent: who recorded it, when, and how (the consent script read aloud, or a signed form
uploaded). The partner sees the application only while the consent stands; the applicant, or
the partner, can revoke it, and it is kept, marked revoked.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from safepassage.applications import events
from safepassage.applications.models import (
    Application,
    Channel,
    ConsentMethod,
    DocumentKind,
    PartnerConsent,
    PartnerMembership,
    PartnerOrganisation,
)
from safepassage.applications.questions import clean_answers
from safepassage.applications.selectors import partner_organisation
from safepassage.applications.services.access import applicant_for_contact, parse_contact
from safepassage.applications.services.documents import document_upload
from safepassage.applications.services.submission import application_submit_whole
from safepassage.audit.services import audit_append
from safepassage.core.actors import Actor, ApplicantActor, actor_label, human
from safepassage.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from safepassage.core.models import User
from safepassage.core.permissions import require_permission
from safepassage.core.roles import Perm
from safepassage.core.validation import FieldErrors

# The words a caseworker reads to the applicant before recording verbal consent. A new wording
# gets a new version, so every consent says which words were read.
CONSENT_SCRIPT_VERSION = "2026-11"
CONSENT_SCRIPT = _(
    "I work for %(organisation)s. With your permission, I will fill in and send your application "
    "for a safe-passage visa for you, using what you tell me. While you allow it, my "
    "organisation can see your application and its progress. You can take back your permission "
    "at any time, by telling us or on your application's page, and we will no longer see it. "
    "Do you agree?"
)


def consent_scripts(organisation: str) -> list[dict[str, Any]]:
    """The consent script in every language it has been translated into, to read to the
    applicant in theirs."""
    scripts = []
    english = str(CONSENT_SCRIPT) % {"organisation": organisation}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            text = str(CONSENT_SCRIPT) % {"organisation": organisation}
        if code == "en" or text != english:
            info = translation.get_language_info(code)
            scripts.append(
                {"code": code, "name": info["name_local"], "bidi": info["bidi"], "text": text}
            )
    return scripts


def partner_organisation_save(
    *, actor: Actor, code: str, name: str, is_active: bool = True
) -> PartnerOrganisation:
    require_permission(actor, Perm.MANAGE_PARTNERS)
    name = " ".join(name.split())
    if not name:
        raise ValidationFailed(_("Enter the organisation's name"), field="name")
    with transaction.atomic():
        organisation, _created = PartnerOrganisation.objects.update_or_create(
            code=code, defaults={"name": name, "is_active": is_active}
        )
        audit_append(
            actor=actor,
            event=events.PARTNER_ORGANISATION_SAVED,
            target=organisation,
            payload={"active": is_active},
        )
    return organisation


def partner_member_add(
    *, actor: Actor, user: User, organisation: PartnerOrganisation
) -> PartnerMembership:
    require_permission(actor, Perm.MANAGE_PARTNERS)
    with transaction.atomic():
        membership, _created = PartnerMembership.objects.update_or_create(
            user=user, defaults={"organisation": organisation}
        )
        audit_append(
            actor=actor,
            event=events.PARTNER_ORGANISATION_SAVED,
            target=organisation,
            payload={"member_user_id": user.pk},
        )
    return membership


def _caseworker_organisation(actor: Actor) -> tuple[User, PartnerOrganisation]:
    require_permission(actor, Perm.HELP_APPLICANTS)
    user = human(actor)
    organisation = partner_organisation(user)
    if organisation is None:
        raise PermissionDenied(_("You are not a member of an active partner organisation."))
    return user, organisation


def _consent_record(
    *,
    actor: Actor,
    application: Application,
    organisation: PartnerOrganisation,
    method: str,
) -> PartnerConsent:
    """Who recorded it, when, how, and (read aloud) which version of the script."""
    consent = PartnerConsent.objects.create(
        application=application,
        organisation=organisation,
        recorded_by=human(actor),
        method=method,
        script_version=CONSENT_SCRIPT_VERSION if method == ConsentMethod.VERBAL else "",
    )
    audit_append(
        actor=actor,
        event=events.CONSENT_RECORDED,
        target=application,
        payload={"consent_id": consent.pk, "method": method},
    )
    return consent


def assisted_application_start(
    *,
    actor: Actor,
    contact_text: str,
    language: str,
    method: str,
    script_read: bool = False,
    signed_form: Any = None,
) -> Application:
    """Record the applicant's consent and start a draft on their behalf."""
    user, organisation = _caseworker_organisation(actor)
    errors = FieldErrors()
    contact = None
    try:
        contact = parse_contact(contact_text)
    except ValidationFailed as error:
        errors.add("contact", error.message)
    if method not in ConsentMethod.values:
        errors.add("method", _("Select how the applicant gave their consent"))
    elif method == ConsentMethod.VERBAL and not script_read:
        errors.add("script_read", _("Confirm you read the consent script and the applicant agreed"))
    elif method == ConsentMethod.SIGNED_FORM and signed_form is None:
        errors.add("signed_form", _("Upload the signed consent form"))
    errors.raise_if_any()
    assert contact is not None
    with transaction.atomic():
        applicant = applicant_for_contact(contact=contact, language=language)
        application = Application.objects.create(
            applicant=applicant,
            language=language,
            channel=Channel.PARTNER,
            helped_by=organisation,
            started_by=user,
        )
        audit_append(
            actor=actor,
            event=events.APPLICATION_STARTED,
            target=application,
            payload={"channel": Channel.PARTNER, "organisation_id": organisation.pk},
        )
        consent = _consent_record(
            actor=actor, application=application, organisation=organisation, method=method
        )
        if signed_form is not None:
            try:
                consent.signed_form = document_upload(
                    actor=actor,
                    application=application,
                    kind=DocumentKind.CONSENT_FORM,
                    upload=signed_form,
                )
            except ValidationFailed as error:
                # Shown beside the form's own upload field.
                raise ValidationFailed(
                    error.message, code=error.code, field="signed_form"
                ) from error
            consent.save(update_fields=["signed_form"])
    return application


def consent_revoke(*, actor: Actor, consent: PartnerConsent) -> PartnerConsent:
    """The applicant withdraws the partner's access (or the partner gives it up)."""
    application = consent.application
    if isinstance(actor, ApplicantActor):
        if application.applicant_id != actor.applicant_id:
            raise NotFound()
    else:
        _user, organisation = _caseworker_organisation(actor)
        if consent.organisation_id != organisation.pk:
            raise NotFound()
    with transaction.atomic():
        locked = PartnerConsent.objects.select_for_update().get(pk=consent.pk)
        if locked.revoked_at is not None:
            raise Conflict(_("This permission was already taken back."), code="already_revoked")
        locked.revoked_at = timezone.now()
        locked.revoked_by_label = actor_label(actor)
        locked.save(update_fields=["revoked_at", "revoked_by_label"])
        audit_append(
            actor=actor,
            event=events.CONSENT_REVOKED,
            target=application,
            payload={"consent_id": locked.pk},
        )
    return locked


def assisted_application_submit(
    *,
    actor: Actor,
    contact_text: str,
    language: str,
    script_read: bool,
    raw_answers: Any,
    idempotency_key: str,
    digest: str,
) -> tuple[Application, bool]:
    """A partner system sends a whole application with the applicant's verbal consent. The same
    Idempotency-Key with the same content answers with the first result; with different content
    it is refused."""
    user, organisation = _caseworker_organisation(actor)
    errors = FieldErrors()
    contact = None
    try:
        contact = parse_contact(contact_text)
    except ValidationFailed as error:
        errors.add("applicant_contact", error.message)
    if not script_read:
        errors.add(
            "consent.script_read",
            _("Confirm you read the consent script and the applicant agreed"),
        )
    answers: dict[str, Any] = {}
    try:
        answers = clean_answers(raw_answers)
    except ValidationFailed as error:
        for field, messages in error.field_errors().items():
            for message in messages:
                errors.add(field, message)
    errors.raise_if_any()
    assert contact is not None
    applicant = applicant_for_contact(contact=contact, language=language)

    def record_consent(application: Application) -> None:
        _consent_record(
            actor=actor,
            application=application,
            organisation=organisation,
            method=ConsentMethod.VERBAL,
        )

    return application_submit_whole(
        actor=actor,
        applicant=applicant,
        answers=answers,
        language=language,
        submission_key=f"api:{user.pk}:{idempotency_key}",
        digest=digest,
        helped_by=organisation,
        started_by=user,
        on_created=record_consent,
    )
