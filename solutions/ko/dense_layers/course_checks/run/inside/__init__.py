"""Code that runs inside the student's process.

Everything in this folder is visible to student code in the sandbox, so it holds nothing
secret: no checks, no expected values, no solutions. It must import nothing else of the
`autograder` package.
"""
