"""Several processes share one library file: short-lived connections, a bounded wait for a busy
file, and one sentence naming the other process when the wait runs out."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from lib.demo.generator import generate_library
from lib.store.db import Store, StoreBusyError

ROOT = Path(__file__).resolve().parent.parent

HOLD = ("import duckdb, sys, time; con = duckdb.connect(sys.argv[1]); "
        "print('locked', flush=True); time.sleep(float(sys.argv[2])); con.close()")


def _hold_file(path: Path, seconds: float) -> subprocess.Popen:
    """Another process that keeps the file open read-write for ``seconds``."""
    proc = subprocess.Popen([sys.executable, "-c", HOLD, str(path), str(seconds)],
                            stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "locked"
    return proc


def test_a_store_holds_no_connection_between_calls(db_path: Path):
    store = Store(db_path)
    assert store.version("demo") >= 1
    # Another process can open the file read-write right after a call returned.
    out = subprocess.run([sys.executable, "-c", "import duckdb, sys; duckdb.connect(sys.argv[1])"
                          ".execute('SELECT 1')", str(db_path)], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr


def test_reads_and_writes_wait_for_a_brief_holder(db_path: Path):
    store = Store(db_path, wait=20)
    holder = _hold_file(db_path, 1.0)
    try:
        started = time.monotonic()
        assert store.version("demo") >= 1  # waited for the holder instead of failing
        version = store.touch("demo")
        assert time.monotonic() - started >= 0.5
    finally:
        holder.wait()
    assert store.version("demo") == version


def test_a_busy_file_is_one_sentence_naming_the_process(db_path: Path):
    holder = _hold_file(db_path, 30)
    try:
        with pytest.raises(StoreBusyError) as caught:
            Store(db_path, wait=0.3)
        message = str(caught.value)
        assert f"process {holder.pid}" in message and "python" in message
        assert str(db_path) in message and "\n" not in message
        assert "Traceback" not in message and "IO Error" not in message
    finally:
        holder.kill()
        holder.wait()


def test_cli_exits_2_with_one_sentence_when_the_file_stays_busy(db_path: Path):
    holder = _hold_file(db_path, 30)
    try:
        env = {**os.environ, "LABELSCOPE_DB": str(db_path), "LABELSCOPE_DB_WAIT": "0.3"}
        out = subprocess.run([sys.executable, "-m", "lib", "info"], cwd=ROOT, env=env,
                             capture_output=True, text=True, timeout=60)
    finally:
        holder.kill()
        holder.wait()
    assert out.returncode == 2
    assert out.stderr.startswith("error: The library file ") and "Traceback" not in out.stderr
    assert f"process {holder.pid}" in out.stderr and len(out.stderr.strip().splitlines()) == 1


def test_versions_written_by_another_process_are_seen(db_path: Path):
    store = Store(db_path)
    before = store.version("demo")
    assert store.version("demo") == before  # memoised while the file is unchanged
    time.sleep(1.1)  # the memo only trusts a file that has been quiet for a second
    assert store.version("demo") == before
    env = {**os.environ, "LABELSCOPE_DB": str(db_path)}
    code = "from lib.store.db import Store; Store().touch('demo')"
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, check=True, timeout=60)
    assert store.version("demo") == before + 1


def test_threads_read_and_write_one_file(db_path: Path):
    store, other = Store(db_path), Store(db_path)  # two handles, as AppTest and a test may hold
    data = generate_library(200)
    errors: list[BaseException] = []

    def reader() -> None:
        try:
            for _ in range(15):
                other.counts("demo")
                other.libraries()
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    def writer() -> None:
        try:
            for i in range(3):
                store.replace_library("small", data, name=f"Small {i}", kind="local")
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)

    threads = [threading.Thread(target=reader) for _ in range(3)] + [threading.Thread(target=writer)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert store.library("small").name == "Small 2" and store.counts("small")["tracks"] == 200


def test_a_page_shows_the_sentence_while_the_file_stays_busy(db_path: Path, app, monkeypatch):
    monkeypatch.setenv("LABELSCOPE_DB_WAIT", "0.3")
    at = app("app_pages/home.py")  # first run opens the store and loads the library
    assert not at.exception
    time.sleep(1.1)  # the file has been quiet for a second: its stat signature is trusted
    at.run()
    holder = _hold_file(db_path, 30)
    try:
        at.run()  # cached pages keep rendering: versions come from the unchanged file's stat
        assert not at.exception and not at.error
        at.switch_page("app_pages/data.py")  # counts the libraries' rows: needs the file
        at.run()
    finally:
        holder.kill()
        holder.wait()
    assert not at.exception
    errors = [e.value for e in at.error]
    assert any(f"process {holder.pid}" in e and "in use by" in e for e in errors), errors
