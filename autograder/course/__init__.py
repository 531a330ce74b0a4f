"""`autograder course init DIR`: an nbgrader course folder for the instructor, outside the repository.

Students' work (submitted/, autograded/, feedback/, the gradebook) belongs to the course, not
to the package, so the course lives in a folder of its own: nbgrader's configuration, the master
notebook under source/, the assignment in the gradebook with its due date, and a Jupyter kernel
that runs this Python with this `autograder` package, which every graded cell imports when
`nbgrader autograde` runs it.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import warnings
from dataclasses import dataclass
from pathlib import Path

import autograder
from autograder.assignments import GRADING, REPOSITORY_SOURCE, SHIPPED, AssignmentError, find
from autograder.lateness import as_datetime, utc_text
from autograder.messages import LANGUAGES

PACKAGE_PARENT = Path(autograder.__file__).resolve().parents[1]
KERNEL_NAME = "autograder-grading"
KERNELS = Path("jupyter") / "kernels"
STUDENT_DATA = ("submitted/", "autograded/", "feedback/", "gradebook.db", "grades/", "*.csv")

CONFIG = '''"""nbgrader's settings for the course {course_id!r}, made by `autograder course init`.

Run every nbgrader command in this folder: it is the course's root.
"""

import os
from pathlib import Path

c = get_config()  # noqa: F821 (nbgrader provides get_config)
COURSE = Path(__file__).resolve().parent

c.CourseDirectory.course_id = {course_id!r}
c.CourseDirectory.root = str(COURSE)
c.CourseDirectory.source_directory = "source"  # the master notebooks, with solutions and hidden tests
c.CourseDirectory.release_directory = "release"  # `nbgrader generate_assignment` writes what students get here
c.CourseDirectory.submitted_directory = "submitted"  # submitted/<student>/<assignment>/, with timestamp.txt
c.CourseDirectory.autograded_directory = "autograded"
c.CourseDirectory.feedback_directory = "feedback"
c.CourseDirectory.db_url = "sqlite:///" + str(COURSE / "gradebook.db")
# Each assignment's {grading}/ folder (its exercise list, public cases, hidden tests) is the grader's alone:
# nbgrader never copies it into a release, a student's folder or feedback.
c.CourseDirectory.ignore = [".ipynb_checkpoints", "*.pyc", "__pycache__", "feedback", "{grading}"]
# nbgrader's exchange, if students fetch and submit through it (release_assignment, collect, release_feedback):
# c.Exchange.root = "/srv/nbgrader/exchange"

# The due date is kept in the gradebook, not here. `autograder course init --due` set it; to change it:
#     nbgrader db assignment add {assignment} --duedate="2026-12-01 23:59:00 Asia/Seoul"
# A submission is late when the time in its timestamp.txt is after the due date. nbgrader and
# `autograder grade --course` record how late; `nbgrader export` shows both times (in UTC).
# What a late submission costs: "none" (it is only marked late) or "zero" (it scores 0).
c.LateSubmissionPlugin.penalty_method = "none"

# The grading kernel. Every graded cell calls `autograder`, so `nbgrader autograde` must run the
# notebooks in a kernel that imports it: this course's kernel (jupyter/kernels/{kernel}/) runs
#     {python}
# with the package from {package}.
os.environ["JUPYTER_PATH"] = os.pathsep.join(filter(None, [str(COURSE / "jupyter"), os.environ.get("JUPYTER_PATH")]))
c.Execute.kernel_name = {kernel!r}
'''


class CourseError(ValueError):
    """The course folder cannot be made where or as asked."""


@dataclass(frozen=True)
class Course:
    folder: Path
    course_id: str
    due: str
    assignments: tuple[str, ...] = (SHIPPED,)


def check_outside_repository(folder: Path) -> None:
    """A course holds students' work: refuse a folder inside the package's own checkout."""
    if folder == PACKAGE_PARENT or PACKAGE_PARENT in folder.parents:
        raise CourseError(f"{folder} is inside {PACKAGE_PARENT}: a course holds students' work, which must "
                          f"never be one `git add` away from the repository; choose a folder outside it")


def course_id_for(folder: Path) -> str:
    return re.sub(r"[^A-Za-z0-9_-]", "-", folder.name).strip("-") or "course"


def kernel_spec() -> dict:
    """A kernel running this Python with this package first on its path, so graded cells import this grader."""
    return {"argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
            "display_name": "Python (autograder grading)", "language": "python",
            "env": {"PYTHONPATH": str(PACKAGE_PARENT), "TF_CPP_MIN_LOG_LEVEL": "3"},
            "metadata": {"debugger": False}}


def check_kernel(spec: dict) -> None:
    """The kernel's Python must import ipykernel and this very package, from a folder that is not this checkout
    (as graded notebooks run in the course's folders)."""
    probe = "import ipykernel, autograder; print(autograder.__file__)"
    done = subprocess.run([spec["argv"][0], "-c", probe], capture_output=True, text=True, timeout=120,
                          env={**os.environ, **spec["env"]}, cwd=tempfile.gettempdir())
    found = Path(done.stdout.strip() or ".").resolve()
    if done.returncode != 0 or found != Path(autograder.__file__).resolve():
        raise CourseError(f"the grading kernel's Python ({spec['argv'][0]}) does not import this autograder "
                          f"package: {(done.stderr.strip().splitlines() or [done.stdout.strip()])[-1]}")


def write_gradebook_assignment(folder: Path, assignment: str, due: str) -> None:
    """The assignment in the course's gradebook, with its due date (nbgrader's `db assignment add`)."""
    from nbgrader.api import Gradebook
    from sqlalchemy.exc import SAWarning

    from autograder.nbgrader_run import put_alembic_on_path

    put_alembic_on_path()
    with warnings.catch_warnings(), Gradebook(f"sqlite:///{folder / 'gradebook.db'}") as gradebook:
        warnings.simplefilter("ignore", SAWarning)
        gradebook.update_or_create_assignment(assignment, duedate=as_datetime(due) if due else None)


def init_course(folder: Path, due_text: str = "", course_id: str = "", lang: str = "en",
                assignments: tuple[str, ...] = (SHIPPED,)) -> Course:
    """Make the course folder with the repository's assignments named (each with the same due date); raises
    CourseError (before writing anything) when it cannot."""
    import nbformat

    from autograder.assign.languages import release_master

    folder = folder.expanduser().resolve()
    check_outside_repository(folder)
    if folder.exists() and any(folder.iterdir()):
        raise CourseError(f"{folder} is not empty: give a new folder for the course")
    try:
        chosen = [find(name, [REPOSITORY_SOURCE]) for name in assignments]
    except AssignmentError as error:
        raise CourseError(f"{error}: run this from the package's checkout") from error
    try:
        due = utc_text(due_text) if due_text else ""
    except ValueError as error:
        raise CourseError(f"--due: {error}; write it as nbgrader does, e.g. '2026-12-01 23:59:00 Asia/Seoul' "
                          "or 2026-12-01T23:59:00+09:00") from error
    spec = kernel_spec()
    check_kernel(spec)
    course_id = course_id or course_id_for(folder)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "nbgrader_config.py").write_text(
        CONFIG.format(course_id=course_id, assignment=chosen[0].name, kernel=KERNEL_NAME, python=sys.executable,
                      package=PACKAGE_PARENT, grading=GRADING), encoding="utf-8")
    for assignment in chosen:
        shutil.copytree(assignment.folder, folder / "source" / assignment.name,
                        ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__"))
        master = folder / "source" / assignment.name / assignment.notebook
        nbformat.write(release_master(nbformat.read(master, as_version=4), lang), master)
    kernel = folder / KERNELS / KERNEL_NAME
    kernel.mkdir(parents=True)
    (kernel / "kernel.json").write_text(json.dumps(spec, indent=1) + "\n", encoding="utf-8")
    (folder / ".gitignore").write_text("# students' work and grades stay out of any repository of the course\n"
                                       + "\n".join(STUDENT_DATA) + "\n", encoding="utf-8")
    for assignment in chosen:
        write_gradebook_assignment(folder, assignment.name, due)
    return Course(folder, course_id, due, tuple(assignment.name for assignment in chosen))


def course_config(course: Path):
    """The course's nbgrader_config.py as nbgrader loads it (nbgrader's defaults when there is none)."""
    from traitlets.config import Config
    from traitlets.config.loader import PyFileConfigLoader

    if not (course / "nbgrader_config.py").is_file():
        return Config()
    return PyFileConfigLoader("nbgrader_config.py", path=str(course.resolve())).load_config()


def apply_late_penalties(course: Path, db_url: str, assignment: str, students: list[str]) -> dict[str, float]:
    """nbgrader's own late-penalty step (AssignLatePenalties, set up by the course's nbgrader_config.py), as
    `nbgrader autograde` runs it after the scores are in; returns each student's penalty from the gradebook."""
    import nbformat
    from nbgrader.api import Gradebook
    from nbgrader.preprocessors import AssignLatePenalties

    config = course_config(course)
    for student in students:
        resources = {"nbgrader": {"notebook": assignment, "assignment": assignment, "student": student,
                                  "db_url": db_url}}
        AssignLatePenalties(config=config).preprocess(nbformat.v4.new_notebook(), resources)
    with Gradebook(db_url) as gradebook:
        return {student: float(gradebook.find_submission(assignment, student).late_submission_penalty or 0.0)
                for student in students}


def add_init_arguments(init: argparse.ArgumentParser) -> None:
    init.add_argument("folder", type=Path, metavar="DIR", help="a new or empty folder, outside the repository")
    init.add_argument("--due", default="", metavar="TIME",
                      help="when the assignment is due, with its time zone: '2026-12-01 23:59:00 Asia/Seoul' or "
                           "2026-12-01T23:59:00+09:00 (a time without a zone is UTC, as in nbgrader)")
    init.add_argument("--course-id", default="", metavar="ID", help="nbgrader's course id (default: the folder's name)")
    init.add_argument("--lang", choices=LANGUAGES, default="en",
                      help="the language of the course's notebook: en or ko (the master holds both)")
    init.add_argument("--assignment", action="append", dest="assignments", metavar="NAME",
                      help=f"an assignment of the repository's source/ to put in the course (repeatable; default "
                           f"{SHIPPED}); add one later by copying its folder into the course's source/")
    init.set_defaults(run=run_init)


def run_init(args: argparse.Namespace) -> int:
    try:
        course = init_course(args.folder, args.due, args.course_id, args.lang,
                             tuple(args.assignments or (SHIPPED,)))
    except CourseError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    print(f"course {course.course_id!r} in {course.folder}")
    for name in course.assignments:
        print(f"  assignment {name}: due {course.due + ' UTC' if course.due else '(no due date)'}")
        print(f"  master notebook: {course.folder / 'source' / name}/")
    print(f"  grading kernel: {KERNEL_NAME} ({sys.executable}, autograder from {PACKAGE_PARENT})")
    print(f"next: cd {course.folder} && nbgrader generate_assignment {course.assignments[0]}")
    return 0
