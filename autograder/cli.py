"""The command line: `autograder grade`, `autograder assign`, `autograder demo`."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from autograder.messages import DEFAULT_LANGUAGE, LANGUAGES


def _grade(args: argparse.Namespace) -> int:
    from autograder.grade.batch import GradeSettings, grade_batch, summary_table

    missing = [str(p) for p in args.paths if not p.exists()]
    if missing:
        print(f"error: no such file or folder: {', '.join(missing)}", file=sys.stderr)
        return 2
    settings = GradeSettings(workers=args.workers, timeout_s=args.timeout, force=args.force, lang=args.lang)
    results = grade_batch(args.paths, args.out, settings)
    print(summary_table(results, args.lang))
    print(f"results: {args.out}/<student>.json and {args.out}/grades.csv")
    return 0


def _assign(args: argparse.Namespace) -> int:
    from autograder.assign import main as assign_main

    return assign_main([] if not args.check else ["--check"])


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
    grade.add_argument("--force", action="store_true", help="grade again submissions already graded")
    grade.add_argument("--lang", choices=LANGUAGES, default=DEFAULT_LANGUAGE,
                       help="language of the feedback (default: $AUTOGRADER_LANG or en)")
    grade.set_defaults(run=_grade)
    assign = verbs.add_parser("assign", help="release the assignment and the solutions from source/")
    assign.add_argument("--check", action="store_true", help="only say whether the release is in sync")
    assign.set_defaults(run=_assign)
    demo = verbs.add_parser("demo", help="release, then grade the bundled submissions")
    demo.set_defaults(run=_demo)
    return top


def main(argv: list[str] | None = None) -> int:
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    args = parser().parse_args(argv)
    return args.run(args)
