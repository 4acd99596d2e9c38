"""The two report downloads every page offers: "Download report (.md)" and "Download with
images (.zip)".

The report is built only when a button is clicked (``st.download_button`` with a callable
``data`` runs it on click, in its own thread, without rerunning the page), so showing the buttons
costs nothing on ordinary reruns. Both buttons share one build.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Callable, Union

import pandas as pd
import streamlit as st

from lib.reports import markdown as md
from lib.reports.document import Report

if TYPE_CHECKING:
    from lib.clusters.kmeans import ClusterView
    from lib.analysis.entities import EntityPage
    from lib.store.library import Library
    from lib.store.scopes import Scope

ReportSource = Union[Report, Callable[[], Report]]


class _Once:
    """Builds the report on first use and keeps it for the other button."""

    def __init__(self, source: ReportSource) -> None:
        self._source = source
        self._report: Report | None = source if isinstance(source, Report) else None
        self._lock = threading.Lock()

    def report(self) -> Report:
        with self._lock:
            if self._report is None:
                self._report = self._source()  # type: ignore[operator]
            return self._report

    def markdown(self) -> bytes:
        return self.report().to_markdown().encode("utf-8")

    def zip(self) -> bytes:
        return self.report().to_zip()


def download_report(report: ReportSource, basename: str, *, key: str = "report") -> None:
    """Show the .md and .zip download buttons for a report (or a function that builds it).

    ``basename`` names the files (``clusters-in-kestrel-sound`` → ``….md`` / ``….zip``); it is
    reduced to safe characters here.
    """
    name = md.slug(basename).replace("_", "-") or "report"
    once = _Once(report)
    st.divider()
    st.caption("Take this view away as a Markdown page in the original tool's format: it renders "
               "on GitHub or in any Markdown viewer.")
    left, right = st.columns([1, 1, 2])[:2]
    left.download_button(
        "Download report (.md)", data=once.markdown, file_name=f"{name}.md",
        mime="text/markdown", on_click="ignore", icon=":material/description:",
        key=f"{key}_md", help="This view as a Markdown page, in the original tool's format "
                              "(charts are in the .zip).")
    right.download_button(
        "Download with images (.zip)", data=once.zip, file_name=f"{name}.zip",
        mime="application/zip", on_click="ignore", icon=":material/folder_zip:",
        key=f"{key}_zip", help="report.md with its charts and album art as PNG files, linked "
                               "relatively: unzip and open, or commit it to GitHub.")


def download_clusters(scope: Scope, tracks_of: Callable[[], pd.DataFrame], view: ClusterView,
                      *, stability=None) -> None:
    """The Clusters page's downloads: ``view`` is the clustering the page shows, ``tracks_of``
    returns the scope's tracks it was computed from (called when the report is built: a page
    showing a kept clustering has not needed them), ``stability`` its lib.clusters.stability
    measure (or a function measuring it when the report is built, for a page that has not
    shown it)."""
    from lib.reports.clusters import clusters_report

    def report() -> Report:
        measured = stability() if callable(stability) else stability
        return clusters_report(scope, tracks_of(), view, stability=measured)

    download_report(report, f"clusters-in-{scope.title}", key="clusters_report")


def download_entity(entity: EntityPage) -> None:
    """A label, artist, playlist or genre page's downloads (``entity`` is what the page shows)."""
    from lib.reports.pages import entity_report
    from ui.cache import get_sounds_like
    from ui.session import active_library_id

    alike = get_sounds_like(active_library_id(), entity.kind, entity.name) \
        if entity.kind in ("label", "artist") else None
    download_report(lambda: entity_report(entity, sounds_like=alike),
                    f"{entity.kind}-{entity.name}",
                    key=f"{entity.kind}_report")


def download_overview(library: Library) -> None:
    """The Home page's downloads: the library overview (counts, top labels, artists, genres…)."""
    from lib.reports.pages import overview_report
    from ui.cache import get_loved_labels

    loved = get_loved_labels(library.library_id)
    download_report(lambda: overview_report(library, loved=loved), "library-overview",
                    key="overview_report")
