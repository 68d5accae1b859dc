"""The audit chain: written by services, holds field names only, and exposes tampering."""

from __future__ import annotations

import itertools

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.urls import reverse

from hamroh.core import audit, selectors, services
from hamroh.core.models import AuditChainHead, AuditEntry
from hamroh.core.roles import Role


def _new_caseworker(people, username="zarina"):
    return services.create_user(
        actor=people.admin,
        username=username,
        password="Pamir-highway-2026",
        agency=people.caseworker.agency,
        role=Role.CASEWORKER,
        first_name="Зарина",
        last_name="Шарипова",
    )


def test_creating_a_user_records_who_what_and_which_fields(people):
    user = _new_caseworker(people)
    entry = AuditEntry.objects.order_by("-seq").first()
    assert entry.action == AuditEntry.Action.CREATE
    assert entry.actor == people.admin
    assert entry.agency_code == "mlme"
    assert (entry.object_type, entry.object_id) == ("core.user", str(user.pk))
    assert "last_name" in entry.fields
    assert entry.subject_agency_code == "mlme-mow"


def test_audit_entries_never_hold_personal_values(people):
    _new_caseworker(people)
    entry = AuditEntry.objects.order_by("-seq").first()
    stored = str(entry.__dict__)
    assert "Шарипова" not in stored
    assert "Pamir-highway-2026" not in stored


def test_opening_a_user_record_is_audited_as_a_read(people):
    before = AuditEntry.objects.count()
    selectors.access_user(actor=people.admin, pk=people.caseworker.pk)
    entry = AuditEntry.objects.order_by("-seq").first()
    assert AuditEntry.objects.count() == before + 1
    assert entry.action == AuditEntry.Action.READ
    assert entry.object_id == str(people.caseworker.pk)


def test_person_sees_who_opened_their_account(people, client_for):
    selectors.access_user(actor=people.admin, pk=people.caseworker.pk)
    response = client_for(people.caseworker).get(reverse("core:account"))
    assert response.status_code == 200
    assert "admin" in response.content.decode()


def test_sign_in_is_audited_with_request_id_and_address(people, client):
    response = client.post(
        reverse("core:login"), {"username": "caseworker", "password": "hamroh-demo-2026"}
    )
    assert response.status_code == 302
    entry = AuditEntry.objects.order_by("-seq").first()
    assert entry.action == AuditEntry.Action.LOGIN
    assert entry.ip == "127.0.0.1"
    assert len(entry.request_id) == 32


def test_audit_entries_cannot_be_changed_through_the_orm(people):
    entry = AuditEntry.objects.first()
    entry.action = AuditEntry.Action.DELETE
    with pytest.raises(ValueError, match="append-only"):
        entry.save()
    with pytest.raises(ValueError, match="append-only"):
        entry.delete()


def test_intact_chain_verifies(people):
    _new_caseworker(people)
    report = audit.verify()
    assert report.ok
    assert report.entries == AuditEntry.objects.count()


def _raw(sql, params):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def test_edited_entry_is_named(people):
    _new_caseworker(people)
    target = AuditEntry.objects.order_by("seq")[2]
    _raw(
        f"UPDATE {AuditEntry._meta.db_table} SET actor_label = %s WHERE seq = %s",
        ["someone", target.seq],
    )
    report = audit.verify()
    assert not report.ok
    assert report.broken_seq == target.seq
    assert "altered" in report.problem


def test_edited_entry_with_recomputed_hash_breaks_the_next_link(people):
    _new_caseworker(people)
    target = AuditEntry.objects.order_by("seq")[2]
    target.actor_label = "someone"
    forged = audit.compute_hash(target)
    _raw(
        f"UPDATE {AuditEntry._meta.db_table} SET actor_label = %s, hash = %s WHERE seq = %s",
        ["someone", forged, target.seq],
    )
    report = audit.verify()
    assert not report.ok
    assert report.broken_seq == target.seq + 1


def test_deleted_entry_in_the_middle_is_named(people):
    _new_caseworker(people)
    _raw(f"DELETE FROM {AuditEntry._meta.db_table} WHERE seq = %s", [3])
    report = audit.verify()
    assert not report.ok
    assert report.broken_seq == 3


def test_deleted_last_entry_is_noticed_through_the_chain_head(people):
    _new_caseworker(people)
    last = AuditChainHead.objects.get().seq
    _raw(f"DELETE FROM {AuditEntry._meta.db_table} WHERE seq = %s", [last])
    report = audit.verify()
    assert not report.ok
    assert report.broken_seq == last


def test_audit_verify_command_exits_non_zero_and_names_the_entry(people):
    _raw(f"UPDATE {AuditEntry._meta.db_table} SET fields = %s WHERE seq = %s", ['["x"]', 2])
    with pytest.raises(CommandError, match="entry 2"):
        call_command("audit", "verify")


def test_audit_verify_page_reports_a_broken_chain(people, client_for):
    _raw(f"DELETE FROM {AuditEntry._meta.db_table} WHERE seq = %s", [4])
    response = client_for(people.admin).post(reverse("core:audit_verify"))
    assert response.status_code == 200
    assert 'data-testid="verify-result"' in response.content.decode()
    assert "4" in response.context["report"].problem or response.context["report"].broken_seq == 4


def test_representation_sees_only_entries_about_its_agency(people):
    _new_caseworker(people)
    entries = selectors.list_audit_for(people.supervisor)
    assert entries.exists()
    for entry in entries:
        assert "mlme-mow" in {entry.agency_code, entry.subject_agency_code}


# --- Several entries under one lock (append_many) ------------------------------------------


class _Clock:
    """timezone.now() for the audit module: one microsecond later at each call."""

    def __init__(self):
        from datetime import UTC, datetime

        self.at = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)

    def now(self):
        from datetime import timedelta

        self.at += timedelta(microseconds=1)
        return self.at


def _three(people):
    from hamroh.core.middleware import RequestContext

    return [
        audit.Pending(
            action=AuditEntry.Action.CREATE,
            actor_label="public portal",
            object_type="assistance.case",
            object_id="17",
            fields=["narrative", "city", "city"],
            subject_agency=people.caseworker.agency,
            context=RequestContext("a" * 32, "10.0.0.1"),
        ),
        audit.Pending(
            action=AuditEntry.Action.READ,
            actor=people.admin,
            target=people.caseworker,
            fields=["last_name"],
            context=None,
        ),
        audit.Pending(
            action=AuditEntry.Action.UPDATE,
            actor=people.caseworker,
            object_type="assistance.case",
            object_id="18",
            context=RequestContext("b" * 32, None),
        ),
    ]


_COMPARED = [
    "seq",
    "at",
    "actor_id",
    "actor_label",
    "agency_code",
    "action",
    "object_type",
    "object_id",
    "subject_agency_code",
    "fields",
    "request_id",
    "ip",
    "prev_hash",
    "hash",
]


def _stored(after_seq):
    return [
        {name: getattr(entry, name) for name in _COMPARED}
        for entry in AuditEntry.objects.filter(seq__gt=after_seq).order_by("seq")
    ]


def test_append_many_writes_the_chain_that_appending_one_by_one_writes(people, monkeypatch):
    from django.db import transaction

    from hamroh.core import middleware

    head = AuditChainHead.objects.get(id=1)
    monkeypatch.setattr(audit, "timezone", _Clock())
    with transaction.atomic():
        savepoint = transaction.savepoint()
        for item in _three(people):
            token = middleware._current.set(item.context)
            try:
                audit.append(
                    actor=item.actor,
                    action=item.action,
                    target=item.target,
                    object_type=item.object_type,
                    object_id=item.object_id,
                    fields=item.fields,
                    subject_agency=item.subject_agency,
                    actor_label=item.actor_label,
                )
            finally:
                middleware._current.reset(token)
        one_by_one = _stored(head.seq)
        one_by_one_head = AuditChainHead.objects.values_list("seq", "hash").get(id=1)
        transaction.savepoint_rollback(savepoint)
    monkeypatch.setattr(audit, "timezone", _Clock())
    entries = audit.append_many(_three(people))
    assert _stored(head.seq) == one_by_one
    assert [entry.seq for entry in entries] == [head.seq + 1, head.seq + 2, head.seq + 3]
    assert [(e["request_id"], e["ip"]) for e in one_by_one] == [
        ("a" * 32, "10.0.0.1"),
        ("", None),
        ("b" * 32, None),
    ]
    assert one_by_one[0]["prev_hash"] == head.hash
    assert AuditChainHead.objects.values_list("seq", "hash").get(id=1) == one_by_one_head
    assert audit.verify().ok


def test_append_many_over_several_inserts_verifies(people, monkeypatch):
    monkeypatch.setattr(audit, "_ROWS_PER_INSERT", 2)
    before = AuditEntry.objects.count()
    entries = audit.append_many(_three(people) + _three(people))
    assert AuditEntry.objects.count() == before + 6
    assert [e.seq for e in entries] == list(range(entries[0].seq, entries[0].seq + 6))
    assert all(later.prev_hash == earlier.hash for earlier, later in itertools.pairwise(entries))
    report = audit.verify()
    assert report.ok
    assert report.head_hash == entries[-1].hash


def test_append_many_of_nothing_writes_nothing(people):
    head = AuditChainHead.objects.values_list("seq", "hash").get(id=1)
    assert audit.append_many([]) == []
    assert AuditChainHead.objects.values_list("seq", "hash").get(id=1) == head
