"""Personal fields encrypted at rest, and blind indexes to find them again.

A database dump or a backup must not reveal who is in the registry. Sensitive values
(names, document numbers, phones, free-text accounts of what happened) are stored with
Fernet (AES-128-CBC + HMAC-SHA256, from ``cryptography``); exact-match lookups (a passport
number, a phone) go through a keyed HMAC "blind index" stored beside the ciphertext, so a
lookup never decrypts the table. Keys come from ``HAMROH_FIELD_KEYS`` (comma-separated
Fernet keys, newest first, so keys can be rotated); in development one is generated into the
data folder.
"""

from __future__ import annotations

import hashlib
import hmac
import unicodedata
from functools import cache
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.db import models


@cache
def _fernet() -> MultiFernet:
    return MultiFernet([Fernet(key.encode()) for key in settings.HAMROH_FIELD_KEYS])


@cache
def _index_key() -> bytes:
    # Derived from the oldest key, so rotating encryption keys keeps indexes valid.
    return hashlib.sha256(b"hamroh-blind-index:" + settings.HAMROH_FIELD_KEYS[-1].encode()).digest()


def encrypt(value: str) -> str:
    return _fernet().encrypt(value.encode()).decode() if value else ""


def decrypt(token: str) -> str:
    if not token:
        return ""
    try:
        return _fernet().decrypt(token.encode()).decode()
    except InvalidToken as error:
        raise ValueError("a stored value cannot be decrypted with the configured keys") from error


def encrypt_bytes(data: bytes) -> bytes:
    """A whole file (an upload, a scan) encrypted with the field keys, for storage on disk."""
    return _fernet().encrypt(data)


def decrypt_bytes(token: bytes) -> bytes:
    try:
        return _fernet().decrypt(token)
    except InvalidToken as error:
        raise ValueError("a stored file cannot be decrypted with the configured keys") from error


def normalise_for_index(value: str) -> str:
    """Case, spaces, dashes and Unicode form do not change what a document number is."""
    value = unicodedata.normalize("NFKC", value).casefold()
    return "".join(ch for ch in value if ch.isalnum())


def blind_index(value: str) -> str:
    """A keyed hash for exact lookups; empty for an empty value."""
    normalised = normalise_for_index(value)
    if not normalised:
        return ""
    return hmac.new(_index_key(), normalised.encode(), hashlib.sha256).hexdigest()


class EncryptedTextField(models.TextField):
    """A text field stored encrypted; reads and writes plain ``str`` in Python.

    Not searchable, not orderable: pair it with a ``blind_index`` column for exact lookups.
    """

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> str:
        return decrypt(value) if value else ""

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        return encrypt(value) if value else ""

    def to_python(self, value: Any) -> Any:
        return value
