"""Library overview: the Home page's numbers (KPIs, top artists, release years, coverage with how
to get more), built once per library version by :func:`library_overview`."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from lib.store.library import Library, coverage


@dataclass(frozen=True)
class Kpis:
    tracks: int
    artists: int
    albums: int
    labels: int
    liked_share: float
    features_share: float


def kpis(library: Library, shares: dict[str, float] | None = None) -> Kpis:
    """The library's headline numbers (``shares``: its :func:`coverage`, if already computed)."""
    n = len(library.tracks)
    shares = coverage(library.tracks) if shares is None else shares
    return Kpis(tracks=n, artists=len(library.artists), albums=len(library.albums), labels=len(library.labels),
                liked_share=float(library.tracks["liked"].mean()) if n else 0.0,
                features_share=shares["audio features"] if n else 0.0)


# How to get what a library lacks, per coverage measure of lib.store.library.coverage (Markdown).
COVERAGE_HINTS: dict[str, str] = {
    "audio features": "Spotify no longer gives audio features to new apps: import Exportify CSVs "
                      "exported with “audio features” ticked, fill them from a track data set "
                      "(**Fill missing audio features**), or fetch them from ReccoBeats (tempo "
                      "also from Deezer) with the offer on the Data page.",
    "labels": "Record labels come from Exportify's album data (the “Label” column: export with "
              "“album data” ticked), or from MusicBrainz (by ISRC or barcode) with the "
              "offer on the Data page.",
    "genres": "Genres come from Exportify's artist data (the “Artist Genres” column: export with "
              "“artist data” ticked), from Spotify's artists, or from MusicBrainz.",
    "scores": "Listening scores come from your listening history: request your data on "
              "Spotify's privacy page and import the zip (or its "
              "`Streaming_History_Audio_*.json` / `StreamingHistory_music_*.json` files); a "
              "Spotify sync scores your top tracks meanwhile.",
}


CoverageReport = list[tuple[str, float, int, str]]


def coverage_report(tracks: pd.DataFrame,
                    shares: dict[str, float] | None = None) -> CoverageReport:
    """(measure, share 0–1, tracks missing it, how to get it) for each coverage measure."""
    shares = coverage(tracks) if shares is None else shares
    n = len(tracks)
    return [(measure, share, n - round(share * n), COVERAGE_HINTS[measure])
            for measure, share in shares.items()]


@dataclass(frozen=True)
class Overview:
    """What the Home page shows of a library, small enough to render on every rerun."""

    kpis: Kpis
    coverage: CoverageReport
    top_artists: pd.DataFrame
    years: pd.DataFrame


def library_overview(library: Library, n_artists: int = 15) -> Overview:
    """The library's overview; every O(tracks) pass of the Home page happens here, once."""
    from lib.analysis.charts import year_counts
    from lib.analysis.entities import top_artists
    shares = coverage(library.tracks)
    return Overview(kpis=kpis(library, shares), coverage=coverage_report(library.tracks, shares),
                    top_artists=top_artists(library, library.tracks, n_artists),
                    years=year_counts(library.tracks["release_year"]))
