"""The batch grader end to end: every status, isolation of scores, determinism, resume."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from grading import AUTOMATIC, AUTOMATIC_POINTS
from autograder.grade.submission import file_name_of
from grading import grade, notebook, scores, variant, write_submissions

ROOT = Path(__file__).resolve().parents[1]
FULL = {exercise.id: float(exercise.points) for exercise in AUTOMATIC}

SUBMISSIONS = {
    "solution.py": variant(),
    "no_bias.py": variant(("z = tf.linalg.matmul(X, W) + B", "z = tf.linalg.matmul(X, W)")),
    "raises.py": variant(('    return {"X": (N, n_feature)', '    raise ValueError("not yet")\n    return {"X": (N, n_feature)')),
    "hangs.py": variant(("    z = tf.linalg.matmul(X, W) + B", "    while True:\n        pass")),
    "crashes.py": variant(("        for dense in self.dense_layers:", "        import os\n        os._exit(3)\n        for dense in self.dense_layers:")),
    "forbidden.py": variant(("z = tf.reduce_sum(x * W[:, j]) + B[j]", "z = (x @ W)[j] + B[j]")),
    "missing.py": variant(("def trainable_variable_shapes(model):", "def trainable_variable_shape(model):")),
    "patched.py": variant(
        ("z = tf.linalg.matmul(X, W) + B", "z = tf.linalg.matmul(X, W)"),
        append="\nnp.allclose = lambda *a, **k: True\nnp.isclose = lambda a, b, **k: np.ones(np.shape(a), bool)\n"
               "np.testing.assert_allclose = lambda *a, **k: None\n"
               "Dense.__call__ = lambda self, x, *a, **k: tf.zeros((x.shape[0], self.units))\n"),
    "exits_in_a_cell.ipynb": notebook(["%matplotlib inline\n!pip install nothing\n" + variant(),
                                       "import os\nos._exit(0)", "1/0", "x = 1"]),
    "not_a_notebook.ipynb": "this is not JSON, it is a student's essay",
    "empty.ipynb": notebook([]),
    "syntax_error.py": variant(("def dense_shapes(N, n_feature, n_neuron):", "def dense_shapes(N, n_feature, n_neuron)")),
    "untouched_release.ipynb": (ROOT / "assignments" / "dense_layers" / "dense_layers.ipynb").read_text(),
    "test_cell_skipped.ipynb": notebook([variant(), "raise SystemExit('a test cell must not run')",
                                         "def dense_shapes(*a):\n    raise RuntimeError('redefined')"],
                                        test_cells={1: "dense_shapes"}),
}


@pytest.fixture(scope="module")
def graded(tmp_path_factory) -> dict[str, dict]:
    folder = write_submissions(tmp_path_factory.mktemp("submissions"), SUBMISSIONS)
    return grade(folder, tmp_path_factory.mktemp("out"))


def test_the_solution_gets_every_point(graded):
    result = graded["solution"]
    assert result["score"] == result["max_score"] == AUTOMATIC_POINTS
    assert all(test["status"] == "passed" for test in result["tests"])
    assert {"tensorflow", "keras"} <= set(result["versions"])


@pytest.mark.parametrize("student, exercise, status, code", [
    ("no_bias", "dense_forward_matmul", "failed", "dense.missing_bias"),
    ("raises", "dense_shapes", "error", "student.error"),
    ("hangs", "dense_forward_matmul", "timeout", "student.timeout"),
    ("crashes", "TestModel", "crashed", "student.crashed"),
    ("forbidden", "dense_forward_dot", "forbidden", "forbidden.matrix_product"),
    ("missing", "trainable_variable_shapes", "missing", "student.missing"),
])
def test_each_status_costs_only_its_exercise(graded, student, exercise, status, code):
    result = graded[student]
    assert result["exercises"][exercise]["status"] == status
    assert result["exercises"][exercise]["score"] == 0
    assert code in result["exercises"][exercise]["codes"]
    assert result["exercises"][exercise]["messages"], "a student is told what went wrong"
    others = {k: v for k, v in scores(result).items() if k != exercise}
    assert others == {k: v for k, v in FULL.items() if k != exercise}


def test_patching_numpy_or_keras_cannot_raise_a_score(graded):
    patched = graded["patched"]
    assert patched["exercises"]["dense_forward_matmul"]["status"] == "failed"
    assert patched["exercises"]["dense_forward_matmul"]["codes"] == ["dense.missing_bias"]
    assert patched["score"] <= graded["no_bias"]["score"]


def test_messages_say_what_happened(graded):
    assert "exited with code 3" in graded["crashes"]["exercises"]["TestModel"]["messages"][0]
    assert "not yet" in graded["raises"]["exercises"]["dense_shapes"]["messages"][0]
    assert "did not finish within 3 s" in graded["hangs"]["exercises"]["dense_forward_matmul"]["messages"][0]
    assert "@" in graded["forbidden"]["exercises"]["dense_forward_dot"]["messages"][0]


def test_a_cell_that_kills_the_process_costs_only_itself(graded):
    result = graded["exits_in_a_cell"]
    assert result["score"] == AUTOMATIC_POINTS
    assert [(cell["index"], cell["status"]) for cell in result["cells"]] == [(1, "crashed"), (2, "error")]


@pytest.mark.parametrize("student, words", [
    ("not_a_notebook", "not a readable Jupyter notebook"),
    ("empty", "is not defined"),
    ("syntax_error", "is not defined"),
])
def test_unreadable_or_empty_submissions_get_zero_and_a_reason(graded, student, words):
    result = graded[student]
    assert result["score"] == 0
    assert all(e["status"] == "missing" and words in e["messages"][0] for e in result["exercises"].values())


def test_the_untouched_release_is_told_which_stubs_remain(graded):
    result = graded["untouched_release"]
    assert result["score"] == 0
    for exercise in result["exercises"].values():
        assert exercise["status"] == "error" and exercise["codes"] == ["student.not_implemented"], exercise
        assert "NotImplementedError" in exercise["messages"][0]


def test_a_syntax_error_is_reported_with_its_cell(graded):
    assert graded["syntax_error"]["cells"][0]["status"] == "error"
    assert "SyntaxError" in graded["syntax_error"]["cells"][0]["message"]


def test_test_cells_are_not_run(graded):
    assert graded["test_cell_skipped"]["exercises"]["dense_shapes"]["status"] == "error"
    assert graded["test_cell_skipped"]["score"] == AUTOMATIC_POINTS - FULL["dense_shapes"]


def test_results_record_the_submission(graded):
    result = graded["solution"]
    assert len(result["sha256"]) == 64 and result["duration_s"] > 0
    assert {"student", "score", "max_score", "exercises", "tests", "sha256", "duration_s", "versions",
            "sandboxed"} <= set(result)
    assert {test["status"] for r in graded.values() for test in r["tests"]} <= {
        "passed", "failed", "error", "timeout", "crashed", "forbidden", "missing"}


def test_scores_do_not_depend_on_the_number_of_workers(graded, tmp_path):
    chosen = {name: SUBMISSIONS[name] for name in ("solution.py", "no_bias.py", "crashes.py", "raises.py")}
    again = grade(write_submissions(tmp_path / "in", chosen), tmp_path / "out", workers=1)
    for student, result in again.items():
        assert [(t["id"], t["status"], t["points"], t["message"]) for t in result["tests"]] == \
               [(t["id"], t["status"], t["points"], t["message"]) for t in graded[student]["tests"]]


def test_grades_csv_has_a_row_per_student(graded, tmp_path):
    out = tmp_path / "out"
    grade(write_submissions(tmp_path / "in", {"solution.py": variant(), "no_bias.py": SUBMISSIONS["no_bias.py"]}), out)
    rows = (out / "grades.csv").read_text().splitlines()
    assert rows[0].split(",") == ["student", *FULL, "total", "max_score", "timestamp", "late_by (d h min)", "needs_review"]
    assert rows[1].startswith("no_bias,5,0,15,") and rows[1].endswith(",80,95,,,")
    assert rows[2].startswith("solution,5,15,15,") and rows[2].endswith(",95,95,,,")


def test_unsafe_student_ids_stay_inside_the_results_folder(tmp_path):
    submitted = tmp_path / "submitted" / "..%2F.." / "dense_layers"
    submitted.mkdir(parents=True)
    (submitted / "dense_layers.ipynb").write_text(notebook(["x = 1"]))
    (tmp_path / "submitted" / "..weird name;rm -rf.py").write_text("x = 1")
    out = tmp_path / "results" / "out"
    results = grade(tmp_path / "submitted", out)
    assert set(results) == {"..%2F..", "..weird name;rm -rf"}
    written = sorted(p.name for p in out.iterdir())
    assert written == sorted([f"{file_name_of('..%2F..')}.json", f"{file_name_of('..weird name;rm -rf')}.json",
                              "grades.csv"])
    assert all(name.startswith(("2F..-", "weird_name_rm_-rf-")) or name == "grades.csv" for name in written)
    assert sorted(p.name for p in (tmp_path / "results").iterdir()) == ["out"]


def _grade_command(folder: Path, out: Path, *extra: str) -> list[str]:
    return [sys.executable, "-m", "autograder", "grade", str(folder), "--out", str(out), "--workers", "1",
            "--timeout", "5", *extra]


def test_a_killed_batch_resumes_without_grading_twice(tmp_path):
    folder = write_submissions(tmp_path / "in", {f"s{i}.py": variant() for i in range(4)})
    out = tmp_path / "out"
    process = subprocess.Popen(_grade_command(folder, out), cwd=ROOT, start_new_session=True,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 240
    while not list(out.glob("s*.json")) and time.monotonic() < deadline:
        time.sleep(0.2)
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    first = {p.name: p.stat().st_mtime_ns for p in out.glob("s*.json")}
    assert first and len(first) < 4, "the batch was killed in the middle"
    for path in out.glob("s*.json"):
        json.loads(path.read_text())
    finished = subprocess.run(_grade_command(folder, out), cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert finished.returncode == 0, finished.stderr
    assert sorted(p.name for p in out.glob("s*.json")) == [f"s{i}.json" for i in range(4)]
    assert all(out.joinpath(name).stat().st_mtime_ns == mtime for name, mtime in first.items())
    forced = subprocess.run(_grade_command(folder, out, "--force"), cwd=ROOT, capture_output=True, text=True,
                            timeout=600)
    assert forced.returncode == 0
    assert any(out.joinpath(name).stat().st_mtime_ns != mtime for name, mtime in first.items())


def test_without_bubblewrap_the_grader_still_works_and_says_so(tmp_path, capsys):
    results = grade(write_submissions(tmp_path / "in", {"solution.py": variant()}), tmp_path / "out", sandbox=False,
                    unsandboxed=True)
    assert results["solution"]["score"] == AUTOMATIC_POINTS
    assert results["solution"]["sandboxed"] is False
    assert "WITHOUT a sandbox" in capsys.readouterr().err
