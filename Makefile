# Juara: two commands on a fresh machine.
#   make run    install, upgrade the database, load the demo once, serve on :5000
#               (PORT=5101 HOST=0.0.0.0 make run serves elsewhere)
#   make test   install system and test dependencies, lint, run the whole suite
#               (SQLite and, beside it, the database tests on a throwaway PostgreSQL)
# Also: make lint, make migration MSG="what changed", make clean.

SHELL := bash
.SHELLFLAGS := -euo pipefail -c
# Each recipe runs as one shell script, so `export`, `trap` and variables carry over.
.ONESHELL:
.DELETE_ON_ERROR:
# Print what the user needs, not the recipes; a failing command still shows its error and
# make names the target that failed.
.SILENT:

VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app judging
# Overridable from the environment or the command line: PORT=5101 make run.
HOST ?= 127.0.0.1
PORT ?= 5000

.PHONY: run test lint migration clean system-packages translations

# uv installs the locked packages in seconds where pip takes minutes. The system's pip
# fetches it from PyPI and uv makes the venv, without pip (python3 -m venv spends seconds of
# CPU seeding pip; `.venv/bin/uv pip` does what pip did). Without the system's pip,
# python3 -m venv makes the venv and its pip fetches uv. INSTALLER=pip, or a machine where
# uv cannot be installed, installs with pip instead, from the same lock.
INSTALLER ?= uv
UV_VERSION := 0.13.9
UV := $(BIN)/uv

$(BIN)/python:
	if [[ "$(INSTALLER)" == uv ]] && python3 -m pip install --quiet --disable-pip-version-check \
			--upgrade --target $(VENV)/.uv "uv==$(UV_VERSION)" >/dev/null 2>&1 \
		&& UV_PYTHON_DOWNLOADS=never $(VENV)/.uv/bin/uv venv --quiet --allow-existing \
			--python "$$(command -v python3)" $(VENV); then
		ln -sf ../.uv/bin/uv $(UV)
	else
		# A half-made .venv must not look finished.
		rm -rf $(VENV)
		python3 -m venv $(VENV) || {
			# Debian ships venv separately.
			rm -rf $(VENV)
			.ci/system-packages.sh python3-venv
			python3 -m venv $(VENV)
		}
	fi

# Make checks for uv before making the venv, which may just have put it there.
$(UV): | $(BIN)/python
	[[ "$(INSTALLER)" != uv || -x $(UV) ]] || $(BIN)/python -m pip install --quiet \
		--disable-pip-version-check "uv==$(UV_VERSION)" \
		|| echo "uv could not be installed: pip installs instead (a few minutes)."

# The locks pin every package, with hashes. Changing the dependencies in pyproject.toml is
# all a developer does: the next make regenerates the lock (with uv), and only then.
requirements.lock: pyproject.toml | $(UV)
	$(BIN)/python .ci/lock.py update $@

requirements-test.lock: pyproject.toml requirements.lock | $(UV)
	$(BIN)/python .ci/lock.py update $@ --extra test --constraint requirements.lock

# Stamps: reinstall only when a lock changed since the last install.
$(VENV)/.installed: requirements.lock | $(UV)
	echo "Installing Juara into $(VENV)..."
	VENV=$(VENV) INSTALLER=$(INSTALLER) .ci/install.sh requirements.lock
	touch $@

$(VENV)/.installed-test: requirements-test.lock | $(UV)
	echo "Installing Juara and its test tools into $(VENV)..."
	VENV=$(VENV) INSTALLER=$(INSTALLER) .ci/install.sh requirements-test.lock test
	touch $@ $(VENV)/.installed

# Links in invitations and certificates (and the demo's sign-in banner) point here;
# production sets its public address.
JUDGING_BASE_URL ?= http://$(HOST):$(PORT)
run: export JUDGING_BASE_URL := $(JUDGING_BASE_URL)
run: $(VENV)/.installed
	.ci/system-packages.sh runtime
	# One process: the newest migration (as `flask db upgrade`), then the demo if not loaded.
	$(FLASK) demo --once --upgrade
	echo "Mail is not sent: it is kept in $$(pwd)/instance/outbox (JUDGING_MAIL_SERVER sends it)."
	echo "Read it as the site administrator at http://$(HOST):$(PORT)/organizer/outbox"
	echo "Juara is served at http://$(HOST):$(PORT)/ (Ctrl-C stops it)."
	# The job worker lives exactly as long as the web server.
	$(FLASK) jobs worker &
	worker=$$!
	trap 'kill $$worker 2>/dev/null || true; wait $$worker 2>/dev/null || true' EXIT
	trap 'exit 130' INT
	trap 'exit 143' TERM
	$(FLASK) run --host $(HOST) --port $(PORT)

system-packages:
	.ci/system-packages.sh test

test: system-packages $(VENV)/.installed-test
	if [[ -x /usr/bin/chromium ]]; then
		export JUDGING_CHROMIUM="$${JUDGING_CHROMIUM:-/usr/bin/chromium}"
	fi
	$(BIN)/ruff check .
	# The two passes share nothing (own databases, free ports, own temporary folders), so
	# they run side by side, one per core; each log is printed whole once both have ended.
	# Each pass gets its own process group (set -m), so Ctrl-C can stop it cleanly.
	work=$$(mktemp -d "$${TMPDIR:-/tmp}/juara-test.XXXXXX")
	sqlite= postgres=
	stop_passes() {
		for pass in $$sqlite $$postgres; do kill -INT -- "-$$pass" 2>/dev/null || true; done
		wait || true
		rm -rf "$$work"
	}
	trap stop_passes EXIT
	trap 'exit 130' INT
	trap 'exit 143' TERM
	echo "== pytest: embedded SQLite and, beside it, the database tests on PostgreSQL =="
	set -m
	env -u TEST_DATABASE_URL $(BIN)/pytest --basetemp "$$work/sqlite" \
		</dev/null >"$$work/sqlite.log" 2>&1 &
	sqlite=$$!
	# Its own cache folder, so the two never write the same last-failed file.
	.ci/postgres.sh $(BIN)/pytest --basetemp "$$work/postgres" \
		-o cache_dir=.pytest_cache/postgres tests/app \
		</dev/null >"$$work/postgres.log" 2>&1 &
	postgres=$$!
	set +m
	sqlite_status=0 postgres_status=0
	wait $$sqlite || sqlite_status=$$?
	wait $$postgres || postgres_status=$$?
	echo "== pytest: embedded SQLite =="
	cat "$$work/sqlite.log"
	echo "== pytest: database tests on PostgreSQL =="
	cat "$$work/postgres.log"
	failed=""
	[[ $$sqlite_status -eq 0 ]] || failed+=" SQLite (exit $$sqlite_status)"
	[[ $$postgres_status -eq 0 ]] || failed+=" PostgreSQL (exit $$postgres_status)"
	if [[ -n "$$failed" ]]; then
		echo "== make test FAILED in:$$failed ==" >&2
		exit 1
	fi
	echo "== make test: both passes passed =="

lint: $(VENV)/.installed-test
	$(BIN)/ruff check .

# Autogenerates a migration by comparing the models with a fresh database built
# from the existing migrations, so local data never leaks into the diff.
migration: $(VENV)/.installed
	$(if $(MSG),,$(error usage: make migration MSG="what changed"))
	scratch=$$(mktemp -d)
	trap 'rm -rf "$$scratch"' EXIT
	unset DATABASE_URL
	export JUDGING_DATABASE_URL="sqlite:///$$scratch/migration.db"
	$(FLASK) db upgrade
	$(FLASK) db migrate -m "$$MSG"

# Extract every msgid, merge into the English catalogue, compile messages.mo. Translating
# the new (empty) msgstr lines in messages.po is left to a person; run again to compile.
translations: $(VENV)/.installed
	$(BIN)/pybabel extract -F judging/translations/babel.cfg -k _l -k lazy_gettext \
		-o judging/translations/messages.pot --no-location --omit-header .
	$(BIN)/pybabel update -i judging/translations/messages.pot -d judging/translations \
		-l en --no-fuzzy-matching --ignore-obsolete -w 100
	$(BIN)/pybabel compile -d judging/translations -l en --statistics

# Build and tool leftovers only: keeps .venv and instance/ (the database, uploads).
clean:
	rm -rf build dist *.egg-info .pytest_cache .ruff_cache
	find . -path ./$(VENV) -prune -o -name __pycache__ -type d -exec rm -rf {} +
