"""Personal fields are unreadable in the database and still findable by exact value."""

from __future__ import annotations

import base64

import pytest
from cryptography.fernet import Fernet

from hamroh.core import crypto


def test_encrypted_value_round_trips_and_hides_the_text():
    token = crypto.encrypt("Ҷӯраев Ҷамшед")
    assert "Ҷӯраев" not in token
    assert crypto.decrypt(token) == "Ҷӯраев Ҷамшед"


def test_same_value_encrypts_differently_each_time():
    assert crypto.encrypt("400123456") != crypto.encrypt("400123456")


@pytest.mark.parametrize(
    "value", ["400123456", "AB1234567", "ab 123-456", "АБ123", "ＡＢ１２", "ǅ1", "ß9", ""]
)
def test_the_plain_ascii_shortcut_gives_the_normalised_hash(value):
    """Plain ASCII letters and digits skip the Unicode normalisation; same hash as the long
    way (NFKC, casefold, letters and digits only)."""
    import hashlib
    import hmac

    normalised = crypto.normalise_for_index(value)
    expected = (
        hmac.new(crypto._index_key(), normalised.encode(), hashlib.sha256).hexdigest()
        if normalised
        else ""
    )
    assert crypto.blind_index(value) == expected


def test_blind_index_ignores_case_spaces_and_dashes():
    assert crypto.blind_index("A 0123-456") == crypto.blind_index("a0123456")
    assert crypto.blind_index("A0123456") != crypto.blind_index("A0123457")
    assert crypto.blind_index("") == ""


def test_rotated_keys_still_decrypt_old_values(settings):
    old = crypto.encrypt("+992 93 555 12 34")
    settings.HAMROH_FIELD_KEYS = [Fernet.generate_key().decode(), *settings.HAMROH_FIELD_KEYS]
    crypto._keys.cache_clear()
    try:
        assert crypto.decrypt(old) == "+992 93 555 12 34"
    finally:
        crypto._keys.cache_clear()


def test_wrong_key_is_a_clear_error(settings):
    token = crypto.encrypt("secret")
    settings.HAMROH_FIELD_KEYS = [Fernet.generate_key().decode()]
    crypto._keys.cache_clear()
    try:
        with pytest.raises(ValueError, match="cannot be decrypted"):
            crypto.decrypt(token)
    finally:
        crypto._keys.cache_clear()


def test_values_written_with_fernet_before_aes_gcm_still_open(settings):
    key = settings.HAMROH_FIELD_KEYS[0].encode()
    assert crypto.decrypt(Fernet(key).encrypt("Ҷӯраев".encode()).decode()) == "Ҷӯраев"
    assert crypto.decrypt_bytes(Fernet(key).encrypt(b"%PDF-1.4")) == b"%PDF-1.4"


def test_a_tampered_value_is_refused_not_misread():
    token = crypto.encrypt("400123456")
    raw = bytearray(base64.urlsafe_b64decode(token[len(crypto.PREFIX) :]))
    raw[-1] ^= 1
    with pytest.raises(ValueError, match="cannot be decrypted"):
        crypto.decrypt(crypto.PREFIX + base64.urlsafe_b64encode(bytes(raw)).decode())


def test_files_round_trip_and_hide_their_content():
    sealed = crypto.encrypt_bytes(b"passport scan \x00\xff")
    assert b"passport" not in sealed
    assert crypto.decrypt_bytes(sealed) == b"passport scan \x00\xff"
