"""Name structure: roles of the words of a one-field name, roots and endings."""

from __future__ import annotations

from hamroh.identity.engine.names import name_root, patronymic_root, split_full_name
from hamroh.identity.engine.normalise import sounds


def test_full_name_surname_first_is_split() -> None:
    parts = split_full_name("Раҳимов Ҷамшед Каримович")
    assert (parts.surname, parts.given_name, parts.patronymic) == (
        "Раҳимов",
        "Ҷамшед",
        "Каримович",
    )


def test_full_name_given_name_first_is_split() -> None:
    parts = split_full_name("Jamshed Rahimov")
    assert (parts.surname, parts.given_name) == ("Rahimov", "Jamshed")


def test_full_name_with_patronymic_in_the_middle_is_split() -> None:
    parts = split_full_name("Ҷамшед Каримович Раҳимов")
    assert (parts.surname, parts.given_name, parts.patronymic) == (
        "Раҳимов",
        "Ҷамшед",
        "Каримович",
    )


def test_tajik_patronymic_form_in_the_middle_is_recognised() -> None:
    parts = split_full_name("Алишер Ҷамшедзода Асадмуродӣ")
    assert (parts.surname, parts.given_name, parts.patronymic) == (
        "Асадмуродӣ",
        "Алишер",
        "Ҷамшедзода",
    )


def test_surname_reform_endings_share_the_root() -> None:
    roots = {name_root(sounds(s))[0] for s in ("Каримов", "Каримова", "Каримзода", "Каримӣ")}
    assert roots == {name_root(sounds("Karimiyon"))[0]}


def test_russian_and_tajik_patronymics_share_the_fathers_name() -> None:
    assert patronymic_root(sounds("Каримович")) == patronymic_root(sounds("Каримзода"))


def test_jon_suffix_is_not_part_of_the_root() -> None:
    assert name_root(sounds("Фирӯзҷон"))[0] == name_root(sounds("Firuz"))[0]
