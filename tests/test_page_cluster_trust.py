"""AppTest: the stability panel of the Clusters page and the stability section of its report."""

from __future__ import annotations

from lib.clusters.features import build_matrix
from lib.clusters.kmeans import cluster_view
from lib.clusters.stability import result_stability
from lib.importers import import_files
from lib.importers.write import write_import
from lib.reports.clusters import clusters_report
from lib.store.scopes import Scope
from tests import importers_samples as samples


def test_clusters_page_shows_stability(app) -> None:
    at = app("app_pages/clusters.py", k="3", show="Trust")
    assert not at.exception, [e.value for e in at.exception]
    assert "Can you trust these clusters?" in [h.value for h in at.subheader]
    table = [d.value for d in at.dataframe if "held" in d.value.columns][0]
    assert len(table) == 3 and table["held"].str.endswith("of 10").all()
    text = " ".join(m.value for m in at.markdown).replace("\\", "")
    assert "Re-fitted 10 times on 80 % resamples" in text


def test_stability_in_the_cluster_report(demo_library) -> None:
    tracks = demo_library.tracks
    matrix = build_matrix(tracks, ("energy", "acousticness"), "standard")
    view = cluster_view(tracks, matrix, 3)
    stability = result_stability(view.result, matrix.values, n_refits=4)
    text = clusters_report(Scope(), tracks, view, stability=stability).to_markdown()
    assert "### How stable are these clusters?" in text
    assert "| Cluster | Name | Holds together | Mean Jaccard | Verdict |" in text
    assert "Cluster 1 holds together in" in text and "of 4 re-fits" in text


def test_exportify_library_too_small_to_refit(app, store) -> None:
    write_import(store, "local", import_files([("Liked Songs.csv", samples.exportify_current())]),
                 "replace")
    at = app("app_pages/clusters.py", k="2", preset="metadata", show="Trust")
    assert not at.exception, [e.value for e in at.exception]
    assert "Can you trust these clusters?" in [h.value for h in at.subheader]
