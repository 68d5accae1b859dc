"""Least privilege: every role sees only what it needs, and only in its own agency."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from hamroh.core import selectors, services
from hamroh.core.models import Agency, User
from hamroh.core.roles import Capability, Role


def test_operator_administrator_sees_every_agency(people):
    codes = set(selectors.list_agencies_for(people.admin).values_list("code", flat=True))
    assert {"mlme", "mlme-mow", "mlme-ala", "mvd-ru", "iom-tj"} <= codes


def test_representation_administrator_sees_only_own_agency(people):
    codes = list(selectors.list_agencies_for(people.mow_admin).values_list("code", flat=True))
    assert codes == ["mlme-mow"]


def test_caseworker_may_not_list_agencies(people):
    with pytest.raises(PermissionDenied):
        selectors.list_agencies_for(people.caseworker)


def test_caseworker_sees_only_colleagues_of_own_agency(people):
    agencies = set(
        selectors.list_users_for(people.caseworker).values_list("agency__code", flat=True)
    )
    assert agencies == {"mlme-mow"}


def test_partner_system_has_no_directory(people):
    with pytest.raises(PermissionDenied):
        selectors.list_users_for(people.partner_mvd)


def test_representation_administrator_cannot_open_user_of_another_agency(people, client_for):
    response = client_for(people.mow_admin).get(
        reverse("core:user_edit", args=[people.operator.pk])
    )
    assert response.status_code == 404


def test_representation_administrator_cannot_create_user_in_another_agency(people):
    with pytest.raises(PermissionDenied):
        services.create_user(
            actor=people.mow_admin,
            username="intruder",
            password="a-long-enough-passphrase",
            agency=people.operator.agency,
            role=Role.CASEWORKER,
        )


def test_representation_administrator_cannot_add_agencies(people):
    with pytest.raises(PermissionDenied):
        services.create_agency(
            actor=people.mow_admin,
            code="x",
            kind=Agency.Kind.PARTNER,
            country=people.mow_admin.agency.country,
            name_en="X",
        )


def test_representation_administrator_may_rename_own_agency_but_not_change_its_kind(people):
    agency = people.mow_admin.agency
    services.update_agency(actor=people.mow_admin, agency=agency, name_en="MLME Moscow office")
    agency.refresh_from_db()
    assert agency.name_en == "MLME Moscow office"
    with pytest.raises(PermissionDenied):
        services.update_agency(actor=people.mow_admin, agency=agency, kind=Agency.Kind.PARTNER)


def test_partner_system_role_is_only_for_partner_organisations(people):
    with pytest.raises(ValidationError):
        services.create_user(
            actor=people.admin,
            username="robot",
            password="a-long-enough-passphrase",
            agency=people.caseworker.agency,
            role=Role.PARTNER_SYSTEM,
        )


def test_administrator_cannot_take_away_own_access(people):
    with pytest.raises(ValidationError):
        services.update_user(actor=people.admin, user=people.admin, is_active=False)


def test_disabled_agency_disables_its_users(people):
    services.update_agency(actor=people.admin, agency=people.caseworker.agency, is_active=False)
    caseworker = User.objects.get(pk=people.caseworker.pk)
    assert not caseworker.can(Capability.HANDLE_CASES)


@pytest.mark.parametrize(
    ("persona", "status"),
    [("admin", 200), ("mow_admin", 200), ("caseworker", 403), ("statistician", 403)],
)
def test_agency_page_is_for_administrators_only(people, client_for, persona, status):
    response = client_for(getattr(people, persona)).get(reverse("core:agency_list"))
    assert response.status_code == status


@pytest.mark.parametrize(
    ("persona", "status"),
    [("admin", 200), ("supervisor", 200), ("caseworker", 403), ("recruiter", 403)],
)
def test_audit_trail_is_for_administrators_and_supervisors(people, client_for, persona, status):
    response = client_for(getattr(people, persona)).get(reverse("core:audit"))
    assert response.status_code == status


def test_desk_requires_sign_in(client, db):
    response = client.get(reverse("core:desk"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("core:login"))


def test_administrator_creates_user_through_the_desk(people, client_for):
    client = client_for(people.admin)
    response = client.post(
        reverse("core:user_new"),
        {
            "username": "new-caseworker",
            "password": "Kh0rugh-autumn-river",
            "first_name": "Мадина",
            "last_name": "Ҳасанова",
            "email": "",
            "agency": people.caseworker.agency.pk,
            "role": Role.CASEWORKER,
            "language": "tg",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    created = User.objects.get(username="new-caseworker")
    assert created.agency == people.caseworker.agency
    assert created.check_password("Kh0rugh-autumn-river")


def test_administrator_adds_an_agency_through_the_desk(people, client_for):
    response = client_for(people.admin).post(
        reverse("core:agency_new"),
        {
            "code": "mlme-nsk",
            "kind": Agency.Kind.REPRESENTATION,
            "country": "RUS",
            "parent": people.admin.agency.pk,
            "name_tg": "Намояндагӣ дар Новосибирск",
            "name_ru": "Представительство в Новосибирске",
            "name_en": "Representation in Novosibirsk",
            "is_active": "on",
        },
    )
    assert response.status_code == 302, response.content
    assert Agency.objects.get(code="mlme-nsk").country_id == "RUS"


def test_weak_password_is_refused_with_a_reason(people, client_for):
    response = client_for(people.admin).post(
        reverse("core:user_new"),
        {
            "username": "weak",
            "password": "12345",
            "agency": people.caseworker.agency.pk,
            "role": Role.CASEWORKER,
            "is_active": "on",
        },
    )
    assert response.status_code == 200
    assert not User.objects.filter(username="weak").exists()
    assert "password" in response.content.decode().lower() or "парол" in response.content.decode()
