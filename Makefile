# 审批流程精简分析器 — set-up, run, test. `make run` and `make test` work on a fresh machine.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PORT   ?= 8501
ADDRESS ?= localhost

.PHONY: run test lint bench load sample clean

$(BIN)/python:
	$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "需要 Python 3.11 或更高版本"'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.runtime: requirements.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev: requirements-dev.txt requirements.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	touch $@ $(VENV)/.runtime

run: $(VENV)/.runtime
	@$(BIN)/python -m approvals.store.db
	$(BIN)/python -m streamlit run app.py --server.port $(PORT) --server.address $(ADDRESS) \
		--browser.gatherUsageStats false

TYPED := approvals ui pages app.py
# Test processes (pytest-xdist); the browser tests stay together on one of them.
TEST_WORKERS ?= 2

test: $(VENV)/.dev browser postgres
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy $(TYPED)
	$(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadgroup

# Headless Chromium and a CJK font for the browser tests in tests/e2e, from Debian's packages
# (Playwright's own browser download is not used). Installs only what is missing.
CHROMIUM := /usr/bin/chromium
CJK_FONT := /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc
.PHONY: browser
browser:
	@if [ ! -x $(CHROMIUM) ] || [ ! -e $(CJK_FONT) ]; then \
		command -v apt-get >/dev/null || { echo "未找到 apt-get：请手动安装 Chromium 和 Noto CJK 字体" >&2; exit 1; }; \
		if [ "$$(id -u)" = 0 ]; then sudo=; else sudo=sudo; fi; \
		echo "安装浏览器测试所需的 Chromium 和中文字体……"; \
		$$sudo apt-get update -qq && \
		$$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk; \
	fi

# The PostgreSQL server for the store tests, from Debian's package: the tests start a throw-away
# cluster of their own on 127.0.0.1 (tests/store/postgres.py). Installs only what is missing.
.PHONY: postgres
postgres:
	@if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then \
		command -v apt-get >/dev/null || { echo "未找到 apt-get：请手动安装 PostgreSQL 服务器" >&2; exit 1; }; \
		if [ "$$(id -u)" = 0 ]; then sudo=; else sudo=sudo; fi; \
		echo "安装数据库测试所需的 PostgreSQL……"; \
		$$sudo apt-get update -qq && \
		$$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql; \
	fi

lint: $(VENV)/.dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy $(TYPED)

bench: $(VENV)/.dev
	$(BIN)/python -m bench

# Ten browser sessions on one server at once (minutes; not part of `make test`): prints the
# timings and the server's memory before, during and after, as recorded in bench/RESULTS.md.
load: $(VENV)/.dev browser
	$(BIN)/python -m pytest -m load tests/e2e/test_browser_load.py -s -p no:cacheprovider

sample: $(VENV)/.runtime
	$(BIN)/python data/make_sample.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .mypy_cache .hypothesis test-output
	@echo "清理批次的数据库（var/）未删除"
