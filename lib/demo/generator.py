"""The embedded demo library: a deterministic, offline generator of a realistic Spotify library.

``generate_library()`` returns the same :class:`~lib.store.db.LibraryData` for the same arguments on
every run and machine (one ``numpy`` generator, fixed seed, no network). The default size is a
personal library (about 3,400 tracks); ``n_tracks`` scales it up for benchmarks.

What makes it look like a real one:
- audio features drawn per genre family (beta distributions with the skews Spotify's features have:
  speechiness and instrumentalness mostly near 0, acousticness bimodal), energy driving loudness up
  and acousticness down, and a per-artist offset so an artist's tracks sit together;
- names in several scripts (Latin, accented, Korean, Japanese), all fictional;
- album label strings as messy as Spotify's (year and copyright prefixes, co-labels, "distributed
  through", trailing "*", case and suffix variants, "Parent - Sub" sub-labels);
- album and artist art as small SVG data URIs (colour + initials), so tables show images offline.
"""

from __future__ import annotations

import base64
import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from lib.demo import names as N
from lib.store.db import LibraryData, Store

DEMO_LIBRARY_ID = "demo"
DEMO_SEED = 20221127
DEFAULT_TRACKS = 3400

# Per family: mean of danceability, energy, speechiness, acousticness, valence, liveness;
# share of instrumental tracks; tempo mean and spread.
@dataclass(frozen=True)
class Sound:
    dance: float
    energy: float
    speech: float
    acoustic: float
    valence: float
    instrumental_share: float
    tempo: float
    tempo_sd: float = 18.0
    live: float = 0.15


FAMILY_SOUND: dict[str, Sound] = {
    "k-pop": Sound(0.70, 0.78, 0.07, 0.12, 0.62, 0.01, 122),
    "j-pop": Sound(0.60, 0.74, 0.05, 0.20, 0.66, 0.03, 134),
    "pop": Sound(0.68, 0.66, 0.06, 0.22, 0.55, 0.02, 118),
    "hip hop": Sound(0.78, 0.63, 0.28, 0.14, 0.45, 0.02, 98, 22),
    "r&b": Sound(0.66, 0.50, 0.10, 0.30, 0.45, 0.02, 96),
    "electronic": Sound(0.72, 0.80, 0.05, 0.05, 0.38, 0.55, 124, 10),
    "rock": Sound(0.45, 0.82, 0.05, 0.08, 0.42, 0.05, 132, 22, 0.22),
    "metal": Sound(0.36, 0.94, 0.08, 0.01, 0.25, 0.08, 140, 25, 0.2),
    "folk": Sound(0.50, 0.34, 0.04, 0.80, 0.42, 0.05, 108, 20),
    "jazz": Sound(0.56, 0.36, 0.05, 0.78, 0.52, 0.30, 112, 24, 0.2),
    "classical": Sound(0.25, 0.14, 0.04, 0.94, 0.22, 0.88, 96, 26),
    "soundtrack": Sound(0.28, 0.30, 0.04, 0.70, 0.18, 0.80, 104, 24),
    "latin": Sound(0.80, 0.76, 0.09, 0.16, 0.72, 0.01, 100, 14),
    "ambient": Sound(0.48, 0.22, 0.06, 0.72, 0.30, 0.78, 86, 14),
    "chanson": Sound(0.52, 0.42, 0.05, 0.62, 0.46, 0.03, 112),
}
# How common each family is in the library (the owner's taste).
FAMILY_WEIGHT: dict[str, float] = {
    "k-pop": 1.6, "j-pop": 0.9, "pop": 1.8, "hip hop": 1.3, "r&b": 0.8, "electronic": 1.1,
    "rock": 1.1, "metal": 0.4, "folk": 0.8, "jazz": 0.6, "classical": 0.6, "soundtrack": 0.6,
    "latin": 0.6, "ambient": 0.5, "chanson": 0.4,
}
GENRE_FAMILIES = N.GENRE_FAMILIES
FAMILY_SCRIPT = N.FAMILY_SCRIPT
FAMILIES = list(GENRE_FAMILIES)
PALETTE = ["#1DB954", "#E91E63", "#3F51B5", "#FF9800", "#009688", "#9C27B0", "#795548",
           "#607D8B", "#F44336", "#2196F3", "#CDDC39", "#FF5722", "#673AB7", "#00BCD4"]
BASE62 = np.array(list("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"))


def generate_library(n_tracks: int = DEFAULT_TRACKS, seed: int = DEMO_SEED) -> LibraryData:
    """Generate a library of about ``n_tracks`` tracks, the same for the same arguments."""
    rng = np.random.default_rng(seed)
    n_artists = max(60, round(n_tracks / 7.5))
    n_albums = max(90, round(n_tracks / 4.9))

    labels = _label_catalog()
    artists = _artists(rng, n_artists, labels)
    albums = _albums(rng, n_albums, artists, labels)
    tracks, track_artists = _tracks(rng, n_tracks, albums, artists)
    features = _features(rng, tracks, artists)
    liked, scores = _listening(rng, tracks, artists)
    playlists, playlist_tracks = _playlists(rng, tracks, features, albums, artists)

    album_artists = albums[["album_id", "artist_id"]].assign(position=0)
    artist_genres = artists[["artist_id", "genres"]].explode("genres").rename(
        columns={"genres": "genre"}).dropna(subset=["genre"])
    artist_genres["position"] = artist_genres.groupby("artist_id").cumcount()
    source = "demo"
    return LibraryData({
        "tracks": tracks.assign(source=source),
        "albums": albums.assign(source=source),
        "artists": artists.assign(source=source),
        "track_artists": track_artists,
        "album_artists": album_artists,
        "artist_genres": artist_genres.assign(source=source),
        "playlists": playlists.assign(source=source),
        "playlist_tracks": playlist_tracks,
        "liked": liked.assign(source=source),
        "scores": scores.assign(source=source),
        "audio_features": features.assign(source=source),
    })


# -- ids and art ---------------------------------------------------------------------------------
def spotify_ids(rng: np.random.Generator, n: int) -> np.ndarray:
    """``n`` distinct 22-character base62 ids, like Spotify's."""
    chars = BASE62[rng.integers(0, 62, size=(n, 22))]
    ids = np.ascontiguousarray(chars).view("<U22").ravel()
    return ids


def art_data_uri(text: str, colour: str, *, round_: bool = False) -> str:
    """A 64×64 SVG with the initials of ``text`` on ``colour``, as a data URI."""
    words = [w for w in text.replace("-", " ").split() if w[:1].isalnum()]
    initials = "".join(w[0] for w in words[:2]).upper() or text[:1]
    shape = ("<circle cx='32' cy='32' r='32' fill='{c}'/>" if round_
             else "<rect width='64' height='64' fill='{c}'/>").format(c=colour)
    svg = ("<svg xmlns='http://www.w3.org/2000/svg' width='64' height='64' viewBox='0 0 64 64'>"
           f"{shape}<text x='32' y='41' font-family='sans-serif' font-size='24' font-weight='bold' "
           f"text-anchor='middle' fill='white'>{_xml_escape(initials)}</text></svg>")
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


def _xml_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("'", "&apos;")


# -- labels --------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Label:
    name: str          # canonical display, e.g. "Kestrel Sound"
    stem: str          # e.g. "Kestrel"
    parent: str | None  # the distributing major, if any
    weight: float
    kind: str          # parent / indie / korean / japanese / sub


def _label_catalog() -> list[Label]:
    labels: list[Label] = []
    parents = [f"{stem} {suffix}".strip() for stem, suffix in N.PARENT_LABELS]
    for (stem, suffix), name in zip(N.PARENT_LABELS, parents):
        labels.append(Label(name, stem, None, 6.0, "parent"))
    for i, (stem, suffix) in enumerate(N.INDIE_LABELS):
        parent = parents[i % len(parents)] if i % 3 != 2 else None
        labels.append(Label(f"{stem} {suffix}".strip(), stem, parent, 1.0 + (i % 5) * 0.4, "indie"))
    for i, (stem, suffix) in enumerate(N.KOREAN_AGENCIES):
        labels.append(Label(f"{stem} {suffix}", stem, parents[i % 3], 2.5, "korean"))
    for i, (stem, suffix) in enumerate(N.JAPANESE_LABELS):
        labels.append(Label(f"{stem} {suffix}", stem, None, 1.5, "japanese"))
    for i, sub in enumerate(N.SUB_LABELS):
        parent = parents[i % 4]
        labels.append(Label(sub, sub, parent, 1.0, "sub"))
    return labels


def _raw_label(rng: np.random.Generator, label: Label, year: int) -> str:
    """One messy raw label string for an album of ``label`` released in ``year``."""
    name, parent = label.name, label.parent
    parent_short = parent.split()[0] if parent else None
    if label.kind == "sub" and parent:
        return f"{parent} - {name}"
    r = rng.random()
    if parent and r < 0.42:
        forms = [f"{name}/{parent}", f"{name} / {parent_short}", f"{name}/ {parent}",
                 f"{name}, distributed through {parent}",
                 f"{year} {name}, distributed through {parent}",
                 f"{name} under exclusive licence to {parent}",
                 f"{name.upper().replace(' ', '')}/{parent}"]
        return forms[int(rng.integers(len(forms)))]
    generic = name.split()[-1] in ("Records", "Music", "Recordings")
    forms = [name, name, name, label.stem if generic else name.upper(),
             f"{name}*", f"{year} {name}", f"(C) {year} {name}", f"℗ {year} {name}",
             name.upper(), f"{name} Ltd."]
    return forms[int(rng.integers(len(forms)))]


# -- artists -------------------------------------------------------------------------------------
def _artist_name(rng: np.random.Generator, script: str, used: set[str]) -> str:
    pick = lambda seq: seq[int(rng.integers(len(seq)))]  # noqa: E731
    for attempt in range(50):
        r = rng.random()
        if script == "korean":
            name = (pick(N.KPOP_GROUPS) if r < 0.45 else
                    pick(N.KOREAN_SURNAMES) + pick(N.KOREAN_SYLLABLES) + pick(N.KOREAN_SYLLABLES)
                    if r < 0.75 else pick(N.KOREAN_WORDS))
        elif script == "japanese":
            name = (pick(N.JAPANESE_BANDS) if r < 0.35 else pick(N.JAPANESE_NAMES) if r < 0.6
                    else f"{pick(N.ROMAJI_FIRST)} {pick(N.ROMAJI_SURNAMES)}")
        elif script == "accented":
            name = f"{pick(N.ACCENTED_FIRST)} {pick(N.ACCENTED_SURNAMES)}"
        else:
            name = (f"{pick(N.FIRST_NAMES)} {pick(N.SURNAMES)}" if r < 0.5 else
                    f"The {pick(N.BAND_ADJECTIVES)} {pick(N.BAND_NOUNS)}" if r < 0.8 else
                    pick(N.STAGE_NAMES))
        if attempt > 5:
            # Big (benchmark) libraries run out of plain names: add a band-ish suffix, then a
            # number, so names stay unique and readable.
            suffixes = ["II", "III", "Collective", "Trio", "Ensemble", "Duo", "Quartet", "Project"]
            name = f"{name} {suffixes[attempt % len(suffixes)]}"
            if attempt > 12:
                name = f"{name} {len(used)}"
        if name not in used:
            used.add(name)
            return name
    raise RuntimeError("name space exhausted")  # pragma: no cover


def _artists(rng: np.random.Generator, n: int, labels: list[Label]) -> pd.DataFrame:
    weights = np.array([FAMILY_WEIGHT[f] for f in FAMILIES])
    family_idx = rng.choice(len(FAMILIES), size=n, p=weights / weights.sum())
    ids = spotify_ids(rng, n)
    used: set[str] = set()
    rows = []
    for i in range(n):
        family = FAMILIES[family_idx[i]]
        script = FAMILY_SCRIPT.get(family, "latin")
        if script != "latin" and rng.random() < 0.25:
            script = "latin"
        elif script == "latin" and rng.random() < 0.12:
            script = "accented"
        name = _artist_name(rng, script, used)
        genres_pool = GENRE_FAMILIES[family]
        n_genres = int(rng.integers(1, min(3, len(genres_pool)) + 1))
        genres = list(rng.choice(genres_pool, size=n_genres, replace=False))
        if rng.random() < 0.06:  # some artists have no genres at all, as on Spotify today
            genres = []
        label = _home_label(rng, family, labels)
        rows.append((ids[i], name, family, genres, label,
                     art_data_uri(name, PALETTE[i % len(PALETTE)], round_=True)))
    frame = pd.DataFrame(rows, columns=["artist_id", "name", "family", "genres", "home_label",
                                        "image_url"])
    # Popularity of an artist in this library: a few artists own many tracks (Zipf-like).
    frame["weight"] = rng.pareto(1.2, size=n) + 0.3
    return frame


def _home_label(rng: np.random.Generator, family: str, labels: list[Label]) -> int:
    kinds = {"k-pop": "korean", "j-pop": "japanese"}
    want = kinds.get(family)
    pool = [i for i, lab in enumerate(labels)
            if (lab.kind == want if want and rng.random() < 0.8 else lab.kind not in ("korean", "japanese"))]
    w = np.array([labels[i].weight for i in pool])
    return int(pool[int(rng.choice(len(pool), p=w / w.sum()))])


# -- albums --------------------------------------------------------------------------------------
def _title(rng: np.random.Generator, family: str, script: str) -> str:
    pick = lambda seq: seq[int(rng.integers(len(seq)))]  # noqa: E731
    r = rng.random()
    if family == "classical":
        return f"{pick(N.CLASSICAL_FORMS)} No. {int(rng.integers(1, 24))} {pick(N.CLASSICAL_KEYS)}"
    if family in ("soundtrack", "ambient") and r < 0.5:
        return pick(N.SOUNDTRACK_WORDS)
    if script == "korean" and r < 0.5:
        return pick(N.KOREAN_TITLES)
    if script == "japanese" and r < 0.55:
        return pick(N.JAPANESE_TITLES)
    if family == "latin" and r < 0.5:
        return pick(N.SPANISH_TITLES)
    if family == "chanson" and r < 0.6:
        return pick(N.FRENCH_TITLES)
    if r < 0.45:
        return f"{pick(N.TITLE_ADJECTIVES)} {pick(N.TITLE_NOUNS)}"
    if r < 0.8:
        return pick(N.TITLE_PHRASES)
    return pick(N.TITLE_NOUNS)


def _script_of(name: str) -> str:
    if any("\uac00" <= ch <= "\ud7a3" for ch in name):
        return "korean"
    if any("\u3040" <= ch <= "\u30ff" or "\u4e00" <= ch <= "\u9fff" for ch in name):
        return "japanese"
    return "latin"


def _albums(rng: np.random.Generator, n: int, artists: pd.DataFrame,
            labels: list[Label]) -> pd.DataFrame:
    p = artists["weight"].to_numpy()
    artist_idx = rng.choice(len(artists), size=n, p=p / p.sum())
    artist_idx[: len(artists)] = np.arange(min(n, len(artists)))  # every artist has an album
    ids = spotify_ids(rng, n)
    # Release years: most music in a library is recent, with a long tail back to the 60s.
    years = np.clip(2026 - np.round(rng.gamma(1.6, 6.0, size=n)), 1962, 2026).astype(int)
    kinds = rng.choice(["album", "single", "ep", "compilation"], size=n, p=[0.5, 0.33, 0.13, 0.04])
    rows = []
    for i in range(n):
        artist = artists.iloc[artist_idx[i]]
        family = artist["family"]
        label_i = artist["home_label"] if rng.random() < 0.85 else _home_label(rng, family, labels)
        label = labels[label_i]
        year = int(years[i])
        month, day = int(rng.integers(1, 13)), int(rng.integers(1, 29))
        precision = rng.random()
        release_date = (f"{year}" if year < 1990 and precision < 0.6 else
                        f"{year}-{month:02d}" if precision < 0.05 else f"{year}-{month:02d}-{day:02d}")
        title = _title(rng, family, _script_of(artist["name"]))
        if kinds[i] == "ep":
            title += " - EP"
        elif kinds[i] == "compilation" and rng.random() < 0.5:
            title = f"The Best of {artist['name']}"
        elif kinds[i] == "album" and rng.random() < 0.12:
            title += " (Deluxe Edition)"
        rows.append((ids[i], title, release_date, year, _raw_label(rng, label, year),
                     kinds[i], artist["artist_id"], artist_idx[i],
                     art_data_uri(title, PALETTE[(i * 7) % len(PALETTE)])))
    return pd.DataFrame(rows, columns=["album_id", "name", "release_date", "release_year",
                                       "label_raw", "album_type", "artist_id", "artist_idx",
                                       "image_url"])


# -- tracks --------------------------------------------------------------------------------------
def _tracks(rng: np.random.Generator, n: int, albums: pd.DataFrame,
            artists: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    size_by_kind = {"single": (1, 3), "ep": (4, 7), "album": (6, 15), "compilation": (8, 19)}
    sizes = np.array([rng.integers(*size_by_kind[k]) for k in albums["album_type"]])
    # Libraries hold a few songs of most albums, not whole albums: scale sizes to the track count.
    scale = n / sizes.sum()
    sizes = np.maximum(1, np.floor(sizes * scale + rng.random(len(sizes)))).astype(int)
    diff = n - sizes.sum()
    adjust = rng.choice(len(sizes), size=abs(diff), p=sizes / sizes.sum())
    np.add.at(sizes, adjust, 1 if diff > 0 else 0)
    if diff < 0:
        for i in adjust:
            if sizes.sum() <= n:
                break
            if sizes[i] > 1:
                sizes[i] -= 1
    album_of_track = np.repeat(np.arange(len(albums)), sizes)[:n]
    n = len(album_of_track)
    track_number = np.concatenate([np.arange(1, s + 1) for s in sizes])[:n]
    ids = spotify_ids(rng, n)
    names = []
    feats: list[tuple[str, str, int]] = []
    family_by_artist = artists["family"].to_numpy()
    artist_ids = artists["artist_id"].to_numpy()
    by_family: dict[str, np.ndarray] = {f: np.flatnonzero(family_by_artist == f) for f in FAMILIES}
    album = None
    for i in range(n):
        if album is None or album_of_track[i] != album_of_track[i - 1]:
            album = albums.iloc[album_of_track[i]]
        a_idx = album["artist_idx"]
        family = family_by_artist[a_idx]
        script = _script_of(album["name"]) if rng.random() < 0.5 else _script_of(artists.at[a_idx, "name"])
        title = album["name"] if album["album_type"] == "single" and track_number[i] == 1 else _title(rng, family, script)
        r = rng.random()
        if r < 0.15:
            pool = by_family[family]
            guest = int(pool[int(rng.integers(len(pool)))])
            if guest != a_idx:
                feats.append((ids[i], artist_ids[guest], 1))
                if rng.random() < 0.6:
                    title += f" (feat. {artists.at[guest, 'name']})"
        elif r < 0.22:
            title += N.TRACK_SUFFIXES[int(rng.integers(len(N.TRACK_SUFFIXES)))]
        names.append(title)
    duration = np.clip(rng.normal(205_000, 45_000, size=n), 45_000, 720_000).astype(int)
    classical = np.isin(family_by_artist[albums["artist_idx"].to_numpy()[album_of_track]],
                        ["classical", "soundtrack", "ambient"])
    duration[classical] = (duration[classical] * rng.uniform(1.0, 2.2, classical.sum())).astype(int)
    explicit = (np.isin(family_by_artist[albums["artist_idx"].to_numpy()[album_of_track]],
                        ["hip hop", "latin"]) & (rng.random(n) < 0.55)) | (rng.random(n) < 0.04)
    popularity = np.clip(np.round(rng.normal(42, 18, size=n)
                                  + np.log1p(artists["weight"].to_numpy()[albums["artist_idx"].to_numpy()[album_of_track]]) * 12),
                         0, 100)
    isrc = [f"QZ{'ABCDEFGHJK'[i % 10]}{(20 + i % 7):02d}{i:07d}"[:12] for i in range(n)]
    tracks = pd.DataFrame({
        "track_id": ids, "name": names, "album_id": albums["album_id"].to_numpy()[album_of_track],
        "duration_ms": duration, "explicit": explicit, "popularity": popularity,
        "isrc": isrc, "disc_number": 1, "track_number": track_number,
        "artist_idx": albums["artist_idx"].to_numpy()[album_of_track],
    })
    primary = pd.DataFrame({"track_id": ids,
                            "artist_id": artist_ids[tracks["artist_idx"].to_numpy()],
                            "position": 0})
    guests = pd.DataFrame(feats, columns=["track_id", "artist_id", "position"])
    track_artists = pd.concat([primary, guests], ignore_index=True)
    return tracks, track_artists


def _beta(rng: np.random.Generator, mean: np.ndarray, concentration: float) -> np.ndarray:
    mean = np.clip(mean, 0.01, 0.99)
    return rng.beta(mean * concentration, (1 - mean) * concentration)


def _features(rng: np.random.Generator, tracks: pd.DataFrame, artists: pd.DataFrame) -> pd.DataFrame:
    n = len(tracks)
    fam = artists["family"].to_numpy()[tracks["artist_idx"].to_numpy()]
    s = {k: np.array([getattr(FAMILY_SOUND[f], k) for f in fam]) for k in
         ("dance", "energy", "speech", "acoustic", "valence", "instrumental_share", "tempo",
          "tempo_sd", "live")}
    # Each artist has a sound of their own around their family's.
    offsets = rng.normal(0, 0.08, size=(len(artists), 4))[tracks["artist_idx"].to_numpy()]
    energy = _beta(rng, s["energy"] + offsets[:, 0], 9)
    dance = _beta(rng, s["dance"] + offsets[:, 1] + 0.1 * (energy - s["energy"]), 10)
    valence = _beta(rng, s["valence"] + offsets[:, 2] + 0.25 * (dance - s["dance"]), 6)
    # Acousticness is bimodal and falls as energy rises.
    acoustic = _beta(rng, s["acoustic"] + offsets[:, 3] - 0.6 * (energy - s["energy"]), 2.2)
    speech = np.clip(rng.lognormal(np.log(s["speech"]), 0.55), 0.022, 0.96)
    instrumental_mask = rng.random(n) < s["instrumental_share"]
    instrumental = np.where(instrumental_mask, _beta(rng, np.full(n, 0.82), 6),
                            np.clip(rng.exponential(0.004, n) * (rng.random(n) < 0.5), 0, 0.4))
    speech = np.where(instrumental_mask, np.minimum(speech, 0.06), speech)
    liveness = np.clip(rng.lognormal(np.log(s["live"] * 0.8), 0.55), 0.02, 0.99)
    live_tracks = tracks["name"].str.contains(r"\(Live\)", regex=True).to_numpy()
    liveness[live_tracks] = rng.uniform(0.72, 0.98, live_tracks.sum())
    tempo = np.clip(rng.normal(s["tempo"], s["tempo_sd"]) + 20 * (energy - s["energy"]), 55, 210)
    loudness = np.clip(-22 + 19 * energy + rng.normal(0, 1.8, n) - 3 * acoustic, -38, -1.2)
    key = rng.integers(-1, 12, size=n)
    key[key == -1] = rng.integers(0, 12, size=(key == -1).sum())  # -1 is rare
    mode = (rng.random(n) < 0.35 + 0.4 * valence).astype(int)
    time_signature = np.where(rng.random(n) < 0.92, 4, rng.choice([3, 5, 1], size=n))
    frame = pd.DataFrame({
        "track_id": tracks["track_id"].to_numpy(),
        "danceability": dance.round(3), "energy": energy.round(3), "speechiness": speech.round(4),
        "acousticness": acoustic.round(4), "instrumentalness": instrumental.round(5),
        "liveness": liveness.round(4), "valence": valence.round(3), "tempo": tempo.round(3),
        "loudness": loudness.round(3), "key": key, "mode": mode, "time_signature": time_signature,
    })
    # A few tracks have no audio features (local files, tracks the provider does not know).
    missing = rng.random(n) < 0.035
    return frame[~missing].reset_index(drop=True)


def _listening(rng: np.random.Generator, tracks: pd.DataFrame,
               artists: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    n = len(tracks)
    affinity = rng.normal(0, 1, size=len(artists))[tracks["artist_idx"].to_numpy()]
    p_like = 1 / (1 + np.exp(-(0.45 + 0.9 * affinity)))
    liked_mask = rng.random(n) < p_like
    start = np.datetime64("2016-03-01T00:00:00")
    minutes = rng.integers(0, 60 * 24 * 365 * 10, size=liked_mask.sum())
    added = (start + minutes.astype("timedelta64[m]")).astype("datetime64[us]")
    liked = pd.DataFrame({"track_id": tracks["track_id"].to_numpy()[liked_mask],
                          "added_at": pd.to_datetime(added).tz_localize("UTC")})
    # Listening scores for a subset: minutes listened, heavy-tailed, higher for liked tracks.
    scored = rng.random(n) < np.where(liked_mask, 0.55, 0.2)
    plays = np.maximum(1, np.round(rng.lognormal(2.0 + 0.8 * affinity[scored], 1.1))).astype(int)
    ms = plays * tracks["duration_ms"].to_numpy()[scored] * rng.uniform(0.6, 1.0, scored.sum())
    scores = pd.DataFrame({"track_id": tracks["track_id"].to_numpy()[scored],
                           "score": np.round(ms / 60_000, 1), "plays": plays,
                           "ms_played": ms.astype("int64")})
    return liked, scores


def _playlists(rng: np.random.Generator, tracks: pd.DataFrame, features: pd.DataFrame,
               albums: pd.DataFrame, artists: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    t = tracks[["track_id", "album_id", "artist_idx"]].merge(features, on="track_id", how="left")
    t["year"] = t["album_id"].map(albums.set_index("album_id")["release_year"])
    t["family"] = artists["family"].to_numpy()[t["artist_idx"].to_numpy()]
    rules = {
        "Late Night Drive": (t.energy.between(0.4, 0.8)) & (t.valence < 0.5),
        "Gym Hype": (t.energy > 0.75) & (t.tempo > 115),
        "Focus Flow": t.instrumentalness > 0.5,
        "Sunday Morning Coffee": t.acousticness > 0.65,
        "K-Wave": t.family == "k-pop",
        "Tokyo Nights": t.family == "j-pop",
        "Dancefloor Fillers": t.danceability > 0.78,
        "Rainy Day": (t.valence < 0.3) & (t.acousticness > 0.4),
        "Sing-Along Classics": (t.valence > 0.65) & (t.instrumentalness < 0.1) & (t.year < 2015),
        "Road Trip": (t.valence > 0.55) & (t.energy > 0.6),
        "Throwbacks": t.year < 2005,
        "Fresh Finds": t.year >= 2024,
        "Chill Electronic": (t.family.isin(["electronic", "ambient"])) & (t.energy < 0.7),
        "Cinematic": t.family.isin(["soundtrack", "classical"]),
        "Hip-Hop Essentials": t.family == "hip hop",
        "Latin Heat": t.family == "latin",
        "Discover Mix": pd.Series(rng.random(len(t)) < 0.03, index=t.index),
    }
    ids = spotify_ids(rng, len(N.PLAYLISTS))
    playlists, members = [], []
    scale = max(1.0, len(t) / 3400)
    for (name, description), pid in zip(N.PLAYLISTS, ids):
        pool = t.index[rules[name].fillna(False).to_numpy()]
        size = min(len(pool), int(rng.integers(25, 110) * math.sqrt(scale)))
        chosen = rng.choice(pool, size=size, replace=False) if size else np.array([], dtype=int)
        playlists.append((pid, name, "demo-user", description,
                          art_data_uri(name, PALETTE[len(playlists) % len(PALETTE)])))
        added = pd.Timestamp("2020-01-01", tz="UTC") + pd.to_timedelta(
            np.sort(rng.integers(0, 60 * 24 * 365 * 6, size=size)), unit="m")
        members.append(pd.DataFrame({"playlist_id": pid, "track_id": t.loc[chosen, "track_id"].to_numpy(),
                                     "position": np.arange(size), "added_at": added}))
    return (pd.DataFrame(playlists, columns=["playlist_id", "name", "owner", "description", "image_url"]),
            pd.concat(members, ignore_index=True))


DEMO_DESCRIPTION = "Generated demo library, format 1"


def ensure_demo(store: Store, *, force: bool = False) -> bool:
    """Write the demo library into ``store`` if it is missing or from an older generator.

    Returns True when it was (re)written. ``force`` deletes it first, label edits included, and
    writes it anew ("Reset to demo library").
    """
    info = store.library(DEMO_LIBRARY_ID)
    if info is not None and info.description == DEMO_DESCRIPTION and not force:
        return False
    if force:
        store.delete_library(DEMO_LIBRARY_ID)
    store.replace_library(DEMO_LIBRARY_ID, generate_library(), name="Demo library", kind="demo",
                          description=DEMO_DESCRIPTION)
    return True
