"""A secret key generated once and kept in the data folder, for the embedded default."""

import secrets
from pathlib import Path


def data_dir_secret_key(data_dir: Path) -> str:
    key_file = data_dir / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()
