"""The one check of an uploaded photo or scan (assistance attachments, signed contracts):
JPEG, PNG or PDF up to 5 MB, judged by the file's first bytes, never by its name or the
type the browser claims. What passes is kept by :func:`keep_encrypted`."""

from __future__ import annotations

import hashlib
import secrets
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _

from hamroh.core.crypto import encrypt_bytes

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
# Magic numbers of the only files we keep: photos and PDF scans.
UPLOAD_TYPES = (
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"%PDF-", "application/pdf"),
)


def check_attachment(upload: Any) -> tuple[Any, str]:
    """Accept photos (JPEG, PNG) and PDF up to 5 MB, judged by content, not by name.
    Returns the upload (rewound) and its content type; raises ``ValidationError`` otherwise."""
    name = getattr(upload, "name", "") or _("the file")
    if upload.size > MAX_UPLOAD_BYTES:
        raise ValidationError(
            _("%(name)s is larger than 5 MB. Send a smaller photo or scan.") % {"name": name}
        )
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    for magic, content_type in UPLOAD_TYPES:
        if head.startswith(magic):
            return upload, content_type
    raise ValidationError(
        _("%(name)s is not a photo (JPEG, PNG) or a PDF document.") % {"name": name}
    )


def keep_encrypted(record: Any, upload: Any) -> None:
    """Store a checked upload for ``record`` (an unsaved model with ``token``, ``size``,
    ``sha256`` and a ``file`` field whose path is made from the token): encrypted with the
    field keys, under a random name, so neither the file nor its name says whose it is."""
    upload.seek(0)
    data = upload.read()
    record.token = secrets.token_hex(16)
    record.size = len(data)
    record.sha256 = hashlib.sha256(data).hexdigest()  # of the file as uploaded
    record.file.save(record.token, ContentFile(encrypt_bytes(data)), save=False)
