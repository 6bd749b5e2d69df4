# Two entry points for a fresh machine with Python 3.11+ and git:
#   make run   set up .venv and open minutes on the bundled archive
#   make test  set up .venv with the test tools and run every check
PYTHON ?= python3
VENV := .venv
# The venv's own interpreter: a version-manager shim in front of python costs ~130 ms a start.
PY := $(VENV)/bin/python

.PHONY: run test bench clean system-tools

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(VENV)/.installed-app: pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e '.[test]'
	touch $@ $(VENV)/.installed-app

run: $(VENV)/.installed-app
	$(VENV)/bin/minutes

test: $(VENV)/.installed-test system-tools
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy
	$(VENV)/bin/lint-imports --no-cache
	$(PY) -m pytest

# The tests sign protocols with real SSH keys: ssh-keygen comes with Debian's openssh-client,
# installed here when missing and this user may (root); otherwise those tests fail and say why.
system-tools:
	@command -v ssh-keygen >/dev/null || { \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
			apt-get update -qq && apt-get install -y -qq openssh-client; \
		else echo "ssh-keygen is missing: install openssh-client to run the signing tests"; fi; }

bench: $(VENV)/.installed-test
	$(PY) bench/run.py

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis
