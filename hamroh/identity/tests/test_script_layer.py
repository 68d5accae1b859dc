"""The script layer: every spelling of a name gives one phonetic key."""

from __future__ import annotations

from hamroh.identity.engine.normalise import phonetic, spelling_differences


def test_tajik_and_russian_cyrillic_surnames_agree() -> None:
    assert phonetic("Ҷӯраев") == phonetic("Джураев")


def test_tajik_passport_latin_agrees_with_tajik_cyrillic() -> None:
    assert phonetic("Juraev") == phonetic("Ҷӯраев")
    assert phonetic("Qodirov") == phonetic("Қодиров")
    assert phonetic("Ghafurov") == phonetic("Ғафуров")


def test_icao_latin_agrees_with_russian_cyrillic() -> None:
    assert phonetic("DZHURAEV") == phonetic("Джураев")
    assert phonetic("KHAIDAROV") == phonetic("Хайдаров")
    assert phonetic("BAKHTIER") == phonetic("Бахтиёр")


def test_icao_hard_sign_ie_is_read_as_the_tajik_sign() -> None:
    assert phonetic("SAIEDULLO") == phonetic("Саъдулло") == phonetic("Sadullo")


def test_bgn_pcgn_latin_agrees_with_russian_cyrillic() -> None:
    assert phonetic("Dzhurayev") == phonetic("Джураев")
    assert phonetic("Aliyev") == phonetic("Алиев")


def test_french_style_soviet_latin_agrees() -> None:
    assert phonetic("Djouraev") == phonetic("Ҷӯраев")
    assert phonetic("Chodiev") == phonetic("Шодиев")  # French ch is ш


def test_russified_vowels_agree() -> None:
    assert phonetic("Абдулло") == phonetic("Абдулла")
    assert phonetic("Джамшед") == phonetic("Джамшид")


def test_case_and_stray_punctuation_are_ignored() -> None:
    assert phonetic("RAHIMOV.") == phonetic("rahimov")


def test_a_latin_letter_typed_inside_a_cyrillic_name_is_read_as_latin() -> None:
    # "а" below is Latin a: a homoglyph from a mixed keyboard layout.
    assert phonetic("Kaрим") == phonetic("Карим")


def test_tajik_s_followed_by_h_is_not_read_as_sh() -> None:
    assert phonetic("Исҳоқ") != phonetic("Ишоқ")


def test_different_names_keep_different_keys() -> None:
    assert phonetic("Karimov") != phonetic("Rahimov")


def test_spelling_differences_name_the_tajik_rules() -> None:
    assert spelling_differences("Ҷӯраев", "Джураев") == ["ҷ→дж", "ӯ→у"]
    assert spelling_differences("Абдулло", "Абдулла") == ["Russified vowel"]
