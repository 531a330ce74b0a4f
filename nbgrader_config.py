"""nbgrader's view of this repository: the master notebooks in source/, the student release in assignments/.

It is for making the release (`make release`). Students' work is graded in a course folder of its own,
outside the repository, made by `autograder course init DIR`.
"""

c = get_config()  # noqa: F821 (nbgrader provides get_config)

c.CourseDirectory.source_directory = "source"
c.CourseDirectory.release_directory = "assignments"
c.CourseDirectory.db_url = "sqlite:///gradebook.db"
# An assignment's grading/ folder (its exercise list, public cases and hidden tests) stays with the grader: nbgrader
# never copies it into a release, a student's folder or feedback (with nbgrader's own defaults).
c.CourseDirectory.ignore = [".ipynb_checkpoints", "*.pyc", "__pycache__", "feedback", "grading"]
