"""Due dates and submission times as nbgrader reads and stores them, and how late a submission was.

nbgrader keeps times in UTC without a zone, and `nbgrader export` prints them as Python prints
such a datetime (`2026-12-01 14:59:00`). Times here are kept as that text, so this grader's
CSVs agree with nbgrader's export word for word; parsing is nbgrader's own `parse_utc`, so a
due date or a timestamp.txt means here what it means to nbgrader. A timestamp.txt that says no time
is where the two part: nbgrader stops autograding that student, this grader grades the work, applies
no late penalty it cannot know, and flags the submission for review, so nothing changes silently.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from autograder.reading import read_regular

TIMESTAMP_FILE = "timestamp.txt"
MAX_TIMESTAMP_BYTES = 200
MAX_SHOWN_CHARS = 60
# The needs-review reason (autograder.grade.tampering) of a timestamp.txt that does not say a time.
UNREADABLE_TIMESTAMP = "unreadable_timestamp"


@dataclass(frozen=True)
class HandedIn:
    """When a submission was handed in, from its timestamp.txt: `time` as nbgrader stores it ("" when there
    is no such file). `unreadable` is what a timestamp.txt that does not say a time holds (shortened; "" when
    empty or unreadable): nbgrader refuses to autograde such a submission, and this grader, which cannot know
    whether it was late, grades it, applies no late penalty, and flags it for a person to check."""

    time: str = ""
    unreadable: str | None = None


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


def _shown(data: bytes) -> str:
    text = data.decode("utf-8", "backslashreplace").strip()
    text = "".join(char if char.isprintable() else "\ufffd" for char in text)
    return text if len(text) <= MAX_SHOWN_CHARS else text[:MAX_SHOWN_CHARS] + "…"


def read_timestamp(folder: Path) -> HandedIn:
    """The time in folder/timestamp.txt (where `nbgrader collect` and `nbgrader submit` put it). A file that
    is there but does not say a time (empty, not UTF-8, too long, not a time, not readable) is unreadable,
    never taken as on time: a student could write anything there, and a careless copy could lose the time."""
    try:
        data = read_regular(folder / TIMESTAMP_FILE, MAX_TIMESTAMP_BYTES)
    except (FileNotFoundError, NotADirectoryError):
        return HandedIn()
    except OSError:
        return HandedIn(unreadable="")
    if len(data) > MAX_TIMESTAMP_BYTES:
        return HandedIn(unreadable=_shown(data[:MAX_SHOWN_CHARS * 4]))
    try:
        return HandedIn(time=utc_text(data.decode("utf-8")))
    except (UnicodeDecodeError, ValueError):
        return HandedIn(unreadable=_shown(data))


def seconds_late(timestamp: str, due: str) -> float:
    """nbgrader's total_seconds_late: 0 when on time, or when the timestamp or the due date is unknown."""
    if not timestamp or not due:
        return 0.0
    return max(0.0, (as_datetime(timestamp) - as_datetime(due)).total_seconds())


def lateness(handed: HandedIn, due: str) -> dict:
    """The fields a result carries about time: when it was submitted, when it was due, how late."""
    return {"timestamp": handed.time, "due": due, "seconds_late": seconds_late(handed.time, due)}


def timestamp_flags(handed: HandedIn) -> list[dict]:
    """The needs-review flag of a timestamp.txt that does not say a time (as JSON data), or none."""
    if handed.unreadable is None:
        return []
    return [{"reason": UNREADABLE_TIMESTAMP, "text": handed.unreadable, "file": TIMESTAMP_FILE}]


def with_lateness(result: dict, handed: HandedIn, due: str) -> dict:
    """A result (JSON data) late as of this due date and this timestamp.txt, its timestamp flag brought up to
    date: what a resumed batch does with a result kept from an earlier run."""
    review = [flag for flag in result.get("review") or [] if not (
        isinstance(flag, dict) and flag.get("reason") == UNREADABLE_TIMESTAMP)]
    return {**result, **lateness(handed, due), "review": review + timestamp_flags(handed)}


def lateness_unknown(result: dict) -> bool:
    """Whether a result's timestamp.txt did not say when it was handed in."""
    return any(isinstance(flag, dict) and flag.get("reason") == UNREADABLE_TIMESTAMP
               for flag in result.get("review") or [])


def late_by(result: dict, lang: str = "en") -> str:
    """How late a result's submission was, as grades.csv and the class report say it: "" when on time,
    "not known" when its timestamp.txt did not say when it was handed in."""
    from autograder.messages import render

    if lateness_unknown(result):
        return render("report.late_unknown", {}, lang)
    return late_text(result.get("seconds_late", 0.0), lang)


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
