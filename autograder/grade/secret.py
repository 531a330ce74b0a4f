"""The course secret: what makes each submission's hidden inputs its own.

32 random bytes, made by `autograder assign` (or by the first grading that finds none) in
`.course_secret` at the top of the course repository, readable by its owner only, ignored by
git, never copied into `assignments/` and never sent to a student process or into feedback.
`AUTOGRADER_SECRET_FILE` names another file. A submission's key is HMAC-SHA256(secret, its
sha256): the same file always gets the same inputs, and no submission's inputs say anything
about another's. Keep the file for as long as grades may be re-run: a new secret means new
inputs (the scores of right and wrong answers do not change, the numbers in them do).
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import threading
from pathlib import Path

SECRET_ENV = "AUTOGRADER_SECRET_FILE"
DEFAULT_SECRET_FILE = Path(__file__).resolve().parents[2] / ".course_secret"
SECRET_BYTES = 32
_lock = threading.Lock()


def secret_file() -> Path:
    return Path(os.environ.get(SECRET_ENV) or DEFAULT_SECRET_FILE)


def ensure_course_secret(path: Path | None = None) -> Path:
    """The secret's file, made now (owner-only, never overwritten) if there is none."""
    path = path or secret_file()
    with _lock:
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            try:
                descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            except FileExistsError:
                return path
            with os.fdopen(descriptor, "wb") as handle:
                handle.write(secrets.token_bytes(SECRET_BYTES).hex().encode() + b"\n")
    return path


def course_secret(path: Path | None = None) -> bytes:
    text = ensure_course_secret(path).read_text(encoding="ascii").strip()
    secret = bytes.fromhex(text)
    if len(secret) < 16:
        raise ValueError(f"{path or secret_file()}: the course secret is shorter than 16 bytes")
    return secret


def submission_key(sha256: str, secret: bytes | None = None) -> bytes:
    """The key a submission's hidden inputs are drawn with."""
    return hmac.new(course_secret() if secret is None else secret, sha256.encode("ascii"), hashlib.sha256).digest()


def content_key(text: str) -> bytes:
    """A key from the notebook's own content, where no secret can be kept (nbgrader's path, in the student's kernel)."""
    return hashlib.sha256(b"dense_layers inputs\0" + text.encode("utf-8", "replace")).digest()
