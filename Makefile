# Two commands do all the set-up: `make demo` and `make test`.
# Both install what is missing (Debian packages, .venv, the project) and are fast when
# everything is already there.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
APT_PACKAGES := libcairo2-dev libpango1.0-dev pkg-config ffmpeg \
	texlive-latex-base texlive-latex-recommended texlive-latex-extra \
	texlive-fonts-recommended cm-super-minimal dvisvgm \
	espeak-ng chromium
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
JOBS ?= 2

.PHONY: setup system venv demo test lint bench clean

setup: system venv

system:
	@missing=$$(for p in $(APT_PACKAGES); do \
		dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "ok installed" || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		echo "Installing Debian packages:" $$missing; \
		$(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $$missing; \
	fi

venv: $(VENV)/.stamp-install

$(VENV)/.stamp-install: pyproject.toml
	@[ -x $(BIN)/python ] || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev]'
	@touch $@

demo: setup
	$(BIN)/nnviz render training-you-can-watch --quality draft --formats mp4,gif,poster

test: setup
	$(BIN)/ruff check nnviz scenes tests benchmarks
	$(BIN)/lint-imports
	$(BIN)/python -m pytest -n $(JOBS) -q
	@echo "Again with manim as shipped (NNVIZ_STOCK_MANIM=1): render and control-frame tests"
	NNVIZ_STOCK_MANIM=1 $(BIN)/python -m pytest -n $(JOBS) -q -m stock

lint: venv
	$(BIN)/ruff check nnviz scenes tests benchmarks
	$(BIN)/lint-imports

bench: setup
	$(BIN)/python benchmarks/run_all.py

clean:
	rm -rf renders/*/ cache/ media/ .pytest_cache
