"""Library overview numbers for the Home page: KPIs and top-N tables."""

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


def top_labels(lib: Library, n: int = 15) -> pd.DataFrame:
    return lib.labels.head(n)[["label", "tracks", "liked", "artists", "top_artist"]]


def top_artists(lib: Library, n: int = 15) -> pd.DataFrame:
    cols = ["image_url", "name", "tracks", "liked", "top_label"]
    return lib.artists.head(n)[cols]


def top_genres(lib: Library, n: int = 15) -> pd.DataFrame:
    return lib.genres.head(n)


def coverage_table(lib: Library) -> pd.DataFrame:
    """What share of tracks carries each kind of data, and where more can come from."""
    hints = {
        "audio features": "Import an Exportify CSV with audio features, a track data set, or "
                          "enable ReccoBeats on the Data page.",
        "labels": "Import Exportify CSVs with the album 'Label' column, or enable MusicBrainz.",
        "genres": "Import Exportify CSVs with 'Artist Genres', or enable MusicBrainz.",
        "scores": "Import your Spotify privacy export (streaming history) on the Data page.",
    }
    cov = coverage(lib.tracks)
    return pd.DataFrame({"data": list(cov), "share": list(cov.values()),
                         "how to get more": [hints[k] for k in cov]})
