"""Peak memory of hostile imports, measured in a child process (``tests.hostile.measure``) under
an address-space limit, so a regression fails here instead of filling the machine.

The bound asked for is 1 GB of peak RSS for any file under the 600 MB upload limit; files refused
from their zip directory or header stay near the interpreter's own ~120 MB.
"""

from __future__ import annotations

import pytest

from tests.hostile import corpus as C
from tests.hostile.measure import peak_rss_mb

BOUND_MB = 1024


@pytest.fixture
def write(tmp_path):
    def make(item: tuple[str, bytes]):
        path = tmp_path / item[0]
        path.write_bytes(item[1])
        return path
    return make


@pytest.mark.parametrize("build, says", [
    (C.zip_bomb, "zip bomb"),  # 1.5 MB zip of 2 × 150 MB: was +2 GB
    (lambda: C.zip_bomb(380, 1), "zip bomb"),
    (C.many_columns_csv, "more than 1,000 columns"),  # 7 MB: was 12 GB and 161 s
    (C.deeply_nested_json, "nested too deeply"),
    (lambda: C.giant_line_csv(100 * C.MB), "longer than 8 MB"),
], ids=["bomb-2x150MB", "bomb-380MB", "million-columns", "nested-json", "100MB-line"])
def test_hostile_files_stay_within_the_memory_bound(write, build, says):
    path = write(build())
    run = peak_rss_mb([path], limit_mb=3 * BOUND_MB, timeout=120)
    assert run["outcome"].startswith(f"error: {path}") and says in run["outcome"], run
    assert run["peak_mb"] <= BOUND_MB, run
