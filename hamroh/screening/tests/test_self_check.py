"""The pre-travel self-check: found only on full agreement, and nothing else leaks."""

from __future__ import annotations

import time

import pytest

from hamroh.core.models import AuditEntry
from hamroh.screening import self_check as self_check_module
from hamroh.screening.models import SelfCheck

URL = "/screening/check/"
API = "/api/v1/screening/self-check/"
LISTED = {
    "full_name": "Ҷӯраев Ҷамшед",  # the list has "Джураев Джамшед"
    "birth_date": "1990-05-17",
    "document_number": "400123456",
    "document_issue_date": "2019-03-01",
}


def answer_of(response) -> str:
    """The answer section of the portal page, without the form's CSRF token."""
    html = response.content.decode()
    start = html.index('data-testid="answer"')
    return html[start : html.index("</section>", start)]


@pytest.fixture(autouse=True)
def no_floor(monkeypatch):
    monkeypatch.setattr(self_check_module, "FLOOR_SECONDS", 0.0)


def test_the_person_is_found_when_name_birth_date_and_passport_all_agree(client, entry_bans):
    response = client.post(URL, LISTED)
    assert response.status_code == 200
    answer = answer_of(response)
    assert 'data-result="found"' in answer
    assert "Entry bans (test)" in answer and "2024-01-10" in answer
    assert "Appeal to the court within three months." in answer


def test_the_issue_date_counts_when_the_list_records_it(client, entry_bans):
    wrong_issue = {**LISTED, "document_issue_date": "2020-01-01"}
    assert 'data-result="no_record"' in answer_of(client.post(URL, wrong_issue))
    # EB-2 has no issue date on the list: the passport number is enough.
    other = {
        "full_name": "Фаррух Каримов",
        "birth_date": "1985-11-02",
        "document_number": "400555111",
    }
    assert 'data-result="found"' in answer_of(client.post(URL, other))


@pytest.mark.parametrize(
    "change",
    [
        {"document_number": "400123457"},  # passport differs: a partial match
        {"birth_date": "1990-05-18"},  # birth date differs
        {"full_name": "Каримов Фаррух"},  # another listed person's name with this passport
        {"document_number": ""},  # not enough detail
        {"birth_date": ""},
        {"birth_date": "1990"},  # not a complete birth date
        {"full_name": ""},
        {"birth_date": "17.05.1990x"},  # malformed
    ],
)
def test_partial_matches_and_missing_detail_get_the_very_same_no_record_answer(
    client, entry_bans, change
):
    nobody = client.post(
        URL,
        {"full_name": "Носиров Носир", "birth_date": "2001-01-01", "document_number": "499999999"},
    )
    partial = client.post(URL, {**LISTED, **change})
    assert partial.status_code == nobody.status_code == 200
    assert answer_of(partial) == answer_of(nobody)
    assert "Джураев" not in partial.content.decode() and "EB-1" not in partial.content.decode()


def test_the_api_answers_no_record_and_not_enough_detail_identically(client, entry_bans):
    nobody = client.post(
        API,
        {"full_name": "Носиров Носир", "birth_date": "2001-01-01", "document_number": "499999999"},
        content_type="application/json",
    )
    thin = client.post(API, {"full_name": "Ҷӯраев Ҷамшед"}, content_type="application/json")
    partial = client.post(
        API, {**LISTED, "document_number": "400123457"}, content_type="application/json"
    )
    assert nobody.status_code == thin.status_code == partial.status_code == 200
    assert nobody.json() == thin.json() == partial.json()
    assert nobody.json()["result"] == "no_record" and nobody.json()["list"] is None
    found = client.post(API, LISTED, content_type="application/json").json()
    assert found.keys() == nobody.json().keys()
    assert found["result"] == "found" and found["since"] == "2024-01-10"


def test_the_form_is_posted_and_never_echoes_the_details(client, entry_bans):
    response = client.post(URL, LISTED)
    html = response.content.decode()
    assert "400123456" not in html and "Ҷӯраев" not in html
    form = client.get(URL).content.decode()
    assert 'method="post"' in form
    assert client.get(API).status_code == 405


def test_every_check_is_audited_with_field_names_only(client, entry_bans):
    client.post(URL, LISTED)
    entry = AuditEntry.objects.filter(object_type="screening.selfcheck").first()
    assert entry is not None and entry.actor_label == "self-check"
    assert set(entry.fields) == set(LISTED)
    assert "400123456" not in str(entry.fields)
    check = SelfCheck.objects.get()
    assert check.outcome == "answered" and set(check.fields) == set(LISTED)


def test_one_address_is_limited(client, entry_bans, monkeypatch):
    monkeypatch.setattr(self_check_module, "IP_LIMIT", (3, 3600))
    for n in range(3):
        body = {"full_name": f"Person {n}", "birth_date": "2000-01-01", "document_number": "1"}
        assert client.post(URL, body).status_code == 200
    response = client.post(URL, LISTED)
    assert response.status_code == 429
    assert 'data-testid="limited"' in response.content.decode()
    assert "found" not in response.content.decode().split('data-testid="limited"')[1][:200]
    other_address = client.post(URL, LISTED, REMOTE_ADDR="10.0.0.9")
    assert other_address.status_code == 200
    assert SelfCheck.objects.filter(outcome="limited").count() == 1


def test_one_identity_is_limited_from_any_address(client, entry_bans, monkeypatch):
    monkeypatch.setattr(self_check_module, "IDENTITY_LIMIT", (2, 3600))
    for n in range(2):
        guess = {**LISTED, "document_number": f"40012345{n}"}
        client.post(URL, guess, REMOTE_ADDR=f"10.0.1.{n}")
    # The same name and birth date written differently still counts as the same identity.
    again = {**LISTED, "full_name": "ҷамшед   ҶӮРАЕВ"}
    assert client.post(URL, again, REMOTE_ADDR="10.0.2.1").status_code == 429
    api = client.post(API, LISTED, content_type="application/json", REMOTE_ADDR="10.0.2.2")
    assert api.status_code == 429


def test_answers_take_at_least_the_floor_time(client, entry_bans, monkeypatch):
    monkeypatch.setattr(self_check_module, "FLOOR_SECONDS", 0.2)
    started = time.monotonic()
    client.post(URL, {"full_name": "x"})
    assert time.monotonic() - started >= 0.2


def test_a_list_not_open_to_self_checks_is_never_answered(client, entry_bans):
    entry_bans.in_self_check = False
    entry_bans.save()
    assert 'data-result="no_record"' in answer_of(client.post(URL, LISTED))


def test_an_expired_restriction_is_not_reported(client, entry_bans):
    from hamroh.screening.models import ListEntry

    ListEntry.objects.filter(entry_id="EB-1").update(valid_until="2020-01-01")
    assert 'data-result="no_record"' in answer_of(client.post(URL, LISTED))


def test_while_a_large_list_is_indexed_every_check_is_asked_to_come_back(
    client, entry_bans, monkeypatch
):
    from hamroh.screening import indexes

    monkeypatch.setattr(indexes, "BUILD_INLINE_BELOW", 0)
    started = []
    monkeypatch.setattr(indexes.threading, "Thread", lambda **kw: started.append(kw) or _Idle())
    full = client.post(API, LISTED, content_type="application/json")
    thin = client.post(API, {"full_name": "x"}, content_type="application/json")
    assert full.status_code == thin.status_code == 503
    assert full.json() == thin.json()
    assert len(started) == 1  # one background build, however many requests
    assert client.post(URL, LISTED).status_code == 503
    indexes.forget_all()
    indexes._building.clear()
    monkeypatch.setattr(indexes, "BUILD_INLINE_BELOW", 10)
    assert client.post(API, LISTED, content_type="application/json").json()["result"] == "found"


class _Idle:
    def start(self) -> None:
        pass
