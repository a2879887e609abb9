# The two commands of README.md: `make run` and `make test`. Nothing else is needed on a fresh machine
# with Python 3.11 and make.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
# The demo VNeID identity provider of `make run` (core/citizens/demo_idp.py); not started in production or when
# VNEID_ISSUER names a real provider.
VNEID_DEMO_PORT ?= 9400
export FLASK_APP := wsgi:app
export PYTHONPATH := $(CURDIR)

.PHONY: run test install install-test lint migrate seed translations

$(VENV)/.installed: requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-test: requirements-test.txt $(VENV)/.installed
	$(PY) -m pip install --quiet -r requirements-test.txt
	touch $@

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

migrate: install
	$(VENV)/bin/flask db upgrade heads

seed: migrate
	$(VENV)/bin/flask demo seed --if-empty

# Electronic results are signed with demo certificates (instance/signing, "DEMO – không có giá trị pháp lý"), made
# once per unit; the seeded history stays unsigned (SIGNING_BACKEND is set for the server only).
run: seed
	$(VENV)/bin/flask signing demo-certificates
	@echo ""
	@echo "Một Cửa is at http://127.0.0.1:$(PORT)/  — demo logins (password: motcua-demo):"
	@echo "  tien-du.admin (district admin), lim.tiepnhan (reception), lim.chuyenvien (specialist), lim.lanhdao (leader)"
	@echo "  and S.tiepnhan / S.chuyenvien / S.lanhdao for every commune slug S; vpdkdd-tien-du.chuyenvien, .lanhdao"
	@echo ""
	@if [ "$$MOTCUA_ENV" != "production" ] && [ -z "$$VNEID_ISSUER" ]; then \
		$(PY) -W ignore::DeprecationWarning -m core.citizens.demo_idp --port $(VNEID_DEMO_PORT) & idp=$$!; \
		trap 'kill $$idp 2>/dev/null' EXIT INT TERM; \
		export VNEID_ISSUER=http://127.0.0.1:$(VNEID_DEMO_PORT) VNEID_CLIENT_ID=motcua-demo \
			VNEID_CLIENT_SECRET=demo-secret VNEID_DEMO=1; \
		echo "Citizens: \"Hồ sơ của tôi\" signs in at the DEMO identity provider (invented citizens only)"; \
	fi; \
	SIGNING_BACKEND=$${SIGNING_BACKEND:-pkcs12} $(VENV)/bin/gunicorn -c gunicorn.conf.py --bind 127.0.0.1:$(PORT) --workers 2 --access-logfile - wsgi:app

# The layering contracts (.importlinter), then the whole suite on SQLite, then again on PostgreSQL when
# TEST_DATABASE_URL is set. pytest's exit 5 (no tests collected) is a failure like any other non-zero exit.
test: install-test
	$(VENV)/bin/lint-imports
	env -u TEST_DATABASE_URL $(PY) -m pytest -n 2 -q -p no:cacheprovider
	@if [ -n "$$TEST_DATABASE_URL" ]; then \
		echo "== PostgreSQL: $$TEST_DATABASE_URL"; \
		$(PY) -m pytest -n 2 -q -p no:cacheprovider || exit $$?; \
	else echo "TEST_DATABASE_URL not set: PostgreSQL run skipped"; fi

lint: install-test
	$(VENV)/bin/ruff check .

# Refresh the English catalogue after changing user-facing strings: extract, merge, compile.
translations: install
	$(VENV)/bin/pybabel extract -F babel.cfg -k _l -k lazy_gettext -k gettext_noop --project "Một Cửa" -o translations/messages.pot .
	$(VENV)/bin/pybabel update -i translations/messages.pot -d translations
	$(VENV)/bin/pybabel compile -d translations --statistics
