# Two entry points: `make demo` and `make test`. Both build their own virtual environment.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# The versions the course is tested with: the test environment and Gradescope's image install the same.
LOCK := autograder/gradescope/requirements.lock
export TF_CPP_MIN_LOG_LEVEL := 3

.PHONY: venv demo test bench release clean

venv: $(STAMP)

$(STAMP): pyproject.toml $(LOCK)
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -c $(LOCK) -e '.[cluster]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/python -m autograder demo

test: $(STAMP)
	$(BIN)/python -m pytest -q

bench: $(STAMP)
	$(BIN)/python -m autograder.bench

release: $(STAMP)
	$(BIN)/python -m autograder assign

clean:
	rm -rf $(VENV) out .work
