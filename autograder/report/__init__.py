"""Reports from result JSON: a feedback page per student (HTML and Markdown) and a class report."""
