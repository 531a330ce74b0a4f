"""nbgrader's view of this repository: the master notebooks in source/, the student release in assignments/.

It is for making the release (`make release`). Students' work is graded in a course folder of its own,
outside the repository, made by `autograder course init DIR`.
"""

c = get_config()  # noqa: F821 (nbgrader provides get_config)

c.CourseDirectory.source_directory = "source"
c.CourseDirectory.release_directory = "assignments"
c.CourseDirectory.db_url = "sqlite:///gradebook.db"
