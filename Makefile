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

# Programs the tests run for real, from Debian's packages: ssh-keygen signs protocols; sshd
# serves a shared repository on loopback; Chromium and its driver check the web archive;
# poppler reads the PDFs back; calcurse and khal import the calendar. Installed when missing and this user may (root); otherwise those tests skip or
# fail and say why.
SYSTEM_TOOLS := ssh-keygen:openssh-client sshd:openssh-server chromium:chromium \
	chromedriver:chromium-driver pdftotext:poppler-utils calcurse:calcurse khal:khal
system-tools:
	@missing=""; PATH="$$PATH:/usr/sbin:/sbin"; for pair in $(SYSTEM_TOOLS); do \
		command -v $${pair%%:*} >/dev/null || missing="$$missing $${pair#*:}"; done; \
	if [ -n "$$missing" ]; then \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
		else echo "not installed (needs root and apt):$$missing; the tests using them skip or fail"; fi; \
	fi

bench: $(VENV)/.installed-test
	$(PY) bench/run.py

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis
