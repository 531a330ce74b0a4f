"""From this grader's result to Gradescope's results.json: one Gradescope test per automatic exercise.

Pure functions over plain data, so the runner, the tests and any other caller agree on the format.
Students see only the exercises' messages, which never carry hidden-test inputs or expected values;
hidden-test ids (which name their inputs) are left out on purpose.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field

from autograder.assignments import SHIPPED, Assignment, find
from autograder.messages import DEFAULT_LANGUAGE, LANGUAGES, exercise_title, render
from autograder.places import cell_note

VISIBILITIES = ("visible", "after_due_date", "after_published", "hidden")
CONFIG_FILE = "gradescope_config.json"


@dataclass(frozen=True)
class GradescopeConfig:
    """Written into the zip at build time, read by the runner for every submission."""

    default_visibility: str = "visible"
    visibility: dict[str, str] = field(default_factory=dict)
    timeout_s: float = 30.0
    lang: str = DEFAULT_LANGUAGE
    assignment: str = SHIPPED  # the one the zip grades; its grading folder is in the zip

    def __post_init__(self) -> None:
        automatic = self.graded().automatic
        unknown = sorted(set(self.visibility) - {exercise.id for exercise in automatic})
        if unknown:
            raise ValueError(f"not automatic exercises: {', '.join(unknown)} "
                             f"(known: {', '.join(e.id for e in automatic)})")
        wrong = sorted({self.default_visibility, *self.visibility.values()} - set(VISIBILITIES))
        if wrong:
            raise ValueError(f"unknown visibility {', '.join(wrong)}: use one of {', '.join(VISIBILITIES)}")
        if self.lang not in LANGUAGES:
            raise ValueError(f"unknown language {self.lang!r}")

    def graded(self) -> Assignment:
        """The assignment the zip grades, found where the grader looks (in the zip: its own source/)."""
        return find(self.assignment)

    def visibility_of(self, exercise_id: str) -> str:
        return self.visibility.get(exercise_id, self.default_visibility)

    def to_json(self) -> str:
        return json.dumps(asdict(self), indent=1, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> GradescopeConfig:
        return cls(**json.loads(text))


def gradescope_results(result: dict, config: GradescopeConfig, execution_time_s: float) -> dict:
    """results.json for a graded submission (whatever its code did: a crash is graded, not an error)."""
    tests = []
    assignment = config.graded()
    for number, exercise in enumerate(assignment.automatic, start=1):
        graded = result["exercises"][exercise.id]
        passed = graded["score"] >= graded["max_score"]
        tests.append({
            "name": f"{exercise_title(exercise, config.lang)} ({exercise.id})",
            "number": str(number),
            "score": graded["score"],
            "max_score": graded["max_score"],
            "status": "passed" if passed else "failed",
            "output": "\n".join(graded["messages"]) or render("feedback.all_passed", {}, config.lang),
            "visibility": config.visibility_of(exercise.id),
        })
    manual = [exercise_title(e, config.lang) for e in assignment.exercises if not e.automatic]
    lines = [render("feedback.manual", {"titles": "; ".join(manual)}, config.lang)] if manual else []
    lines += [*result.get("problems", []), *result.get("notes", [])]
    lines += [cell_note(cell, config.lang)
              for cell in result.get("cells", [])]
    return {"score": result["score"], "execution_time": round(execution_time_s),
            "output": "\n".join(lines), "tests": tests}


def refusal_results(execution_time_s: float, lang: str = DEFAULT_LANGUAGE) -> dict:
    """results.json when the image cannot sandbox student code: nothing was run, and only the instructor can
    mend that; why, and how, goes to the runner's output, which Gradescope shows instructors alone."""
    return {"score": 0.0, "execution_time": round(execution_time_s), "output": render("gradescope.unsafe", {}, lang),
            "stdout_visibility": "hidden", "tests": []}


def failure_results(reason: str, execution_time_s: float, lang: str = DEFAULT_LANGUAGE) -> dict:
    """results.json when grading itself could not finish: score 0 and what went wrong, no test details."""
    return {"score": 0.0, "execution_time": round(execution_time_s),
            "output": render("gradescope.failed", {"reason": reason}, lang), "tests": []}
