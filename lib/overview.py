"""Library overview numbers: the Home page's KPIs, and data coverage with how to get more."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from lib.library import Library, coverage


@dataclass(frozen=True)
class Kpis:
    tracks: int
    artists: int
    albums: int
    labels: int
    liked_share: float
    features_share: float


def kpis(lib: Library) -> Kpis:
    n = len(lib.tracks)
    return Kpis(tracks=n, artists=len(lib.artists), albums=len(lib.albums), labels=len(lib.labels),
                liked_share=float(lib.tracks["liked"].mean()) if n else 0.0,
                features_share=coverage(lib.tracks)["audio features"] if n else 0.0)


# How to get what a library lacks, per coverage measure of lib.library.coverage (Markdown).
COVERAGE_HINTS: dict[str, str] = {
    "audio features": "Spotify no longer gives audio features to new apps: import Exportify CSVs "
                      "exported with “audio features” ticked, fill them from a track data set "
                      "(**Fill missing audio features**), or enable ReccoBeats after a Spotify "
                      "sync.",
    "labels": "Record labels come from Exportify's album data (the “Label” column: export with "
              "“album data” ticked), or from MusicBrainz after a Spotify sync.",
    "genres": "Genres come from Exportify's artist data (the “Artist Genres” column: export with "
              "“artist data” ticked), from Spotify's artists, or from MusicBrainz.",
    "scores": "Listening scores come from your listening history: request your data on "
              "Spotify's privacy page and import the zip (or its "
              "`Streaming_History_Audio_*.json` / `StreamingHistory_music_*.json` files); a "
              "Spotify sync scores your top tracks meanwhile.",
}


def coverage_report(tracks: pd.DataFrame) -> list[tuple[str, float, int, str]]:
    """(measure, share 0–1, tracks missing it, how to get it) for each coverage measure."""
    shares = coverage(tracks)
    n = len(tracks)
    return [(measure, share, n - round(share * n), COVERAGE_HINTS[measure])
            for measure, share in shares.items()]
