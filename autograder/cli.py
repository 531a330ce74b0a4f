"""The command line: `autograder grade`, `report`, `gradescope build` and `lock`, `assign`, `course init`, `demo`."""

from __future__ import annotations

import argparse
import gc
import os
import sys
from pathlib import Path

from autograder.assignments import SHIPPED
from autograder.grade.session import DEFAULT_BUDGET_S
from autograder.messages import DEFAULT_LANGUAGE, LANGUAGES, render
from autograder.run.inside.environment import quiet_tensorflow


def _grade(args: argparse.Namespace) -> int:
    """0 when every submission was graded; 1 when the grader failed on some (listed; a rerun grades
    only them) or the gradebook was refused; 2 when it refuses to grade unsandboxed; 3 when the results
    folder cannot be written.

    Each submission is graded as its assignment (see `autograder.grade.submission.discover`). A batch of
    several assignments writes each one's results, CSVs and reports into OUT/<assignment>/, and those whose
    assignment cannot be told into OUT itself."""
    from dataclasses import replace

    from autograder.assignments import AssignmentError, available
    from autograder.grade.batch import GradeSettings
    from autograder.grade.submission import Assignments, discover

    missing = [str(p) for p in [*args.paths, *([args.course] if args.course else [])] if not p.exists()]
    if missing:
        print(render("command.no_such_path", {"paths": ", ".join(missing)}, args.lang), file=sys.stderr)
        return 2
    try:
        assignments = Assignments(available(_source_roots(args)), args.assignment or "")
    except (AssignmentError, ValueError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    found = discover(args.paths, assignments)
    known = sorted({item.assignment.name for item in found if item.assignment})
    if len(known) <= 1:
        batches = [(None, known[0] if known else "", args.out)]
    else:
        batches = [(name, name, args.out / name) for name in known]
        batches += [("", "", args.out)] if any(item.assignment is None for item in found) else []
    status = 0
    for only, name, out in batches:
        try:
            due = _due_date(args, name)
        except ValueError as error:
            print(f"error: {error}", file=sys.stderr)
            return 2
        settings = GradeSettings(workers=args.workers, timeout_s=args.timeout, budget_s=args.budget, force=args.force,
                                 lang=args.lang, due=due, unsandboxed=args.unsandboxed)
        settings = replace(settings, assignments=assignments, only=only)
        if len(batches) > 1:
            print(render("command.assignment_batch", {"assignment": name or "?", "out": out}, args.lang))
        batch_status = _grade_batch(args, settings, out, assignments.known.get(name))
        if batch_status >= 2:
            return batch_status
        status = max(status, batch_status)
    return status


def _source_roots(args: argparse.Namespace) -> list[Path]:
    """Where assignments are looked for: the course's source/, --source, then the repository's."""
    from autograder.assignments import source_roots

    return source_roots(*([args.course / "source"] if getattr(args, "course", None) else []),
                        *([args.source] if getattr(args, "source", None) else []))


def _grade_batch(args: argparse.Namespace, settings, out: Path, assignment) -> int:
    """One batch (one assignment's submissions, or those of none) into `out`, then its gradebook and reports."""
    from autograder.grade.batch import GraderFault, grade_batch, grader_errors, summary_table
    from autograder.report.classroom import common_mistakes_text
    from autograder.run.sandbox import UnsafeToGrade

    if args.cluster:
        try:
            from autograder.grade.cluster import ClusterError, grade_on_cluster
        except ImportError:
            print(render("command.cluster_needs_dask", {}, args.lang), file=sys.stderr)
            return 2
        try:
            results = grade_on_cluster(args.paths, out, settings, args.cluster, args.insecure)
        except ClusterError as error:
            print(render(error.code, error.params, args.lang), file=sys.stderr)
            return 3
    else:
        try:
            results = grade_batch(args.paths, out, settings)
        except UnsafeToGrade as refusal:
            print(f"error: {refusal}", file=sys.stderr)
            return 2
        except GraderFault as fault:
            print(render(fault.code, fault.params, args.lang), file=sys.stderr)
            return 3
    print(summary_table(results, args.lang))
    print(common_mistakes_text(results, args.lang))
    print(render("command.results", {"out": out}, args.lang))
    try:
        status = _after_grading(args, results, out, assignment, settings.assignments)
    except OSError as error:
        print(render("command.write_failed", {"error": error}, args.lang), file=sys.stderr)
        return 3
    failed = grader_errors(results)
    if failed:
        print(render("command.grader_errors", {"count": len(failed)}, args.lang), file=sys.stderr)
        for result in failed:
            print(f"  {result['student']}: {result['grader_error'].splitlines()[0]}", file=sys.stderr)
        return 1
    return status


def _gradebook_url(args: argparse.Namespace) -> str | None:
    return args.gradebook or (f"sqlite:///{args.course.resolve() / 'gradebook.db'}" if args.course else None)


def _due_date(args: argparse.Namespace, assignment: str) -> str:
    """--due, or else the due date the course's gradebook holds for the assignment (set by `autograder course init
    --due` or `nbgrader db assignment add`); "" when there is none."""
    from autograder.lateness import utc_text

    gradebook = _gradebook_url(args)
    if args.due and gradebook:
        raise ValueError("--due is for grading without a gradebook: the course's due date is in its gradebook "
                         f"(set it with `nbgrader db assignment add {assignment or 'ASSIGNMENT'} --duedate=...`)")
    if args.due:
        return utc_text(args.due)
    if gradebook and assignment:
        from autograder.gradebook import due_date

        return due_date(gradebook, assignment)
    return ""


def _after_grading(args: argparse.Namespace, results: list[dict], out: Path, assignment, assignments) -> int:
    """The gradebook (with the course's late penalties) if asked for, the export-layout CSV, the autograded
    notebooks and the reports; 1 if the gradebook was refused. Results of no assignment get only the reports."""
    from autograder.writing import write_atomically
    from autograder.grade.submission import discover
    from autograder.gradebook import (GradebookMismatch, nbgrader_export_csv, write_autograded_notebooks,
                                      write_gradebook)

    status = 0
    penalties: dict[str, float] = {}
    gradebook = _gradebook_url(args)
    if gradebook and assignment is not None:
        try:
            write_gradebook(gradebook, assignment, results)
        except GradebookMismatch as error:
            print(render("command.gradebook_refused", {"error": error}, args.lang), file=sys.stderr)
            status = 1
        else:
            print(render("command.gradebook_written", {"url": gradebook}, args.lang))
            if args.course:
                from autograder.course import apply_late_penalties

                penalties = apply_late_penalties(args.course, gradebook, assignment.name,
                                                 [r["student"] for r in results])
    if assignment is not None:
        write_atomically(out / "grades_nbgrader.csv", nbgrader_export_csv(assignment, results, penalties))
        print(render("command.export_csv", {"path": out / "grades_nbgrader.csv"}, args.lang))
    if args.course and status == 0 and assignment is not None:
        paths = {found.student: found.path for found in discover(args.paths, assignments)
                 if found.assignment is not None and found.assignment.name == assignment.name}
        written = write_autograded_notebooks(args.course, assignment, results, paths)
        print(render("command.autograded", {"count": len(written), "path": args.course / "autograded"}, args.lang))
    if not args.no_report:
        from autograder.report.classroom import write_reports

        print(render("command.class_report", {"path": write_reports(out, results, assignment)}, args.lang))
    return status


def _report(args: argparse.Namespace) -> int:
    from autograder.assignments import AssignmentError
    from autograder.report.classroom import assignment_of, load_results, report_language, write_reports

    results = load_results(args.dir)
    if not results:
        print(render("command.no_results", {"dir": args.dir}, DEFAULT_LANGUAGE), file=sys.stderr)
        return 2
    try:
        assignment = assignment_of(results, _source_roots(args))
    except AssignmentError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    print(render("command.class_report", {"path": write_reports(args.dir, results, assignment)},
                 report_language(results)))
    return 0


def _gradescope_build(args: argparse.Namespace) -> int:
    from autograder.gradescope.build import StaleLock, build_zip
    from autograder.gradescope.results import GradescopeConfig

    visibility = dict(item.split("=", 1) for item in args.visibility)
    try:
        config = GradescopeConfig(args.default_visibility, visibility, args.timeout, args.lang, args.assignment)
    except ValueError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    try:
        names = build_zip(args.out, config)
    except StaleLock as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    print(render("command.gradescope_zip", {"out": args.out, "count": len(names)}, args.lang))
    return 0


def _gradescope_lock(args: argparse.Namespace) -> int:
    from autograder.gradescope.lock import write_lock

    print(f"{write_lock()}: the versions installed here, which Gradescope's setup.sh will install")
    return 0


def _exercise_visibility(text: str) -> str:
    if "=" not in text:
        raise argparse.ArgumentTypeError("expected EXERCISE=VISIBILITY")
    return text


def _assign(args: argparse.Namespace) -> int:
    from autograder.assign import main as assign_main

    return assign_main([*args.names, *(["--check"] if args.check else [])])


def _demo(args: argparse.Namespace) -> int:
    from autograder.demo import main as demo_main

    return demo_main()


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="autograder", description=__doc__)
    verbs = top.add_subparsers(dest="verb", required=True)
    grade = verbs.add_parser("grade", help="grade submissions (.ipynb or .py files, or folders of them)")
    grade.add_argument("paths", nargs="+", type=Path, metavar="PATH")
    grade.add_argument("--out", type=Path, required=True, metavar="DIR", help="where results are written")
    grade.add_argument("--workers", type=int, default=os.cpu_count() or 1, metavar="N")
    grade.add_argument("--timeout", type=float, default=30.0, metavar="S",
                       help="seconds each cell and each test may run (default 30)")
    grade.add_argument("--budget", type=float, default=DEFAULT_BUDGET_S, metavar="S",
                       help=f"seconds one submission may run in all, restarts included (default {DEFAULT_BUDGET_S:g}); "
                            "past it, its remaining tests are timeout")
    grade.add_argument("--force", action="store_true", help="grade again submissions already graded")
    grade.add_argument("--unsandboxed", action="store_true",
                       help="where bubblewrap cannot make a sandbox, grade anyway: you accept that untrusted student "
                            "code runs without one (it is never run as root)")
    grade.add_argument("--lang", choices=LANGUAGES, default=DEFAULT_LANGUAGE,
                       help="language of the feedback (default: $AUTOGRADER_LANG or en)")
    grade.add_argument("--gradebook", metavar="URL",
                       help="also write the scores into nbgrader's gradebook (e.g. sqlite:///gradebook.db)")
    grade.add_argument("--course", type=Path, metavar="DIR",
                       help="an nbgrader course folder: write its gradebook (unless --gradebook names another) and "
                            "autograded/<student>/ notebooks holding the feedback, for formgrader and generate_feedback")
    grade.add_argument("--due", metavar="TIME",
                       help="when the assignment was due, e.g. '2026-12-01 23:59:00 Asia/Seoul', for grading without "
                            "a course (with --course or --gradebook the gradebook's due date is used); submissions "
                            "whose timestamp.txt is later are marked late")
    grade.add_argument("--assignment", metavar="NAME",
                       help="the assignment of submissions that are neither in nbgrader's layout "
                            "(<student>/<assignment>/) nor named after an assignment (default: the only one there is)")
    grade.add_argument("--source", type=Path, metavar="DIR",
                       help="a folder of assignments (source/<assignment>/grading/) to look in first; a course's "
                            "source/ is looked in with --course")
    grade.add_argument("--no-report", action="store_true", help="do not write the HTML and Markdown reports")
    grade.add_argument("--cluster", metavar="ADDRESS",
                       help="grade on a Dask cluster: tls://HOST:PORT, tcp://HOST:PORT, or local:N to start N "
                            "workers here (needs `pip install .[cluster]`)")
    grade.add_argument("--insecure", action="store_true",
                       help="allow a tcp:// cluster address off this machine (unauthenticated: prefer tls://)")
    grade.set_defaults(run=_grade)
    report = verbs.add_parser("report", help="write the class report and feedback pages from graded results")
    report.add_argument("dir", type=Path, metavar="DIR", help="the --out folder of `autograder grade`")
    report.add_argument("--source", type=Path, metavar="DIR", help="a folder of assignments to look in first")
    report.set_defaults(run=_report)
    gradescope = verbs.add_parser("gradescope", help="Gradescope's autograder zip")
    gradescope_verbs = gradescope.add_subparsers(dest="gradescope_verb", required=True)
    build = gradescope_verbs.add_parser("build", help="build the zip to upload to Gradescope")
    build.add_argument("--out", type=Path, default=Path("autograder.zip"), metavar="ZIP")
    build.add_argument("--visibility", action="append", default=[], type=_exercise_visibility,
                       metavar="EXERCISE=VISIBILITY",
                       help="visible, after_due_date, after_published or hidden, per exercise (repeatable)")
    build.add_argument("--default-visibility", default="visible", metavar="VISIBILITY",
                       help="for exercises not named by --visibility (default visible)")
    build.add_argument("--timeout", type=float, default=30.0, metavar="S")
    build.add_argument("--lang", choices=LANGUAGES, default=DEFAULT_LANGUAGE)
    build.add_argument("--assignment", default=SHIPPED, metavar="NAME",
                       help=f"the assignment of the repository's source/ the zip grades (default {SHIPPED})")
    build.set_defaults(run=_gradescope_build)
    lock = gradescope_verbs.add_parser("lock", help="pin the installed versions (the tested ones) for the zip")
    lock.set_defaults(run=_gradescope_lock)
    assign = verbs.add_parser("assign", help="release the assignments and their solutions from source/")
    assign.add_argument("names", nargs="*", metavar="ASSIGNMENT", help="the assignments to release (default: all)")
    assign.add_argument("--check", action="store_true", help="only say whether the release is in sync")
    assign.set_defaults(run=_assign)
    course = verbs.add_parser("course", help="an nbgrader course folder for the instructor")
    course_verbs = course.add_subparsers(dest="course_verb", required=True)
    from autograder.course import add_init_arguments

    add_init_arguments(course_verbs.add_parser("init", help="make an nbgrader course folder, outside the repository"))
    demo = verbs.add_parser("demo", help="release, then grade the bundled submissions")
    demo.set_defaults(run=_demo)
    return top


def run() -> None:
    """The `autograder` command: `main`, then the process ends, its objects frozen first so that Python's last
    collections skip them (over TensorFlow's, they took most of a second after the work was done)."""
    status = main()
    gc.freeze()
    sys.exit(status)


def main(argv: list[str] | None = None) -> int:
    quiet_tensorflow()
    args = parser().parse_args(argv)
    return args.run(args)
