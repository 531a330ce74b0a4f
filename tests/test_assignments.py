"""More than one assignment: a second one, `activations`, added with nothing changed outside its folder.

The end-to-end test follows the README's "Writing another assignment" word for word on a copy of
the repository: the folder is copied into source/, released with `autograder assign`, checked with
`nbgrader validate` and with pytest, then a correct and a wrong submission (and one of the Dense
course beside them) are graded in one `autograder grade`, and every output is read. The unit tests
show that each check of the new assignment rejects a wrong answer, how a submission's assignment is
told, and that a node which was only sent an assignment's bytes grades it the same.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import pickle
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from autograder.assignments import AssignmentError, available, find, load, shipped
from autograder.grade.hidden import collect, run_exercise
from autograder.grade.submission import Assignments, discover
from autograder.public import run_public_tests
from autograder.student import LocalStudent

ROOT = Path(__file__).resolve().parents[1]
ACTIVATIONS = ROOT / "tests" / "assignments" / "activations"
NAME = "activations"
RIGHT = """import numpy as np
def sigmoid(x): return 1 / (1 + np.exp(-x))
def relu(x): return np.maximum(x, 0)
def softmax(x):
    e = np.exp(x - x.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)
"""
# The wrong submission: the sigmoid's sign flipped, ReLU right, a softmax that overflows on large inputs.
WRONG = {"sigmoid_solution": "def sigmoid(x):\n    return 1 / (1 + np.exp(x))",
         "softmax_solution": "def softmax(x):\n    e = np.exp(x)\n    return e / e.sum(axis=-1, keepdims=True)"}


def run(copy: Path, *args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(copy), "TF_CPP_MIN_LOG_LEVEL": "3"}
    env.pop("AUTOGRADER_SOURCE", None)
    return subprocess.run([sys.executable, *args], cwd=cwd or copy, env=env, capture_output=True, text=True,
                          timeout=1800)


def digests(folder: Path) -> dict[str, str]:
    return {str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
            for path in folder.rglob("*") if path.is_file() and "__pycache__" not in path.parts}


def with_answers(notebook: Path, answers: dict[str, str]) -> str:
    """The notebook with some solution cells replaced, as a student would have written them."""
    loaded = nbformat.read(notebook, as_version=4)
    for cell in loaded.cells:
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        if grade_id in answers:
            cell.source = answers[grade_id]
    return nbformat.writes(loaded)


@pytest.fixture(scope="module")
def added(tmp_path_factory) -> dict:
    """A copy of the repository with the second assignment added as the README says, released and graded."""
    work = tmp_path_factory.mktemp("assignments")
    copy = work / "repo"
    shutil.copytree(ROOT, copy, ignore=shutil.ignore_patterns(".git", ".venv", "out", "__pycache__", "notebooks",
                                                              ".pytest_cache", ".course_secret"))
    before = digests(copy)
    # 1. The folder: master notebook and grading/ (exercise list, public cases, hidden tests, checks, messages).
    shutil.copytree(copy / "tests" / "assignments" / NAME, copy / "source" / NAME)
    # 2. Release it.
    found = {"assign": run(copy, "-m", "autograder", "assign", NAME)}
    found["after"] = digests(copy)
    found["check"] = run(copy, "-m", "autograder", "assign", "--check")
    # 3. nbgrader's Validate on the release and on the solution.
    found["validate_release"] = run(copy, "-m", "nbgrader", "validate", f"assignments/{NAME}/{NAME}.ipynb")
    found["validate_solution"] = run(copy, "-m", "nbgrader", "validate", f"solutions/{NAME}/{NAME}.ipynb")
    # 4. The hidden tests under pytest, on the solution.
    found["pytest"] = run(copy, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "autograder.grade.under_pytest",
                          f"source/{NAME}/grading/hidden_tests", "--submission", f"solutions/{NAME}/{NAME}.py")
    # 5. Grade: students in nbgrader's layout, of both assignments, and a file whose assignment cannot be told.
    submitted = work / "submitted"
    for student, text in (("ada", (copy / "solutions" / NAME / f"{NAME}.ipynb").read_text()),
                          ("bob", with_answers(copy / "solutions" / NAME / f"{NAME}.ipynb", WRONG))):
        (submitted / student / NAME).mkdir(parents=True)
        (submitted / student / NAME / f"{NAME}.ipynb").write_text(text)
    (submitted / "ada" / "dense_layers").mkdir()
    shutil.copy(copy / "solutions" / "dense_layers" / "dense_layers.ipynb", submitted / "ada" / "dense_layers")
    (work / "stray.ipynb").write_text((copy / "solutions" / NAME / f"{NAME}.ipynb").read_text())
    found["grade"] = run(copy, "-m", "autograder", "grade", str(submitted), str(work / "stray.ipynb"),
                         "--out", str(work / "graded"), "--gradebook", f"sqlite:///{work / 'gradebook.db'}",
                         "--workers", "2", cwd=work)
    # The same submissions of the new assignment on a Dask cluster, whose nodes are sent the grading folder.
    found["cluster"] = run(copy, "-m", "autograder", "grade", str(submitted / "ada" / NAME), str(submitted / "bob" / NAME),
                           "--out", str(work / "cluster"), "--cluster", "local:1", cwd=work)
    # 6. A course with both assignments, and nbgrader's release of the new one there.
    course = work / "course"
    found["course"] = run(copy, "-m", "autograder", "course", "init", str(course), "--assignment", "dense_layers",
                          "--assignment", NAME)
    found["course_release"] = run(copy, "-m", "nbgrader", "generate_assignment", NAME, cwd=course)
    shutil.copytree(submitted, course / "submitted")
    found["course_grade"] = run(copy, "-m", "autograder", "grade", "submitted", "--course", ".", "--out", "grades",
                                "--workers", "2", cwd=course)
    found["course_feedback"] = run(copy, "-m", "nbgrader", "generate_feedback", NAME, cwd=course)
    # The reports again from the results, and a Gradescope zip of the new assignment.
    found["report"] = run(copy, "-m", "autograder", "report", str(work / "graded" / NAME))
    found["gradescope"] = run(copy, "-m", "autograder", "gradescope", "build", "--assignment", NAME,
                              "--out", str(work / "activations.zip"))
    found.update(copy=copy, work=work, before=before)
    return found


def test_adding_an_assignment_changes_nothing_outside_its_folders(added):
    assert added["assign"].returncode == 0, added["assign"].stdout + added["assign"].stderr
    assert added["check"].returncode == 0, added["check"].stdout
    changed = {name for name in set(added["before"]) | set(added["after"])
               if added["before"].get(name) != added["after"].get(name)} - {".course_secret"}  # made by assign
    made = {f"source/{NAME}", f"assignments/{NAME}", f"solutions/{NAME}"}
    assert changed and all(any(name.startswith(f"{folder}/") for folder in made) for name in changed), \
        sorted(name for name in changed if not any(name.startswith(f"{folder}/") for folder in made))
    assert (added["copy"] / "source" / NAME / "course_checks" / "assignment" / "checks.py").is_file()


def test_the_release_holds_no_grading_folder_hidden_test_solution_or_secret(added):
    copy = added["copy"]
    secret = (copy / ".course_secret").read_text().strip()
    hidden = [line.strip() for path in (copy / "source" / NAME / "grading" / "hidden_tests").glob("test_*.py")
              for line in path.read_text().splitlines() if "pytest.param(" in line or "check_activation(" in line]
    solved = "x - x.max(axis=-1, keepdims=True)"
    assert len(hidden) > 8
    for folder in ("assignments", "solutions"):
        for path in (copy / folder / NAME).rglob("*"):
            assert "grading" not in path.parts and "hidden_tests" not in path.parts, path
            if path.is_file():
                text = path.read_text(errors="replace")
                assert secret not in text and not [line for line in hidden if line in text], path
                assert "grade_exercise" not in text, path
                assert folder == "solutions" or solved not in text, path


def test_nbgrader_validate_fails_on_the_release_and_passes_on_the_solution(added):
    assert "VALIDATION FAILED ON 3 CELL(S)" in added["validate_release"].stdout, added["validate_release"].stdout[-3000:]
    assert "Success! Your notebook passes all the tests." in added["validate_solution"].stdout, \
        added["validate_solution"].stdout[-3000:] + added["validate_solution"].stderr[-3000:]


def test_pytest_runs_the_new_hidden_tests(added):
    assert "11 passed" in added["pytest"].stdout.splitlines()[-1], added["pytest"].stdout[-3000:]


def test_one_grade_command_grades_each_submission_as_its_assignment(added):
    grade, graded = added["grade"], added["work"] / "graded"
    assert grade.returncode == 0, grade.stdout[-3000:] + grade.stderr[-3000:]
    ada = json.loads((graded / NAME / "ada.json").read_text())
    bob = json.loads((graded / NAME / "bob.json").read_text())
    dense = json.loads((graded / "dense_layers" / "ada.json").read_text())
    assert ada["assignment"] == bob["assignment"] == NAME and dense["assignment"] == "dense_layers"
    assert (ada["score"], ada["max_score"]) == (12, 12)
    assert {e: bob["exercises"][e]["score"] for e in ("sigmoid", "relu", "softmax")} == {"sigmoid": 0, "relu": 3,
                                                                                          "softmax": 3}
    assert bob["exercises"]["sigmoid"]["codes"] == ["activations.sigmoid_sign"]
    assert bob["exercises"]["softmax"]["codes"] == ["activations.softmax_overflow"]
    assert (dense["score"], dense["max_score"]) == (95, 95)
    rows = list(csv.DictReader(io.StringIO((graded / NAME / "grades.csv").read_text())))
    assert [row["student"] for row in rows] == ["ada", "bob"]
    assert (rows[1]["sigmoid"], rows[1]["relu"], rows[1]["softmax"], rows[1]["total"]) == ("0", "3", "3", "6")
    assert "dense_shapes" not in rows[0] and "dense_shapes" in (graded / "dense_layers" / "grades.csv").read_text()


def test_a_course_holds_both_assignments_and_nbgrader_releases_the_new_one_without_its_grading_folder(added):
    from nbgrader.api import Gradebook

    course = added["work"] / "course"
    assert added["course"].returncode == 0, added["course"].stderr[-3000:]
    assert added["course_release"].returncode == 0, added["course_release"].stderr[-3000:]
    assert (course / "source" / NAME / "grading" / "hidden_tests" / "test_softmax.py").is_file()
    released = course / "release" / NAME
    assert (released / f"{NAME}.ipynb").is_file() and (released / "course_checks" / "assignment" / "checks.py").is_file()
    assert not [path for path in released.rglob("*") if "grading" in path.parts or "hidden_tests" in path.parts]
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gradebook:
        assert {assignment.name for assignment in gradebook.assignments} == {"dense_layers", NAME}


def test_a_dask_cluster_grades_the_new_assignment_as_the_local_grader_does(added):
    cluster = added["cluster"]
    assert cluster.returncode == 0, cluster.stdout[-3000:] + cluster.stderr[-3000:]
    for student in ("ada", "bob"):
        remote = json.loads((added["work"] / "cluster" / f"{student}.json").read_text())
        local = json.loads((added["work"] / "graded" / NAME / f"{student}.json").read_text())
        assert remote["assignment"] == NAME
        assert {key: value["score"] for key, value in remote["exercises"].items()} == \
            {key: value["score"] for key, value in local["exercises"].items()}


def test_a_course_grades_both_assignments_into_its_gradebook_and_nbgrader_gives_the_feedback(added):
    from nbgrader.api import Gradebook

    course = added["work"] / "course"
    grade = added["course_grade"]
    assert grade.returncode == 0, grade.stdout[-3000:] + grade.stderr[-3000:]
    assert json.loads((course / "grades" / NAME / "bob.json").read_text())["score"] == 6
    assert json.loads((course / "grades" / "dense_layers" / "ada.json").read_text())["score"] == 95
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gradebook:
        assert gradebook.find_grade("softmax", NAME, NAME, "bob").score == 3
        assert gradebook.find_submission("dense_layers", "ada").score == 95
    autograded = (course / "autograded" / "bob" / NAME / f"{NAME}.ipynb").read_text()
    assert "sign in the exponent is flipped" in autograded and "grade_exercise" not in autograded
    assert added["course_feedback"].returncode == 0, added["course_feedback"].stderr[-3000:]
    feedback = (course / "feedback" / "bob" / NAME / f"{NAME}.html").read_text()
    assert "sign in the exponent is flipped" in feedback and "grade_exercise" not in feedback


def test_the_report_verb_and_a_gradescope_zip_of_the_new_assignment(added):
    import zipfile

    assert added["report"].returncode == 0, added["report"].stderr[-3000:]
    assert added["gradescope"].returncode == 0, added["gradescope"].stderr[-3000:]
    with zipfile.ZipFile(added["work"] / "activations.zip") as archive:
        names = archive.namelist()
        config = json.loads(archive.read("gradescope_config.json"))
    assert config["assignment"] == NAME
    assert f"source/{NAME}/grading/hidden_tests/test_softmax.py" in names
    assert not [name for name in names if name.startswith("source/") and not name.startswith(f"source/{NAME}/grading/")]


def test_a_submission_whose_assignment_cannot_be_told_gets_a_result_that_says_so(added):
    stray = json.loads((added["work"] / "graded" / "stray.json").read_text())
    assert stray["assignment"] == "" and stray["exercises"] == {} and stray["score"] == 0
    assert "which assignment stray.ipynb is for cannot be told" in stray["problems"][0]
    assert "--assignment NAME" in stray["problems"][0] and "activations, dense_layers" in stray["problems"][0]
    page = (added["work"] / "graded" / "report" / "students" / "stray.md").read_text()
    assert "cannot be told" in page


def test_feedback_report_and_gradebook_rows_of_the_new_assignment(added):
    from nbgrader.api import Gradebook

    graded = added["work"] / "graded" / NAME
    page = (graded / "report" / "students" / "bob.md").read_text()
    assert page.startswith("# Feedback on activations for bob")
    assert "the sign in the exponent is flipped (see section 1 of the notebook, “The sigmoid”)" in page
    assert "subtract each row's maximum before exp" in page and "## ReLU (`relu`): 3 / 3, passed" in page
    assert "test_softmax" not in page and "large_inputs" not in page
    index = (graded / "report" / "index.html").read_text()
    assert "activations" in index and "activations.sigmoid_sign" in index
    exported = list(csv.DictReader(io.StringIO((graded / "grades_nbgrader.csv").read_text())))
    assert {(row["assignment"], row["student_id"], row["score"], row["max_score"]) for row in exported} == \
        {(NAME, "ada", "12.0", "12.0"), (NAME, "bob", "6.0", "12.0")}
    with Gradebook(f"sqlite:///{added['work'] / 'gradebook.db'}") as gradebook:
        assert gradebook.find_submission(NAME, "ada").score == 12
        assert gradebook.find_grade("sigmoid", NAME, NAME, "bob").score == 0
        assert gradebook.find_grade("softmax", NAME, NAME, "bob").score == 3
        assert gradebook.find_submission("dense_layers", "ada").score == 95


# Each check of the new assignment rejects a wrong answer, and accepts honest variants.

@pytest.fixture(scope="module")
def activations():
    return load(ACTIVATIONS)


def namespace(source: str) -> dict:
    found: dict = {}
    exec(source, found)  # noqa: S102 - the tests' own code
    return found


@pytest.mark.parametrize("source, exercise, code", [
    ("def sigmoid(x): return 1 / (1 + np.exp(x))", "sigmoid", "activations.sigmoid_sign"),
    ("def sigmoid(x): return np.tanh(x)", "sigmoid", "activations.mismatch"),
    ("def relu(x): return np.minimum(x, 0)", "relu", "activations.relu_inverted"),
    ("def relu(x): return np.abs(x)", "relu", "activations.mismatch"),
    ("def softmax(x): return np.exp(x)", "softmax", "activations.softmax_not_normalized"),
    ("def softmax(x):\n    e = np.exp(x - x.max())\n    return e / e.sum(axis=0, keepdims=True)", "softmax",
     "activations.softmax_axis"),
    ("def softmax(x):\n    e = np.exp(x)\n    return e / e.sum(axis=-1, keepdims=True)", "softmax",
     "activations.softmax_overflow"),
    ("def softmax(x): return x", "softmax", "activations.mismatch"),
])
def test_each_check_names_the_wrong_answer_in_hidden_and_public_tests(activations, source, exercise, code):
    student = namespace("import numpy as np\n" + source)
    under = activations.by_id[exercise]
    result, _ = run_exercise(under, collect(activations, under), LocalStudent(student), "en", [], b"key")
    assert result.score < under.points and code in result.codes, result.messages
    public = run_public_tests(activations, under, student, "en")
    assert public.score < under.points and code in public.codes, public.messages


@pytest.mark.parametrize("source", [
    RIGHT,
    RIGHT.replace("np.exp(-x)", "np.exp(-np.asarray(x, dtype=np.float64))").replace(
        "np.maximum(x, 0)", "np.where(x > 0, x, 0.0)"),
    "import numpy as np\ndef sigmoid(x): return 0.5 * (1 + np.tanh(x / 2))\ndef relu(x): return x * (x > 0)\n"
    "def softmax(x):\n    x = np.asarray(x, dtype=float)\n    z = np.exp(x - np.max(x, axis=-1, keepdims=True))\n"
    "    return z / np.sum(z, axis=-1, keepdims=True)\n",
])
def test_honest_variants_pass_every_check(activations, source):
    student = LocalStudent(namespace(source))
    for exercise in activations.automatic:
        result, _ = run_exercise(exercise, collect(activations, exercise), student, "en", [], b"key")
        assert result.score == exercise.points, result.messages


def test_the_new_messages_meet_the_catalogs_rules_in_both_languages(activations):
    """Once loaded, the assignment's messages are the catalog's, held to the same tests as every other."""
    from autograder.messages import MESSAGES
    from tests import test_messages

    own = activations.module("messages").MESSAGES
    assert own and all(MESSAGES[code] == templates for code, templates in own.items())
    for code in own:
        test_messages.test_every_message_exists_in_every_language_with_the_same_blanks(code)
        test_messages.test_korean_leaves_no_english_word_outside_code(code)
        test_messages.test_korean_names_each_concept_by_the_glossary_term(code)


def test_a_message_may_not_reword_one_the_catalog_has():
    from autograder.messages import add_messages

    with pytest.raises(ValueError, match="worded otherwise"):
        add_messages({"student.missing": {"en": "other words", "ko": "다른 말"}})
    with pytest.raises(ValueError, match="must be written in"):
        add_messages({"activations.only_english": {"en": "text"}})


# How a submission's assignment is told.

def test_a_submissions_assignment_comes_from_the_layout_then_its_name_then_the_option(tmp_path, activations):
    known = {"dense_layers": shipped(), NAME: activations}
    (tmp_path / "in" / "ada" / NAME).mkdir(parents=True)
    (tmp_path / "in" / "ada" / NAME / "anything.ipynb").write_text("{}")
    (tmp_path / "in" / "ada" / "dense_layers").mkdir()
    (tmp_path / "in" / "ada" / "dense_layers" / "dense_layers.ipynb").write_text("{}")
    (tmp_path / "loose").mkdir()
    (tmp_path / "loose" / f"{NAME}.ipynb").write_text("{}")
    (tmp_path / "loose" / "bob.py").write_text("")

    def told(chosen: str = "") -> dict:
        found = discover([tmp_path / "in", tmp_path / "loose"], Assignments(known, chosen))
        return {(item.student, item.assignment.name if item.assignment else None): item.problem for item in found}

    layout_and_name = told()
    assert set(layout_and_name) == {("ada", NAME), ("ada", "dense_layers"), (NAME, NAME), ("bob", None)}
    assert "cannot be told" in str(layout_and_name[("bob", None)])
    assert set(told("dense_layers")) == {("ada", NAME), ("ada", "dense_layers"), (NAME, NAME),
                                         ("bob", "dense_layers")}
    only_one = discover([tmp_path / "loose" / "bob.py"], Assignments({NAME: activations}))
    assert [(item.student, item.assignment.name) for item in only_one] == [("bob", NAME)]
    with pytest.raises(ValueError, match="no assignment named 'nope'"):
        Assignments(known, "nope")


def test_assignments_are_found_by_name_under_the_roots(tmp_path):
    assert set(available()) == {"dense_layers"}
    root = tmp_path / "source"
    shutil.copytree(ACTIVATIONS, root / NAME)
    assert set(available([root])) == {NAME} and find(NAME, [root]).folder == root / NAME
    with pytest.raises(AssignmentError, match="no assignment named 'activations'"):
        find(NAME)
    (root / "notes").mkdir()
    with pytest.raises(AssignmentError, match="no grading/__init__.py"):
        load(root / "notes")


def _drop_relu_cases(grading: Path) -> None:
    public = grading / "public.py"
    public.write_text("\n".join(line for line in public.read_text().splitlines() if '"relu":' not in line) + "\n")


@pytest.mark.parametrize("breakage, said", [
    (lambda grading: (grading / "hidden_tests" / "test_relu.py").unlink(), "hidden_tests/test_relu.py is missing"),
    (lambda grading: (grading / "hidden_tests" / "test_relu.py").write_text("def test_relu(relu:\n"), "SyntaxError"),
    (lambda grading: (grading / "hidden_tests" / "test_relu.py").write_text("def test_relu(relu):\n    pass\n"),
     "says nothing of its share of the points"),
    (_drop_relu_cases, "no visible cases for relu"),
    (lambda grading: (grading / "__init__.py").write_text("EXERCISES = ()\n"), "must define EXERCISES"),
], ids=["no_hidden_test", "syntax_error", "no_worth", "no_visible_case", "no_exercise"])
def test_a_broken_assignment_is_refused_before_anything_is_graded(tmp_path, breakage, said):
    from autograder.cli import main as cli_main

    folder = tmp_path / "source" / NAME
    shutil.copytree(ACTIVATIONS, folder)
    breakage(folder / "grading")
    with pytest.raises(AssignmentError, match=said):
        load(folder)
    (tmp_path / "ada.py").write_text(RIGHT)
    assert cli_main(["grade", str(tmp_path / "ada.py"), "--source", str(tmp_path / "source"),
                     "--out", str(tmp_path / "out")]) == 2
    assert not (tmp_path / "out").exists()


def test_two_versions_of_an_assignment_never_share_a_module(tmp_path, activations):
    changed = tmp_path / NAME
    shutil.copytree(ACTIVATIONS, changed)
    init = changed / "grading" / "__init__.py"
    init.write_text(init.read_text().replace('Exercise("relu", "ReLU", 3,', 'Exercise("relu", "ReLU", 6,'))
    other = load(changed)
    assert other.package != activations.package
    assert other.by_id["relu"].points == 6 and activations.by_id["relu"].points == 3


def test_a_node_that_was_only_sent_the_assignment_grades_it_the_same(tmp_path, activations):
    """What a Dask worker does: the assignment arrives pickled (its grading folder's bytes), the folder is not there."""
    (tmp_path / "sent.pickle").write_bytes(pickle.dumps(activations))
    script = ("import pickle, sys\nfrom autograder.grade.hidden import collect, run_exercise\n"
              "from autograder.student import LocalStudent\n"
              "assignment = pickle.loads(open('sent.pickle', 'rb').read())\n"
              "namespace = {}\nexec(sys.stdin.read(), namespace)\n"
              "for exercise in assignment.automatic:\n"
              "    result, _ = run_exercise(exercise, collect(assignment, exercise), LocalStudent(namespace), 'en', [],"
              " b'key')\n"
              "    print(exercise.id, result.score, result.codes)\n")
    env = {**os.environ, "PYTHONPATH": str(ROOT), "TF_CPP_MIN_LOG_LEVEL": "3"}
    wrong = RIGHT.replace("np.maximum(x, 0)", "np.minimum(x, 0)")
    done = subprocess.run([sys.executable, "-c", script], input=wrong, cwd=tmp_path, env=env, capture_output=True,
                          text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    assert done.stdout.splitlines() == ["sigmoid 4.0 []", "relu 0.0 ['activations.relu_inverted']", "softmax 5.0 []"]


def test_the_bundle_refuses_a_grading_module_that_imports_the_hidden_tests(tmp_path):
    from autograder.assign.bundle import write_bundle

    leaky = tmp_path / NAME
    shutil.copytree(ACTIVATIONS, leaky)
    public = leaky / "grading" / "public.py"
    public.write_text(public.read_text() + "\nfrom .hidden_tests.test_relu import test_relu_equals_tensorflow\n")
    with pytest.raises(ValueError, match="imports the hidden tests"):
        write_bundle(tmp_path / "course_checks", load(leaky))


def test_a_student_named_like_the_assignment_hides_no_one_in_submitted(tmp_path):
    """nbgrader's ids are free (a hub's self-chosen user name): a student `dense_layers` in submitted/ makes
    submitted/ look like a student's folder; every student keeps their own result under their own id."""
    dense = shipped()
    known = Assignments({dense.name: dense})
    for student in ("ada", "dense_layers", "bob"):
        (tmp_path / "submitted" / student / dense.name).mkdir(parents=True)
        (tmp_path / "submitted" / student / dense.name / dense.notebook).write_text("{}")
    found = discover([tmp_path / "submitted"], known)
    assert [(item.student, item.path.parent.parent.name, item.problem) for item in found] == [
        ("ada", "ada", None), ("bob", "bob", None), ("dense_layers", "dense_layers", None)]
    # the honest layouts keep their meaning: one student's folder given, and a careless extra folder level
    assert [item.student for item in discover([tmp_path / "submitted" / "ada"], known)] == ["ada"]
    nested = tmp_path / "submitted" / "bob" / dense.name
    (nested / dense.notebook).unlink()
    (nested / dense.name).mkdir()
    (nested / dense.name / dense.notebook).write_text("{}")
    found = {item.student: item for item in discover([tmp_path / "submitted"], known)}
    assert set(found) == {"ada", "bob", "dense_layers"}
    assert found["bob"].problem.code == "submission.no_notebook"
