# The README's two commands: `make demo` (main job on the embedded default models) and `make test`.
# Both create and reuse the virtual environment in .venv/; a second run skips what is already done.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.carvoice-installed
PYTEST_ARGS ?=

.PHONY: demo test setup system-deps models clean

demo: setup models
	$(BIN)/carvoice demo

test: setup models
	$(BIN)/python -m pytest $(PYTEST_ARGS)

setup: system-deps $(INSTALLED)

# PortAudio lets sounddevice reach a microphone and speaker; without it carvoice still works on files and text.
system-deps:
	@if ldconfig -p 2>/dev/null | grep -q 'libportaudio\.so\.2'; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		echo "installing PortAudio (libportaudio2) for microphone and speaker"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libportaudio2 >/dev/null; \
	else \
		echo "note: PortAudio (libportaudio2) is missing; install it for microphone/speaker use." \
		     "Files and text work without it."; \
	fi

# The first install compiles llama.cpp for this CPU (llama-cpp-python has no CPU wheel on PyPI).
$(INSTALLED): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	CMAKE_BUILD_PARALLEL_LEVEL=$$(nproc) $(BIN)/python -m pip install --disable-pip-version-check -q -e '.[test,train,cluster]'
	touch $@

models: $(INSTALLED)
	$(BIN)/carvoice models pull --defaults

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .hypothesis
