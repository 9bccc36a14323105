"""The development signing key: made on first run so the embedded default needs no identity provider."""

import os
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

PRIVATE_KEY_FILE = "jwt-dev-private.pem"
PUBLIC_KEY_FILE = "jwt-dev-public.pem"


def ensure_local_key_pair(data_dir: Path) -> tuple[bytes, bytes]:
    """Return (private PEM, public PEM), creating an RSA-2048 pair in data_dir if there is none."""
    key_dir = data_dir / "keys"
    private_path = key_dir / PRIVATE_KEY_FILE
    public_path = key_dir / PUBLIC_KEY_FILE
    if private_path.exists() and public_path.exists():
        return private_path.read_bytes(), public_path.read_bytes()
    key_dir.mkdir(parents=True, exist_ok=True)
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    private_pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    public_pem = key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    # Written private-first with owner-only permissions; a concurrent first run loses harmlessly.
    descriptor = os.open(private_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(private_pem)
    public_path.write_bytes(public_pem)
    return private_pem, public_pem
