"""Personal fields are unreadable in the database and still findable by exact value."""

from __future__ import annotations

import pytest
from cryptography.fernet import Fernet

from hamroh.core import crypto


def test_encrypted_value_round_trips_and_hides_the_text():
    token = crypto.encrypt("Ҷӯраев Ҷамшед")
    assert "Ҷӯраев" not in token
    assert crypto.decrypt(token) == "Ҷӯраев Ҷамшед"


def test_same_value_encrypts_differently_each_time():
    assert crypto.encrypt("400123456") != crypto.encrypt("400123456")


def test_blind_index_ignores_case_spaces_and_dashes():
    assert crypto.blind_index("A 0123-456") == crypto.blind_index("a0123456")
    assert crypto.blind_index("A0123456") != crypto.blind_index("A0123457")
    assert crypto.blind_index("") == ""


def test_rotated_keys_still_decrypt_old_values(settings):
    old = crypto.encrypt("+992 93 555 12 34")
    settings.HAMROH_FIELD_KEYS = [Fernet.generate_key().decode(), *settings.HAMROH_FIELD_KEYS]
    crypto._fernet.cache_clear()
    try:
        assert crypto.decrypt(old) == "+992 93 555 12 34"
    finally:
        crypto._fernet.cache_clear()


def test_wrong_key_is_a_clear_error(settings):
    token = crypto.encrypt("secret")
    settings.HAMROH_FIELD_KEYS = [Fernet.generate_key().decode()]
    crypto._fernet.cache_clear()
    try:
        with pytest.raises(ValueError, match="cannot be decrypted"):
            crypto.decrypt(token)
    finally:
        crypto._fernet.cache_clear()
