"""resolve_view: the Clusters page's decisions (fallbacks, k clamping, messages) without Streamlit."""

from __future__ import annotations

from lib.clusters.features import PRESETS, MatrixSummary, build_matrix
from lib.clusters.view import resolve_view
from lib.demo.generator import generate_library
from lib.store.library import load_library
from lib.store.scopes import Scope


def test_default_view_is_the_whole_library_on_sound(demo_library) -> None:
    view, messages = resolve_view({}, demo_library)
    assert messages == []
    assert view.scope == Scope()
    assert view.params.k == "auto"
    assert view.params.features == PRESETS["sound"].features
    assert view.scope_size == len(demo_library.tracks)
    assert view.n_usable == view.matrix.n_tracks > 0
    assert view.k_max == 20


def test_unknown_scope_and_bad_k_fall_back_with_messages(demo_library) -> None:
    view, messages = resolve_view({"scope": "label", "name": "No Such Label", "k": "many"},
                                  demo_library)
    assert view.scope == Scope()
    assert view.params.k == "auto"
    text = " ".join(messages)
    assert "No Such Label" in text and "whole library instead" in text
    assert "k must be a number" in text


def test_k_above_what_the_scope_allows_is_clamped(demo_library) -> None:
    labels = demo_library.labels
    small = labels[labels["tracks"].between(4, 12)]["label"].iloc[0]
    view, messages = resolve_view({"scope": "label", "name": small, "k": "20"}, demo_library)
    assert view.params.k == view.k_max == view.n_usable - 1 < 20
    assert any("20 clusters need at least 21" in m for m in messages)
    assert view.params.query_params()["k"] == str(view.k_max)


def test_no_audio_features_starts_on_metadata_unless_asked(store) -> None:
    data = generate_library(300, seed=3)
    data.frames["audio_features"] = data.frames["audio_features"].iloc[0:0]
    store.replace_library("bare", data, name="Bare", kind="local")
    library = load_library(store, "bare")
    view, messages = resolve_view({"k": "3"}, library)
    assert view.params.features == PRESETS["metadata"].features
    assert view.params.preset == "metadata" and view.n_usable == 300
    assert any("clustering on metadata" in m for m in messages)
    # Asked explicitly: no fallback, the reason instead and no matrix.
    view, messages = resolve_view({"preset": "sound"}, library)
    assert view.matrix is None and view.n_usable == 0 and view.k_max < 2
    assert any("None of the chosen features has any value" in m for m in messages)


def test_the_page_can_pass_its_own_loaders(demo_library) -> None:
    """The page passes kept counts (ui.cache): resolve_view then needs no tracks."""
    calls = []

    def scope_size_of(scope):
        calls.append(scope)
        return 5

    def matrix_summary(scope, features, scaling):
        calls.append((scope, features, scaling))
        return MatrixSummary(features, scaling, n_tracks=4, n_dropped=1)

    view, messages = resolve_view({"k": "9", "scaling": "range"}, demo_library,
                                  scope_size_of=scope_size_of, matrix_summary=matrix_summary)
    assert calls == [Scope(), (Scope(), PRESETS["sound"].features, "range")]
    assert view.scope_size == 5 and view.n_usable == 4 and view.params.k == view.k_max == 3
    assert any("9 clusters need at least 10" in m for m in messages)


def test_a_summary_says_what_its_matrix_says(demo_library) -> None:
    matrix = build_matrix(demo_library.tracks, PRESETS["sound"].features, "standard")
    summary = matrix.summary()
    assert (summary.features, summary.scaling) == (matrix.features, matrix.scaling)
    assert (summary.n_tracks, summary.n_dropped) == (matrix.n_tracks, matrix.n_dropped) != (0, 0)
    assert summary.missing == matrix.missing and summary.unavailable == matrix.unavailable
    assert summary.scaling_text == matrix.scaling_text
