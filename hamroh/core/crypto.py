"""Personal fields encrypted at rest, and blind indexes to find them again.

A database dump or a backup must not reveal who is in the registry. Sensitive values
(names, document numbers, phones, free-text accounts of what happened) are stored with
AES-256-GCM (authenticated encryption, from ``cryptography``; a fresh 96-bit nonce per
value); exact-match lookups (a passport number, a phone) go through a keyed HMAC "blind
index" stored beside the ciphertext, so a lookup never decrypts the table.

Keys come from ``HAMROH_FIELD_KEYS``: comma-separated 32-byte keys in URL-safe base64 (the
format ``Fernet.generate_key()`` prints), newest first, so keys can be rotated; in development
one is generated into the data folder. Each value carries the id of the key that sealed it.
Values written before AES-GCM (Fernet tokens, ``gAAAAA…``) are still read with the same keys.

AES-GCM rather than Fernet because Fernet cost 14–23 µs per value against about 2 µs: at a
million rows with several encrypted columns, that was most of an import (docs/performance.md).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import os
import unicodedata
from functools import cache
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.db import models

# Token layout: PREFIX, then (URL-safe base64 for text) key id (4 bytes) + nonce (12 bytes) +
# ciphertext and tag. Fernet tokens start with "gAAAAA", so the two never collide.
PREFIX = "h1:"
_PREFIX_BYTES = PREFIX.encode()
_KEY_ID_SIZE = 4
_NONCE_SIZE = 12


class _Keys:
    """The configured keys: the newest seals, any of them opens."""

    def __init__(self, keys: list[str]) -> None:
        if not keys:
            raise ValueError("HAMROH_FIELD_KEYS holds no key")
        self.aead: dict[bytes, AESGCM] = {}
        self.sealing_id = b""
        for key in keys:
            raw = base64.urlsafe_b64decode(key.encode())
            derived = hashlib.sha256(b"hamroh-field-aes-gcm:" + raw).digest()
            key_id = hashlib.sha256(b"hamroh-key-id:" + derived).digest()[:_KEY_ID_SIZE]
            self.aead.setdefault(key_id, AESGCM(derived))
            self.sealing_id = self.sealing_id or key_id
        self.sealing = self.aead[self.sealing_id]
        self.legacy = MultiFernet([Fernet(key.encode()) for key in keys])

    def seal(self, data: bytes) -> bytes:
        nonce = os.urandom(_NONCE_SIZE)
        return self.sealing_id + nonce + self.sealing.encrypt(nonce, data, None)

    def open(self, raw: bytes) -> bytes:
        aead = self.aead.get(raw[:_KEY_ID_SIZE])
        if aead is None:
            raise ValueError("sealed with a key that is not configured")
        start = _KEY_ID_SIZE + _NONCE_SIZE
        return aead.decrypt(raw[_KEY_ID_SIZE:start], raw[start:], None)


@cache
def _keys() -> _Keys:
    return _Keys(settings.HAMROH_FIELD_KEYS)


@cache
def _index_key() -> bytes:
    # Derived from the oldest key, so rotating encryption keys keeps indexes valid.
    return hashlib.sha256(b"hamroh-blind-index:" + settings.HAMROH_FIELD_KEYS[-1].encode()).digest()


def encrypt(value: str) -> str:
    if not value:
        return ""
    return PREFIX + base64.urlsafe_b64encode(_keys().seal(value.encode())).decode()


def decrypt(token: str) -> str:
    if not token:
        return ""
    try:
        if token.startswith(PREFIX):
            return _keys().open(base64.urlsafe_b64decode(token[len(PREFIX) :])).decode()
        return _keys().legacy.decrypt(token.encode()).decode()
    except (InvalidTag, InvalidToken, ValueError, binascii.Error) as error:
        raise ValueError("a stored value cannot be decrypted with the configured keys") from error


def encrypt_bytes(data: bytes) -> bytes:
    """A whole file (an upload, a scan) encrypted with the field keys, for storage on disk."""
    return _PREFIX_BYTES + _keys().seal(data)


def decrypt_bytes(token: bytes) -> bytes:
    try:
        if token.startswith(_PREFIX_BYTES):
            return _keys().open(token[len(_PREFIX_BYTES) :])
        return _keys().legacy.decrypt(token)
    except (InvalidTag, InvalidToken, ValueError) as error:
        raise ValueError("a stored file cannot be decrypted with the configured keys") from error


def normalise_for_index(value: str) -> str:
    """Case, spaces, dashes and Unicode form do not change what a document number is."""
    value = unicodedata.normalize("NFKC", value).casefold()
    return "".join(ch for ch in value if ch.isalnum())


def blind_index(value: str) -> str:
    """A keyed hash for exact lookups; empty for an empty value.

    Document numbers and phones are nearly always plain ASCII letters and digits, which
    normalise to themselves in lower case: those skip the Unicode normalisation (same hash)."""
    if value.isascii() and value.isalnum():
        normalised = value.lower()
    else:
        normalised = normalise_for_index(value)
        if not normalised:
            return ""
    return hmac.digest(_index_key(), normalised.encode(), "sha256").hex()


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
