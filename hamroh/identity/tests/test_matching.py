"""Matching rules, one test per variation, including the hard negatives.

Indexes here are tiny, and the engine treats a small list as if it held 10,000 entries
(see ``MIN_INDEX_SIZE``), so decisions are the ones a real list of that size would get.
"""

from __future__ import annotations

import pytest

from hamroh.identity.engine import (
    BirthDate,
    Candidate,
    PersonRecord,
    build_index,
    dedupe,
    linkage,
    lookup,
    screen,
)


def person(
    id: str = "q",
    surname: str = "",
    given: str = "",
    patronymic: str = "",
    *,
    full: str = "",
    born: str = "",
    sex: str = "",
    nationality: str = "",
    document: str = "",
) -> PersonRecord:
    return PersonRecord(
        id=id,
        surname=surname,
        given_name=given,
        patronymic=patronymic,
        full_name=full,
        birth_date=BirthDate.parse(born),
        sex=sex,
        nationality=nationality,
        document_number=document,
    )


LISTED = person(
    "listed", "Ҷӯраев", "Ҷамшед", "Каримович", born="1990-05-17", sex="M", nationality="TJK"
)


def found(query: PersonRecord, *entries: PersonRecord) -> Candidate | None:
    """The candidate for the first entry, or None if it is not flagged."""
    candidates = lookup(build_index(entries), query)
    return next((c for c in candidates if c.entry_id == entries[0].id), None)


def test_tajik_and_russian_cyrillic_records_match() -> None:
    hit = found(person(surname="Джураев", given="Джамшед", patronymic="Каримович",
                       born="1990-05-17", sex="M"), LISTED)  # fmt: skip
    assert hit is not None and hit.decision == "match"
    assert "surname agrees via дж→ҷ, у→ӯ" in hit.reasons


def test_icao_passport_record_matches_the_tajik_registry() -> None:
    hit = found(person(surname="DZHURAEV", given="DZHAMSHED", born="1990-05-17"), LISTED)
    assert hit is not None and hit.decision == "match"


def test_french_style_full_name_given_name_first_matches() -> None:
    hit = found(person(full="Djamchid Jouraev", born="1990-05-17"), LISTED)
    assert hit is not None and hit.decision == "match"


def test_surname_reform_agrees_but_weaker_than_identical() -> None:
    same = found(person(surname="Ҷӯраев", given="Ҷамшед", born="1990-05-17"), LISTED)
    reformed = found(person(surname="Ҷӯразода", given="Ҷамшед", born="1990-05-17"), LISTED)
    assert same is not None and reformed is not None
    assert reformed.decision == "match"
    assert reformed.score < same.score
    assert "surname root agrees (-зода ↔ -ев)" in reformed.reasons


def test_swapped_surname_and_given_name_still_match() -> None:
    hit = found(person(surname="Ҷамшед", given="Ҷӯраев", born="1990-05-17"), LISTED)
    assert hit is not None and hit.decision == "match"
    assert "surname and given name swapped" in hit.reasons


def test_missing_patronymic_does_not_prevent_a_match() -> None:
    hit = found(person(surname="Juraev", given="Jamshed", born="1990-05-17"), LISTED)
    assert hit is not None and hit.decision == "match"


def test_a_different_patronymic_counts_against_a_match() -> None:
    absent = found(person(surname="Juraev", given="Jamshed", born="1990-05-17"), LISTED)
    other = found(
        person(surname="Juraev", given="Jamshed", patronymic="Nazarovich", born="1990-05-17"),
        LISTED,
    )
    assert absent is not None
    assert other is None or other.score < absent.score - 8


def test_russian_and_tajik_patronymic_forms_agree() -> None:
    hit = found(
        person(surname="Ҷӯраев", given="Ҷамшед", patronymic="Каримзода", born="1990-05-17"),
        LISTED,
    )
    assert hit is not None and "patronymic root agrees" in hit.reasons


def test_birth_year_only_is_flagged() -> None:
    hit = found(person(surname="Джураев", given="Джамшед", born="1990"), LISTED)
    assert hit is not None and "birth year agrees" in hit.reasons


def test_birth_year_and_month_only_is_flagged() -> None:
    hit = found(person(surname="Джураев", given="Джамшед", born="1990-05"), LISTED)
    assert hit is not None and "birth year and month agree" in hit.reasons


def test_day_and_month_swapped_is_flagged() -> None:
    entry = person("e", "Раҳимов", "Фирӯз", born="1987-03-11")
    hit = found(person(surname="Rakhimov", given="Firuz", born="1987-11-03"), entry)
    assert hit is not None and "birth date day/month swapped" in hit.reasons


def test_one_digit_typo_in_birth_date_is_flagged() -> None:
    hit = found(person(surname="Джураев", given="Джамшед", born="1990-05-27"), LISTED)
    assert hit is not None and "birth date one digit differs" in hit.reasons


def test_missing_birth_date_is_flagged_for_review() -> None:
    hit = found(person(surname="Джураев", given="Джамшед", patronymic="Каримович"), LISTED)
    assert hit is not None and hit.decision == "review"
    assert "birth date missing" in hit.reasons


def test_namesakes_with_different_complete_birth_dates_are_not_matched() -> None:
    namesake = person(surname="Ҷӯраев", given="Ҷамшед", patronymic="Каримович",
                      born="1978-11-02", sex="M")  # fmt: skip
    assert found(namesake, LISTED) is None


def test_relatives_sharing_surname_and_birth_date_are_not_matched() -> None:
    twin = person(surname="Ҷӯраев", given="Фирӯз", patronymic="Каримович",
                  born="1990-05-17", sex="M", nationality="TJK")  # fmt: skip
    assert found(twin, LISTED) is None


def test_equal_document_number_is_strong_evidence() -> None:
    entry = person("e", "Раҳимов", "Фирӯз", document="A1234567")
    hit = found(person(surname="Rakhimov", given="Firuz", document="a 123-4567"), entry)
    assert hit is not None and hit.decision == "match"
    assert "document number equal" in hit.reasons


def test_different_document_number_is_not_proof_of_a_different_person() -> None:
    entry = person("e", "Раҳимов", "Фирӯз", "Умедович", born="1987-03-11", document="A1")
    hit = found(
        person(surname="Рахимов", given="Фируз", patronymic="Умедович", born="1987-03-11",
               document="B2"),
        entry,
    )  # fmt: skip
    assert hit is not None and hit.decision == "match"


def test_a_different_sex_counts_against_a_match() -> None:
    male = found(person(surname="Juraev", given="Jamshed", born="1990-05-17", sex="M"), LISTED)
    female = found(person(surname="Juraev", given="Jamshed", born="1990-05-17", sex="F"), LISTED)
    assert male is not None and female is not None and female.score < male.score


def test_common_names_count_less_than_rare_names() -> None:
    crowd = [
        person(f"c{i}", "Раҳимов", "Муҳаммад", born=f"{1960 + i % 40}-0{1 + i % 9}-1{i % 10}")
        for i in range(3000)
    ]
    common = person("common", "Раҳимов", "Муҳаммад", born="1985-07-21")
    rare = person("rare", "Лоиқзода", "Исфандиёр", born="1985-07-21")
    index = build_index([common, rare, *crowd])
    common_hit = next(
        c for c in lookup(index, person(surname="Рахимов", given="Мухаммад", born="1985-07-21"))
        if c.entry_id == "common"
    )  # fmt: skip
    rare_hit = next(
        c for c in lookup(index, person(surname="Лоикзода", given="Исфандиёр", born="1985-07-21"))
        if c.entry_id == "rare"
    )  # fmt: skip
    assert rare_hit.score > common_hit.score + 5
    assert "(common)" in common_hit.reasons


def test_reasons_name_the_rules_never_the_names() -> None:
    hit = found(person(surname="Джураев", given="Джамшед", born="1990-05-17"), LISTED)
    assert hit is not None
    assert "Джураев" not in hit.reasons and "Ҷӯраев" not in hit.reasons


def test_an_unrelated_name_finds_nothing() -> None:
    assert lookup(build_index([LISTED]), person(surname="Назаров", given="Умед")) == []


def test_screen_reports_each_flagged_pair_once() -> None:
    people = [
        person("p1", "Джураев", "Джамшед", born="1990-05-17"),
        person("p2", "Назаров", "Умед", born="1970-01-01"),
    ]
    matches = list(screen(people, [LISTED]))
    assert [(m.person_id, m.entry_id, m.decision) for m in matches] == [("p1", "listed", "match")]


def test_dedupe_groups_the_records_of_one_person() -> None:
    records = [
        person("r1", "Ҷӯраев", "Ҷамшед", born="1990-05-17"),
        person("r2", "DZHURAEV", "DZHAMSHED", born="1990-05-17"),
        person("r3", "Ҷӯраев", "Фирӯз", born="1990-05-17"),
    ]
    clusters = {c.cluster_id: set(c.member_ids) for c in dedupe(records)}
    assert clusters == {"r1": {"r1", "r2"}, "r3": {"r3"}}


def test_parallel_workers_give_the_same_result_as_one_process(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(linkage, "_PARALLEL_FROM", 1)
    people = [person(f"p{i}", "Джураев", "Джамшед", born=f"1990-05-{10 + i}") for i in range(8)]
    entries = [person(f"e{i}", "Ҷӯраев", "Ҷамшед", born=f"1990-05-{10 + i}") for i in range(8)]
    one = list(screen(people, entries, workers=1))
    two = list(screen(people, entries, workers=2))
    assert one == two and len(one) >= 8


def test_tajik_patronymic_in_a_one_field_name_is_read_either_way() -> None:
    # "Шукурзод Раҷаб Далерзода": surname -зод first, Tajik patronymic -зода last; the
    # endings alone would suggest "given patronymic surname".
    entry = person("e", "Шукуров", "Раджаб", "Далерович", born="1974-12-05")
    hit = found(person(full="Шукурзод Раҷаб Далерзода", born="1974-12-05"), entry)
    assert hit is not None and hit.decision == "match"


def test_a_mangled_jon_ending_is_similar_not_different() -> None:
    entry = person("e", "Рашидов", "Фаррухджно", born="1969-11-17")
    hit = found(person(surname="Рашидов", given="Фаррух", born="1969-11-17"), entry)
    assert hit is not None and "given name similar" in hit.reasons


def test_the_cache_of_name_weights_gives_the_scores_worked_out_each_time() -> None:
    from hamroh.identity.engine.features import compile_record
    from hamroh.identity.engine.scoring import Frequencies, score_pair

    records = [
        person("a", "Ҷӯраев", "Ҷамшед", born="1990-05-17"),
        person("b", "DZHURAEV", "DZHAMSHED", born="1990-05-17"),
        person("c", "Джамшед", "Джураев", born="1990-05-17"),
        person("d", "Ҷӯраев", "Фирӯз", "Далерович", born="1990"),
        person(full="Шукурзод Раҷаб Далерзода", born="1974-12-05"),
        person("f", "Шукуров", "Раджаб", "Далерович", born="1974-12-05"),
    ]
    compiled = [compile_record(r) for r in records]
    freq = Frequencies(compiled)
    cache: dict = {}
    for _round in range(2):  # the second round reads every name weight from the cache
        for a in compiled:
            for b in compiled:
                cached, fresh = score_pair(a, b, freq, cache), score_pair(a, b, freq)
                assert [getattr(cached, s) for s in fresh.__slots__] == [
                    getattr(fresh, s) for s in fresh.__slots__
                ]
    assert cache
