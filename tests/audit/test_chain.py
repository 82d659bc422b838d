"""The chain: appending, verifying, and catching tampering."""

from __future__ import annotations

import threading

import pytest
from django.core.management import call_command
from django.db import connection, transaction

from safepassage.audit import events
from safepassage.audit.models import AppendOnlyError, AuditEvent, AuditVerification, ChainHead
from safepassage.audit.services import audit_append, audit_chain_verify, record_read
from safepassage.audit.verification import verify_chains
from safepassage.core.actors import SystemActor
from safepassage.core.roles import Role
from tests.conftest import is_postgres

SYSTEM = SystemActor("tests")


def _append(n: int) -> list[AuditEvent]:
    return [
        audit_append(actor=SYSTEM, event=events.VERIFICATION_REQUESTED, payload={"n": i})
        for i in range(n)
    ]


def _raw(sql: str, params: list) -> None:
    """Tamper the way a person with database access would: past the ORM and the trigger."""
    with connection.cursor() as cursor:
        if is_postgres():
            # Django's foreign keys are deferred; settle them so the table can be altered.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("ALTER TABLE audit_auditevent DISABLE TRIGGER audit_event_append_only")
            cursor.execute(sql, params)
            cursor.execute("ALTER TABLE audit_auditevent ENABLE TRIGGER audit_event_append_only")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        else:
            cursor.execute("DROP TRIGGER audit_event_append_only")
            cursor.execute(sql, params)


@pytest.mark.django_db
def test_events_link_to_the_one_before():
    first, second, third = _append(3)
    assert [first.sequence, second.sequence, third.sequence] == [1, 2, 3]
    assert second.prev_hash == first.hash
    assert third.prev_hash == second.hash
    assert ChainHead.objects.get(stream="change").hash == third.hash
    assert verify_chains().ok


@pytest.mark.django_db
def test_unregistered_event_codes_are_refused():
    from safepassage.audit.registry import EventType, Level

    with pytest.raises(LookupError, match="unregistered audit event"):
        audit_append(actor=SYSTEM, event=EventType("core.made_up", "no", Level.ROUTINE))


@pytest.mark.django_db
def test_reads_go_to_their_own_chain(make_user):
    reader, person = make_user(Role.ADMINISTRATOR), make_user(Role.SCREENING_OFFICER)
    event = record_read(actor=reader, target=person, purpose="staff_account")
    assert (event.stream, event.sequence, event.object_id) == ("access", 1, str(person.pk))
    assert event.payload == {"purpose": "staff_account"}


@pytest.mark.django_db
def test_the_orm_cannot_change_or_delete_events():
    (event,) = _append(1)
    event.action = "core.user_created"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).update(action="x")
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().delete()


@pytest.mark.django_db
def test_the_database_refuses_an_update_too():
    (event,) = _append(1)
    with (
        pytest.raises(Exception, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(
            "UPDATE audit_auditevent SET payload_json = %s WHERE id = %s",
            ['{"n":99}', event.pk],
        )


@pytest.mark.django_db
def test_a_tampered_payload_is_found_and_named(capsys):
    _first, second, _third = _append(3)
    _raw("UPDATE audit_auditevent SET payload_json = %s WHERE id = %s", ['{"n":99}', second.pk])

    result = verify_chains()
    assert not result.ok
    assert (result.first_bad.event_id, result.first_bad.problem) == (
        second.pk,
        "its content does not match its hash",
    )
    with pytest.raises(SystemExit) as exited:
        call_command("audit_verify")
    assert exited.value.code == 1
    assert f"event {second.pk} (change #2)" in capsys.readouterr().err


@pytest.mark.django_db
def test_a_removed_event_is_found():
    _first, second, third = _append(3)
    _raw("DELETE FROM audit_auditevent WHERE id = %s", [second.pk])
    result = verify_chains()
    assert result.first_bad.event_id == third.pk
    assert "events are missing" in result.first_bad.problem


@pytest.mark.django_db
def test_a_truncated_tail_is_found_by_the_head():
    _first, _second, third = _append(3)
    _raw("DELETE FROM audit_auditevent WHERE id = %s", [third.pk])
    result = verify_chains()
    assert not result.ok
    assert "events were removed from the end" in result.first_bad.problem


@pytest.mark.django_db
def test_verification_is_recorded_and_audited(capsys):
    _append(2)
    call_command("audit_verify")
    assert "Audit chain intact: 2 events checked" in capsys.readouterr().out
    verification = AuditVerification.objects.get()
    assert verification.ok
    assert verification.trigger == "command"
    assert AuditEvent.objects.filter(action="audit.chain_verified").count() == 1
    again = audit_chain_verify(actor=SYSTEM, trigger="requested")
    assert again.events_checked == 3  # the first verification's own event is in the chain


@pytest.mark.django_db
def test_only_permitted_roles_may_verify(make_user):
    from safepassage.core.errors import PermissionDenied

    with pytest.raises(PermissionDenied):
        audit_chain_verify(actor=make_user(Role.SCREENING_OFFICER), trigger="requested")
    assert audit_chain_verify(actor=make_user(Role.AUDITOR), trigger="requested").ok


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    not is_postgres(),
    reason="concurrent writers are a PostgreSQL guarantee (SQLite has one writer)",
)
def test_concurrent_writers_keep_one_unbroken_chain() -> None:
    writers, per_writer = 8, 25
    barrier = threading.Barrier(writers)
    errors: list[BaseException] = []

    def write(worker: int) -> None:
        try:
            barrier.wait()
            for i in range(per_writer):
                with transaction.atomic():
                    audit_append(
                        actor=SystemActor(f"worker-{worker}"),
                        event=events.VERIFICATION_REQUESTED,
                        payload={"worker": worker, "i": i},
                    )
        except BaseException as error:  # pragma: no cover - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=write, args=(n,)) for n in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    sequences = list(
        AuditEvent.objects.filter(stream="change")
        .order_by("sequence")
        .values_list("sequence", flat=True)
    )
    assert sequences == list(range(1, writers * per_writer + 1))
    assert verify_chains().ok
