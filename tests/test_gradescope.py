"""Gradescope: the zip's layout, results.json valid against the specification's schema for the
solution, the stub and a crashing submission, and a valid results.json whenever grading fails."""

from __future__ import annotations

import importlib.metadata
import json
import os
import stat
import subprocess
import sys
import zipfile
from pathlib import Path

import jsonschema
import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from autograder.cli import main as cli
from grading import AUTOMATIC, AUTOMATIC_POINTS, DENSE
from autograder.grade.hidden import collect
from autograder.gradescope.lock import LOCK_FILE, lock_text, mismatches, pins
from autograder.gradescope.results import CONFIG_FILE, GradescopeConfig
from autograder.gradescope.run import main as run_main
from tests.grading import SOLUTION

SCHEMA = json.loads((Path(__file__).parent / "schemas" / "gradescope_results.schema.json").read_text())
VISIBILITY = {"TestModel": "after_due_date", "HybridModel": "hidden"}


def stub_source() -> str:
    """What a student who wrote nothing hands in: every name defined, every body unwritten."""
    lines = ["import tensorflow as tf", ""]
    for exercise in AUTOMATIC:
        if exercise.kind == "model_class":
            arguments = exercise.signature.split("(", 1)[1].rstrip(")")
            lines += [f"class {exercise.name}(tf.keras.Model):", f"    def __init__(self, {arguments}):",
                      "        super().__init__()", "        raise NotImplementedError()", ""]
        else:
            lines += [f"def {exercise.signature}:", "    raise NotImplementedError()", ""]
    return "\n".join(lines)


SUBMISSIONS = {
    "solution": ("dense_layers.py", SOLUTION),
    "stub": ("dense_layers.py", stub_source()),
    "crash": ("dense_layers.py", "import os\nos._exit(3)\n" + SOLUTION),
}


def validate(results: dict) -> None:
    jsonschema.validate(results, SCHEMA, cls=jsonschema.Draft202012Validator)


@pytest.fixture(scope="module")
def autograder_zip(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("zip") / "autograder.zip"
    arguments = ["gradescope", "build", "--out", str(out), "--timeout", "5"]
    for exercise, visibility in VISIBILITY.items():
        arguments += ["--visibility", f"{exercise}={visibility}"]
    assert cli(arguments) == 0
    return out


def gradescope_root(parent: Path, autograder_zip: Path, files: dict[str, str]) -> Path:
    """A folder laid out as Gradescope lays out /autograder: source (the zip), submission, results."""
    root = parent / "autograder"
    (root / "submission").mkdir(parents=True)
    (root / "results").mkdir()
    with zipfile.ZipFile(autograder_zip) as archive:
        archive.extractall(root / "source")
        for name in ("setup.sh", "run_autograder"):
            (root / "source" / name).chmod(0o755)  # zipfile does not restore permissions; Gradescope does
    (root / "run_autograder").write_bytes((root / "source" / "run_autograder").read_bytes())
    (root / "run_autograder").chmod(0o755)
    for name, text in files.items():
        (root / "submission" / name).write_text(text)
    return root


def environment(root: Path, python: str = sys.executable) -> dict[str, str]:
    return {**os.environ, "GRADESCOPE_ROOT": str(root), "GRADESCOPE_PYTHON": python}


@pytest.fixture(scope="module")
def graded(tmp_path_factory, autograder_zip) -> dict[str, dict]:
    """Each submission run through setup.sh's checks and run_autograder, in parallel."""
    roots = {kind: gradescope_root(tmp_path_factory.mktemp(kind), autograder_zip, {name: text})
             for kind, (name, text) in SUBMISSIONS.items()}
    for root in roots.values():
        setup = subprocess.run(["bash", str(root / "source" / "setup.sh")], env=environment(root),
                               capture_output=True, text=True, timeout=300)
        assert setup.returncode == 0, setup.stderr
    runs = {kind: subprocess.Popen([str(root / "run_autograder")], env=environment(root), cwd=root,
                                   stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
            for kind, root in roots.items()}
    logs = {kind: run.communicate(timeout=600)[0] for kind, run in runs.items()}
    assert all(run.returncode == 0 for run in runs.values()), logs
    results = {kind: json.loads((root / "results" / "results.json").read_text()) for kind, root in roots.items()}
    for kind, log in logs.items():
        assert "sandboxed" in log, f"{kind} was not graded by the zip's runner:\n{log}"
    return results


def test_zip_follows_the_specification_and_leaves_out_solutions_and_tests(autograder_zip):
    with zipfile.ZipFile(autograder_zip) as archive:
        entries = {entry.filename: entry for entry in archive.infolist()}
        config = GradescopeConfig.from_json(archive.read(CONFIG_FILE).decode())
    for script in ("setup.sh", "run_autograder"):
        assert entries[script].external_attr >> 16 & stat.S_IXUSR, f"{script} is not executable"
    assert "requirements.lock" in entries and "autograder/gradescope/run.py" in entries
    assert any(name.startswith("source/dense_layers/grading/hidden_tests/test_") for name in entries)
    assert not [name for name in entries if name.startswith(("solutions/", "tests/"))]
    # Of source/, only the graded assignment's grading folder: not its master notebook (the solutions), nor others'.
    assert not [name for name in entries if name.startswith("source/")
                and not name.startswith("source/dense_layers/grading/")]
    assert not [name for name in entries if "__pycache__" in name]
    assert config.visibility == VISIBILITY and config.timeout_s == 5


def test_zip_holds_only_what_grading_needs(autograder_zip):
    """The graded submissions of this module ran from the zip alone (see gradescope_root), so nothing left out was needed."""
    with zipfile.ZipFile(autograder_zip) as archive:
        names = set(archive.namelist())
    for unneeded in ("README.md", "pyproject.toml", "autograder/demo.py", "autograder/bench.py", "autograder/cli.py",
                     "autograder/gradebook.py", "autograder/report/classroom.py", "autograder/assign/__init__.py",
                     "autograder/course/__init__.py", "autograder/gradescope/build.py", "autograder/gradescope/setup.sh",
                     "autograder/gradescope/requirements.lock"):
        assert unneeded not in names, unneeded
    assert sorted(name for name in names if "/" not in name) == \
        sorted(["setup.sh", "run_autograder", CONFIG_FILE, "requirements.lock", ".course_secret"])


def test_the_zip_carries_the_course_secret_owner_only(autograder_zip):
    """Gradescope draws each submission's inputs from the course's own secret, which only its owner may read."""
    from autograder.grade.secret import course_secret

    with zipfile.ZipFile(autograder_zip) as archive:
        entry = archive.getinfo(".course_secret")
        assert bytes.fromhex(archive.read(entry).decode().strip()) == course_secret()
    assert (entry.external_attr >> 16) & 0o777 == 0o600


def installed(name: str) -> str:
    return importlib.metadata.version(name)


def test_the_lock_pins_the_versions_the_tests_run_with(autograder_zip):
    with zipfile.ZipFile(autograder_zip) as archive:
        shipped = archive.read("requirements.lock").decode()
    assert shipped == LOCK_FILE.read_text() == lock_text(), "run `autograder gradescope lock` and commit it"
    pins = dict(line.split("==") for line in shipped.splitlines() if not line.startswith("#"))
    assert pins["tensorflow-cpu"] == installed("tensorflow-cpu") and pins["numpy"] == installed("numpy")
    assert pins["nbgrader"] == installed("nbgrader") and pins["keras"] == installed("keras")  # a dependency's dependency
    assert f"# python {sys.version_info.major}.{sys.version_info.minor}" in shipped.splitlines()
    assert len(pins) == len(set(pins)) > 50
    assert pins["fqdn"] == installed("fqdn")  # asked for only through an extra, jsonschema[format-nongpl]


def test_the_lock_holds_what_its_distributions_need_with_their_extras():
    """Read apart from the lock's own walk: each pinned distribution's requirements, and those its
    pinned requirers switch on with an extra (`jsonschema[format-nongpl]` needs fqdn), are pinned."""
    pinned = pins(LOCK_FILE.read_text())
    asked = {(name, "") for name in pinned}
    while True:
        more = set()
        for name, extra in asked:
            for requirement in map(Requirement, importlib.metadata.requires(name) or []):
                if requirement.marker is None or requirement.marker.evaluate({"extra": extra}):
                    needed = canonicalize_name(requirement.name)
                    more |= {(needed, "")} | {(needed, canonicalize_name(extra)) for extra in requirement.extras}
        if more <= asked:
            break
        asked |= more
    assert {name for name, _ in asked} - set(pinned) == set()
    assert ("jsonschema", "format-nongpl") in asked


def test_the_images_check_finds_what_the_lock_left_out():
    """The lock made before extras were followed: Gradescope's `pip install --no-deps` left these out."""
    left_out = {"arrow": "isoduration", "fqdn": "jsonschema[format-nongpl]", "isoduration": "jsonschema[format-nongpl]",
                "jsonpointer": "jsonschema[format-nongpl]", "lark": "rfc3987-syntax",
                "rfc3987-syntax": "jsonschema[format-nongpl]", "uri-template": "jsonschema[format-nongpl]",
                "webcolors": "jsonschema[format-nongpl]"}
    old = "".join(line for line in LOCK_FILE.read_text().splitlines(keepends=True)
                  if line.partition("==")[0] not in left_out)
    assert mismatches(old) == [f"{name}: needed by {asker}, not in the lock" for name, asker in left_out.items()]
    assert mismatches(old + "fqdn==1.0\n") == [f"fqdn: {installed('fqdn')}, the lock pins 1.0"] + [
        f"{name}: needed by {asker}, not in the lock" for name, asker in left_out.items() if name != "fqdn"]


def test_the_images_check_finds_another_python_or_version(tmp_path):
    """setup.sh runs this check in Gradescope's image (and in this module's set-up, where it passes)."""
    lock = LOCK_FILE.read_text()
    assert mismatches(lock) == []
    numpy = f"numpy=={installed('numpy')}"
    assert mismatches(lock.replace(numpy, "numpy==1.26.0")) == [f"numpy: {installed('numpy')}, the lock pins 1.26.0"]
    assert mismatches(lock + "no-such-distribution==1.0\n") == ["no-such-distribution: not installed, the lock pins 1.0"]
    other = lock.replace(f"# python {sys.version_info.major}.{sys.version_info.minor}\n", "# python 3.99\n")
    assert [line for line in mismatches(other) if "3.99" in line]
    (tmp_path / "stale.lock").write_text(lock.replace(numpy, "numpy==1.26.0"))
    done = subprocess.run([sys.executable, "-m", "autograder.gradescope.lock", "--check", str(tmp_path / "stale.lock")],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 1 and "numpy" in done.stderr


def test_build_refuses_a_lock_that_is_not_what_the_tests_ran_with(tmp_path, monkeypatch, capsys):
    stale = tmp_path / "requirements.lock"
    stale.write_text(LOCK_FILE.read_text().replace(f"numpy=={installed('numpy')}", "numpy==1.26.0"))
    monkeypatch.setattr("autograder.gradescope.build.LOCK_FILE", stale)
    assert cli(["gradescope", "build", "--out", str(tmp_path / "a.zip")]) == 2
    assert "gradescope lock" in capsys.readouterr().err and not (tmp_path / "a.zip").exists()


def test_build_rejects_unknown_exercises_and_visibilities(tmp_path, capsys):
    assert cli(["gradescope", "build", "--out", str(tmp_path / "a.zip"), "--visibility", "Nope=hidden"]) == 2
    assert cli(["gradescope", "build", "--out", str(tmp_path / "a.zip"), "--visibility", "TestModel=secret"]) == 2
    assert not (tmp_path / "a.zip").exists()


def test_every_results_json_is_valid_and_scores_are_right(graded):
    for results in graded.values():
        validate(results)
        assert [test["max_score"] for test in results["tests"]] == [float(e.points) for e in AUTOMATIC]
        assert all({"name", "score", "max_score", "status", "output", "visibility"} <= test.keys()
                   for test in results["tests"])
    assert graded["solution"]["score"] == AUTOMATIC_POINTS
    assert {test["status"] for test in graded["solution"]["tests"]} == {"passed"}
    for kind in ("stub", "crash"):
        assert graded[kind]["score"] == 0
        assert {test["status"] for test in graded[kind]["tests"]} == {"failed"}
    assert "NotImplementedError" in graded["stub"]["tests"][0]["output"]
    assert "exited with code 3" in graded["crash"]["output"]


def test_visibility_follows_the_build_options(graded):
    by_name = {test["name"]: test["visibility"] for test in graded["solution"]["tests"]}
    for exercise in AUTOMATIC:
        [visibility] = [v for name, v in by_name.items() if name.endswith(f"({exercise.id})")]
        assert visibility == VISIBILITY.get(exercise.id, "visible")


def leaked_test_ids(text: str) -> list[str]:
    """Hidden tests whose name or parameters (their inputs and seeds) appear in the text."""
    leaked = []
    for exercise in AUTOMATIC:
        for test in collect(DENSE, exercise):
            function = test.id.split("::", 1)[-1]
            parameters = function[function.index("["):] if "[" in function else function
            if function in text or parameters in text:
                leaked.append(test.id)
    return leaked


def test_hidden_test_ids_and_their_inputs_never_reach_students(graded):
    some_test = collect(DENSE, AUTOMATIC[1])[0].id
    assert some_test in leaked_test_ids(f"output of {some_test}: failed")
    for results in graded.values():
        assert leaked_test_ids(json.dumps(results)) == []


def test_schema_rejects_what_gradescope_would_not_read(graded):
    good = graded["solution"]
    wrong_answers = [
        {**good, "tests": [{**good["tests"][0], "status": "ok"}]},
        {**good, "tests": [{**good["tests"][0], "visibility": "secret"}]},
        {**good, "tests": [{**good["tests"][0], "maxscore": 5}]},
        {**good, "score": "95"},
        {"output": "no score anywhere", "tests": []},
    ]
    for results in wrong_answers:
        with pytest.raises(jsonschema.ValidationError):
            validate(results)


def test_an_empty_submission_still_gets_a_valid_results_json(tmp_path, autograder_zip):
    root = gradescope_root(tmp_path, autograder_zip, {"notes.txt": "no code"})
    assert run_main(["--root", str(root)]) == 0
    results = json.loads((root / "results" / "results.json").read_text())
    validate(results)
    assert results["score"] == 0 and "no .ipynb or .py file" in results["output"]


def test_a_failing_grader_writes_a_valid_results_json_without_details(tmp_path, autograder_zip):
    root = gradescope_root(tmp_path, autograder_zip, {"dense_layers.py": SOLUTION})
    (root / "source" / CONFIG_FILE).write_text('{"default_visibility": "everyone"}')
    assert run_main(["--root", str(root)]) == 0
    results = json.loads((root / "results" / "results.json").read_text())
    validate(results)
    assert results["score"] == 0 and "ValueError" in results["output"] and "everyone" not in results["output"]


@pytest.mark.parametrize("lang, says", [("en", "could not grade this submission safely"),
                                         ("ko", "안전하게 채점할 수 없었습니다")])
def test_an_image_that_cannot_sandbox_tells_the_student_the_instructor_must_fix_it(tmp_path, autograder_zip,
                                                                                   monkeypatch, capsys, lang, says):
    """No bubblewrap and student code could reach what it must not: grading refuses, and the student reads why
    in words of their course's language, not "the grader itself failed"; the details go to stdout only."""
    from autograder.messages import phrase

    root = gradescope_root(tmp_path, autograder_zip, {"dense_layers.py": SOLUTION})
    config = json.loads((root / "source" / CONFIG_FILE).read_text())
    (root / "source" / CONFIG_FILE).write_text(json.dumps({**config, "lang": lang}))
    monkeypatch.setattr("autograder.grade.batch.sandbox_available", lambda: False)
    monkeypatch.setattr("autograder.grade.batch.unsandboxed_risks", lambda *args: [phrase("sandbox.risk_own_user")])
    assert run_main(["--root", str(root)]) == 2
    results = json.loads((root / "results" / "results.json").read_text())
    validate(results)
    assert says in results["output"] and results["tests"] == [] and results["stdout_visibility"] == "hidden"
    assert "bubblewrap" not in results["output"] and "UnsafeToGrade" not in results["output"]
    stdout = capsys.readouterr().out
    assert "bubblewrap" in stdout and "fix the image" in stdout


def test_run_autograder_writes_results_even_when_python_dies(tmp_path, autograder_zip):
    root = gradescope_root(tmp_path, autograder_zip, {"dense_layers.py": SOLUTION})
    done = subprocess.run([str(root / "run_autograder")], env=environment(root, python="/bin/false"),
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0
    results = json.loads((root / "results" / "results.json").read_text())
    validate(results)
    assert results["score"] == 0 and "exit status 1" in results["output"]
