"""Running student code: the machinery of processes and sandboxes, kept apart from the checks."""
