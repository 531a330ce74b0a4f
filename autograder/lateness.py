"""Due dates and submission times as nbgrader reads and stores them, and how late a submission was.

nbgrader keeps times in UTC without a zone, and `nbgrader export` prints them as Python prints
such a datetime (`2026-12-01 14:59:00`). Times here are kept as that text, so this grader's
CSVs agree with nbgrader's export word for word; parsing is nbgrader's own `parse_utc`, so a
due date or a timestamp.txt means here what it means to nbgrader.
"""

from __future__ import annotations

import math
from datetime import datetime
from pathlib import Path

TIMESTAMP_FILE = "timestamp.txt"
MAX_TIMESTAMP_BYTES = 200


def utc_text(text: str) -> str:
    """A time as nbgrader accepts it ("2026-12-01 23:59:00 Asia/Seoul", ISO 8601 with an offset, and so on),
    as nbgrader stores it: UTC, no zone (a time without a zone is taken as UTC, as nbgrader does).
    Raises ValueError when it is not a time."""
    from nbgrader.utils import parse_utc

    try:
        parsed = parse_utc(text.strip())
    except (ValueError, OverflowError, TypeError) as error:
        raise ValueError(f"not a time: {text.strip()[:60]!r}") from error
    return str(parsed)


def as_datetime(text: str) -> datetime:
    """The stored text back as nbgrader's naive-UTC datetime, for the gradebook."""
    return datetime.fromisoformat(text)


def read_timestamp(folder: Path) -> str:
    """The time in folder/timestamp.txt (where `nbgrader collect` and `nbgrader submit` put it), as stored
    text; "" when there is none or it is not a time (nbgrader then treats the submission as on time)."""
    try:
        with open(folder / TIMESTAMP_FILE, "rb") as handle:
            data = handle.read(MAX_TIMESTAMP_BYTES + 1)
    except OSError:
        return ""
    if len(data) > MAX_TIMESTAMP_BYTES:
        return ""
    try:
        return utc_text(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return ""


def seconds_late(timestamp: str, due: str) -> float:
    """nbgrader's total_seconds_late: 0 when on time, or when the timestamp or the due date is unknown."""
    if not timestamp or not due:
        return 0.0
    return max(0.0, (as_datetime(timestamp) - as_datetime(due)).total_seconds())


def lateness(timestamp: str, due: str) -> dict:
    """The fields a result carries about time: when it was submitted, when it was due, how late."""
    return {"timestamp": timestamp, "due": due, "seconds_late": seconds_late(timestamp, due)}


def late_text(seconds: float, lang: str = "en") -> str:
    """How late, in days, hours and minutes (rounded up: ten seconds late is a minute late),
    e.g. "1 d 0 h 5 min" or "9 h 31 min"; "" when on time."""
    from autograder.messages import render

    if seconds <= 0:
        return ""
    minutes = math.ceil(seconds / 60)
    days, hours = minutes // 1440, minutes % 1440 // 60
    parts = [("late.days", days)] if days else []
    parts += [("late.hours", hours)] if days or hours else []
    parts.append(("late.minutes", minutes % 60))
    return " ".join(render(code, {"count": count}, lang) for code, count in parts)
