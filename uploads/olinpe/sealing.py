"""Encryption at rest of the OLINPE bases (pseudonymised personal data): Fernet (AES-128-CBC and
HMAC-SHA256, from `cryptography`), with the key from the settings — never in the database or its backup.

`settings.OLINPE_ENCRYPTION_KEY` is a Fernet key (32 bytes, url-safe base64). The embedded demo, which has
none, derives one from its own demo secret; the production shape refuses to seal without a key.
"""

import base64
import hashlib

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


def _fernet() -> Fernet:
    key = settings.OLINPE_ENCRYPTION_KEY
    if not key:
        if settings.PRODUCTION:
            raise ImproperlyConfigured("OLINPE_ENCRYPTION_KEY is required to keep OLINPE bases.")
        key = base64.urlsafe_b64encode(hashlib.sha256(f"olinpe:{settings.SECRET_KEY}".encode()).digest())
    return Fernet(key)


def seal(data: bytes) -> bytes:
    return _fernet().encrypt(data)


def unseal(token: bytes) -> bytes:
    """The bytes as received; `InvalidToken` if the key changed or the file was altered."""
    return _fernet().decrypt(token)


__all__ = ["InvalidToken", "seal", "unseal"]
