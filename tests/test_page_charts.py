"""Every chart a page draws is valid Vega-Lite. Pages skip Altair's schema validation (ui.charts:
it cost a third of the Home page's run); these tests run the pages with it switched back on, so a
chart that would not validate fails here instead of drawing wrong in a browser."""

from __future__ import annotations

import altair as alt
import pytest

import ui.charts

# "{label}" and the like: the demo's first label (artist, genre, playlist).
VIEWS = [
    ("app_pages/home.py", {}),
    ("app_pages/labels.py", {}),
    ("app_pages/labels.py", {"label": "{label}"}),
    ("app_pages/artists.py", {"artist": "{artist}"}),
    ("app_pages/genres.py", {"genre": "{genre}"}),
    ("app_pages/playlists.py", {"playlist": "{playlist}"}),
    *(("app_pages/clusters.py", {"k": "4", "show": tab})
      for tab in ("Map", "Profiles", "Labels", "Choosing k")),
    ("app_pages/compare.py", {"a": "label:{label}", "b": "library"}),
]


@pytest.fixture
def validated(monkeypatch: pytest.MonkeyPatch) -> list[alt.TopLevelMixin]:
    """The charts the pages turn into specs, each validated against the Vega-Lite schema."""
    charts: list[alt.TopLevelMixin] = []

    def to_dict(self, **kwargs) -> dict:
        charts.append(self._chart)
        return self._chart.to_dict(**kwargs)  # validate=True: raises on a schema error

    monkeypatch.setattr(ui.charts._Unvalidated, "to_dict", to_dict)
    ui.charts._cached_spec.clear()  # built by another test: not validated here
    return charts


@pytest.mark.parametrize(("page", "params"), VIEWS,
                         ids=[f"{p.split('/')[-1]}-{'&'.join(q)}" for p, q in VIEWS])
def test_every_chart_a_page_draws_is_valid_vega_lite(app, demo_library, validated, page, params):
    firsts = {"label": demo_library.labels["label"].iloc[0],
              "artist": demo_library.artists["name"].iloc[0],
              "genre": demo_library.genres["genre"].iloc[0],
              "playlist": demo_library.playlists["name"].iloc[0]}
    params = {key: value.format(**firsts) for key, value in params.items()}
    at = app(page, timeout=120, **params)
    assert not at.exception, [e.value for e in at.exception]
    assert validated, "the page drew no chart through ui.charts"
