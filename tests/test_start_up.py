"""What a batch pays before its first result: the command imports only what grading needs, and Keras'
import of matplotlib's pyplot waits for its first use, in the grader and in a student process alike."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import numpy as np

from autograder.run.inside.environment import TENSORFLOW_ENVIRONMENT
from tests.test_reports import CLASS

# Seconds each to import on this machine, and none of them needed to grade (nbgrader, nbformat and
# nbconvert only for a gradebook or a course; matplotlib only for a student's plots).
NOT_FOR_GRADING = ("nbgrader", "nbformat", "nbconvert", "jsonschema", "sqlalchemy", "matplotlib", "tensorflow")


def modules_after(script: str) -> set[str]:
    """The top-level modules a fresh Python has imported after running `script`."""
    finished = subprocess.run([sys.executable, "-c", script + "\nimport sys\nprint(' '.join(sys.modules))"],
                              capture_output=True, text=True, env={**os.environ, **TENSORFLOW_ENVIRONMENT},
                              check=True)
    return {name.split(".")[0] for name in finished.stdout.split()}


def test_the_grade_command_starts_without_what_grading_does_not_need():
    loaded = modules_after("from autograder import cli\ncli.parser().parse_args(['grade', 'x', '--out', 'y'])\n"
                           "import autograder.grade.batch, autograder.gradebook, autograder.report.classroom")
    assert "autograder" in loaded
    assert loaded.isdisjoint(NOT_FOR_GRADING), sorted(loaded & set(NOT_FOR_GRADING))


def test_the_class_report_is_written_without_matplotlib(tmp_path):
    """The report's charts are SVG written out directly: the end of a batch imports no plotting library."""
    for result in CLASS:
        (tmp_path / f"{result['student']}.json").write_text(json.dumps(result))
    loaded = modules_after("from pathlib import Path\n"
                           "from autograder.report.classroom import assignment_of, load_results, write_reports\n"
                           f"results = load_results(Path({str(tmp_path)!r}))\n"
                           f"write_reports(Path({str(tmp_path)!r}), results, assignment_of(results))")
    assert len(list((tmp_path / "report" / "students").glob("*.html"))) == len(CLASS)
    assert "chart-pass-rates" in (tmp_path / "report" / "index.html").read_text()
    assert "matplotlib" not in loaded


def test_keras_own_import_would_import_pyplot():
    """Why `import_keras` exists: without it, importing Keras imports pyplot (a quarter of the import)."""
    assert "matplotlib" in modules_after("import keras")


def test_keras_is_imported_without_pyplot_which_comes_on_first_use():
    loaded = modules_after("""
import numpy as np
from autograder.run.inside.environment import import_keras
keras = import_keras()
import sys
assert "matplotlib" not in sys.modules, "pyplot imported with Keras"
import matplotlib  # importable again once Keras is loaded
figure = keras.visualization.plot_image_gallery(np.zeros((2, 8, 8, 3)), rows=1, cols=2)
assert "matplotlib.pyplot" in sys.modules
""")
    assert "keras" in loaded


def test_a_thread_asking_for_keras_while_another_imports_it_waits_for_the_whole_module():
    """The grading side imports Keras in a thread of its own while a worker thread may ask for a reference."""
    modules_after("""
import threading, time
from autograder.run.inside.environment import import_keras
first = threading.Thread(target=import_keras)
first.start()
time.sleep(0.3)  # well inside the import, which takes seconds
assert import_keras().layers.Dense
first.join()
""")


def test_a_student_process_plots_with_pyplot_and_with_keras(warm_worker):
    process = warm_worker.spawn(0, "__main__")
    cell = ("import numpy as np, keras\nimport matplotlib.pyplot as plt\n"
            "figure = plt.figure(); plt.plot([0, 1], [1, 0])\n"
            "def drawn():\n    keras.visualization.plot_image_gallery(np.zeros((2, 8, 8, 3)), rows=1, cols=2)\n"
            "    return type(plt).__name__, len(plt.get_fignums())\n")
    assert process.ask({"op": "cell", "index": 0, "source": cell}, 60) == {"ok": True, "id": 1}
    reply = process.ask({"op": "call", "name": "drawn", "args": [], "kwargs": {}}, 60)
    process.stop()
    assert reply["status"] == "ok", reply
    kind, figures = reply["value"]
    assert (kind, np.asarray(figures).item() >= 1) == ("module", True)
