"""Page data for the label, artist, playlist and genre pages (and their reports).

Every entity page is built from the same blocks, each a plain function of a library and a scope's
tracks that returns a small frame or dataclass: :func:`top_artists`, :func:`top_albums`,
:func:`genre_counts`, :func:`label_counts`, :func:`playlist_counts`, :func:`label_aliases`,
:func:`co_labels`, :func:`feature_profile`, :func:`feature_extremes`, :func:`related_artists`,
:func:`related_genres`. :func:`build_entity_page` runs the ones a kind of page shows and returns
them in one :class:`EntityPage`, which pages render and reports write.

Index tables (:func:`index_table`) and name lookup (:func:`resolve_name`, :func:`suggest_names`)
serve the index pages and the "not found" view. Link columns hold relative URLs of our own pages
(``/labels?label=…``) and Spotify URLs; names stay plain text.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from lib.analysis import charts
from lib.clusters.features import CATALOG
from lib.store.library import Library
from lib.store.kinds import KINDS, kind_of
from lib.store.scopes import Scope, ScopeError, scope_tracks

# The kinds known at import; code that must see kinds registered later reads KINDS.
ENTITY_KINDS: tuple[str, ...] = tuple(KINDS)
# Audio features a profile compares (the seven 0–1 features, tempo and loudness).
PROFILE_FEATURES: tuple[str, ...] = ("danceability", "energy", "speechiness", "acousticness",
                                     "instrumentalness", "liveness", "valence", "tempo",
                                     "loudness")
# Superlatives for features whose adjectives do not read well after "most"/"least".
_SUPERLATIVES: dict[str, tuple[str, str]] = {"tempo": ("fastest", "slowest"),
                                             "loudness": ("loudest", "quietest")}
SPOTIFY = "https://open.spotify.com"
# A profile names its biggest differences ("more Danceable") only from this many tracks on.
MIN_HIGHLIGHT_TRACKS = 5


def entity_url(kind: str, name: str) -> str:
    """The relative URL of an entity's page: ``/labels?label=Kestrel%20Sound``."""
    return kind_of(kind).url(name)


def _urls(kind: str, names: pd.Series) -> list[str | None]:
    return [entity_url(kind, n) if isinstance(n, str) and n else None for n in names]


_SPOTIFY_ID = re.compile(r"[0-9A-Za-z]{22}")


def _spotify(kind: str, ids: pd.Series) -> list[str | None]:
    """Spotify links for real Spotify ids (22 base-62 characters); None for imported ids."""
    return [f"{SPOTIFY}/{kind}/{i}" if isinstance(i, str) and _SPOTIFY_ID.fullmatch(i) else None
            for i in ids]


# -- summary ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Summary:
    """Headline numbers of a set of tracks."""

    tracks: int
    liked: int
    artists: int
    albums: int
    labels: int
    genres: int
    first_year: int | None
    last_year: int | None
    with_features: int
    score: float

    @property
    def years(self) -> str:
        """"2003–2026", "2019", or "" when no release year is known."""
        if self.first_year is None:
            return ""
        if self.first_year == self.last_year:
            return str(self.first_year)
        return f"{self.first_year}–{self.last_year}"


def summarize(tracks: pd.DataFrame) -> Summary:
    years = tracks["release_year"].dropna()
    return Summary(
        tracks=len(tracks), liked=int(tracks["liked"].sum()),
        artists=len({a for ids in tracks["artist_ids"] for a in ids}),
        albums=int(tracks["album_id"].nunique()),
        labels=len({lab for ls in tracks["labels"] for lab in ls}),
        genres=len({g for gs in tracks["genres"] for g in gs}),
        first_year=int(years.min()) if len(years) else None,
        last_year=int(years.max()) if len(years) else None,
        with_features=int(tracks["has_features"].sum()),
        score=float(tracks["score"].sum()),
    )


# -- top lists -----------------------------------------------------------------------------------
def _pairs(tracks: pd.DataFrame, column: str) -> pd.DataFrame:
    """One row per (track, list item): item, liked, score."""
    lens = np.fromiter((len(v) for v in tracks[column]), dtype=np.int64, count=len(tracks))
    return pd.DataFrame({
        "item": [x for v in tracks[column] for x in v],
        "liked": np.repeat(tracks["liked"].to_numpy(dtype=bool), lens),
        "score": np.repeat(tracks["score"].to_numpy(dtype=float), lens),
    })


def _count(tracks: pd.DataFrame, column: str, name: str) -> pd.DataFrame:
    per = _pairs(tracks, column)
    if per.empty:
        return pd.DataFrame({name: pd.Series(dtype=object), "tracks": pd.Series(dtype=int),
                             "liked": pd.Series(dtype=int)})
    out = per.groupby("item").agg(tracks=("item", "size"), liked=("liked", "sum"))
    out = out.reset_index(names=name)
    out["liked"] = out["liked"].astype(int)
    return out.sort_values(["tracks", "liked", name], ascending=[False, False, True],
                           ignore_index=True)


def top_artists(library: Library, tracks: pd.DataFrame, n: int | None = None) -> pd.DataFrame:
    """Credited artists of the tracks, most tracks first.

    Columns: artist_id, image_url, name, tracks, liked, score, page_url, spotify_url.
    """
    per = _pairs(tracks, "artist_ids")
    cols = ["artist_id", "image_url", "name", "tracks", "liked", "score", "page_url",
            "spotify_url"]
    if per.empty:
        return pd.DataFrame(columns=cols)
    stats = per.groupby("item").agg(tracks=("item", "size"), liked=("liked", "sum"),
                                    score=("score", "sum"))
    info = library.artists.set_index("artist_id")[["name", "image_url"]]
    out = stats.join(info, how="left").reset_index(names="artist_id")
    out["name"] = out["name"].fillna(out["artist_id"])
    out["liked"] = out["liked"].astype(int)
    out = out.sort_values(["tracks", "liked", "name"], ascending=[False, False, True],
                          ignore_index=True)
    if n is not None:
        out = out.head(n).reset_index(drop=True)
    out["page_url"] = _urls("artist", out["name"])
    out["spotify_url"] = _spotify("artist", out["artist_id"])
    return out[cols]


def top_albums(library: Library, tracks: pd.DataFrame, n: int | None = None) -> pd.DataFrame:
    """Albums of the tracks, most tracks first.

    Columns: album_id, image_url, name, artist, tracks, liked, release_date, release_year,
    labels (list), spotify_url.
    """
    cols = ["album_id", "image_url", "name", "artist", "tracks", "liked", "release_date",
            "release_year", "labels", "spotify_url"]
    if tracks.empty:
        return pd.DataFrame(columns=cols)
    g = tracks.groupby("album_id", sort=False)
    out = g.agg(tracks=("track_id", "size"), liked=("liked", "sum"),
                name=("album_name", "first"), image_url=("image_url", "first"),
                artist=("primary_artist", "first"), release_date=("release_date", "first"),
                release_year=("release_year", "first"), labels=("labels", "first"))
    out = out.reset_index()
    out["liked"] = out["liked"].astype(int)
    out = out.sort_values(["tracks", "liked", "release_date", "name"],
                          ascending=[False, False, False, True], ignore_index=True,
                          na_position="last")
    if n is not None:
        out = out.head(n).reset_index(drop=True)
    out["spotify_url"] = _spotify("album", out["album_id"])
    return out[cols]


def genre_counts(tracks: pd.DataFrame, n: int | None = None) -> pd.DataFrame:
    """Genres of the tracks (their primary artist's genres): genre, tracks, liked, page_url."""
    out = _count(tracks, "genres", "genre")
    out = out.head(n) if n is not None else out
    out = out.assign(page_url=_urls("genre", out["genre"]))
    return out.reset_index(drop=True)


def label_counts(tracks: pd.DataFrame, n: int | None = None) -> pd.DataFrame:
    """Standardised labels of the tracks: label, tracks, liked, page_url."""
    out = _count(tracks, "labels", "label")
    out = out.head(n) if n is not None else out
    out = out.assign(page_url=_urls("label", out["label"]))
    return out.reset_index(drop=True)


def playlist_counts(library: Library, tracks: pd.DataFrame) -> pd.DataFrame:
    """Playlists holding some of the tracks: playlist_id, image_url, name, tracks (of these),
    size (all its tracks), share (of the playlist), page_url."""
    cols = ["playlist_id", "image_url", "name", "tracks", "size", "share", "page_url"]
    pt = library.playlist_tracks
    hits = pt[pt["track_id"].isin(set(tracks["track_id"]))]
    if hits.empty:
        return pd.DataFrame(columns=cols)
    counts = hits.groupby("playlist_id").size().rename("tracks")
    out = library.playlists.set_index("playlist_id")[["image_url", "name", "tracks"]] \
        .rename(columns={"tracks": "size"}).join(counts, how="inner").reset_index()
    out["share"] = out["tracks"] / out["size"].clip(lower=1)
    out = out.sort_values(["tracks", "name"], ascending=[False, True], ignore_index=True)
    out["page_url"] = _urls("playlist", out["name"])
    return out[cols]


def top_tracks(tracks: pd.DataFrame, n: int = 10) -> pd.DataFrame:
    """The tracks with the highest listening score (liked tracks first among equal scores)."""
    order = tracks.sort_values(["score", "liked", "popularity", "track_name"],
                               ascending=[False, False, False, True], na_position="last")
    return order.head(n)


# -- labels --------------------------------------------------------------------------------------
def label_aliases(library: Library, label: str) -> pd.DataFrame:
    """Every raw label string merged into ``label``, with its tracks: raw, tracks, share."""
    counts = library.label_index.aliases.get(label, {})
    out = pd.DataFrame({"raw": list(counts), "tracks": [int(v) for v in counts.values()]})
    if out.empty:
        return out.assign(share=pd.Series(dtype=float))
    out = out.sort_values(["tracks", "raw"], ascending=[False, True], ignore_index=True)
    out["share"] = out["tracks"] / out["tracks"].sum()
    return out


def co_labels(tracks: pd.DataFrame, label: str) -> pd.DataFrame:
    """Labels named together with ``label`` on the same albums: label, tracks, page_url."""
    per = _pairs(tracks, "labels")
    per = per[per["item"] != label]
    out = per.groupby("item").size().rename_axis("label").reset_index(name="tracks") \
        .sort_values(["tracks", "label"], ascending=[False, True], ignore_index=True)
    return out.assign(page_url=_urls("label", out["label"]))[["label", "tracks", "page_url"]]


# -- features ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class FeatureProfile:
    """How a scope sounds against the whole library.

    ``comparison``: one row per feature (feature, title, unit, scope_mean, library_mean,
    difference, z = difference in library standard deviations, high, low); ``binned``: shares of
    tracks per bin and feature for the scope and the library (for
    :func:`lib.analysis.charts.feature_distribution_chart`); ``highlights``: up to three phrases such as
    "more Danceable", largest differences first.
    """

    name: str
    features: tuple[str, ...]
    comparison: pd.DataFrame
    binned: pd.DataFrame
    highlights: tuple[str, ...]
    with_features: int
    total: int

    @property
    def empty(self) -> bool:
        return self.with_features == 0


@dataclass(frozen=True)
class LibraryBasis:
    """What every entity page of one library compares against, computed once per version.

    ``stats``: mean and std per profile feature (tracks with audio features); ``edges``: the bin
    edges per feature; ``binned``: the library's shares per bin (group ``name``);
    ``artist_labels``: :func:`artist_labels` of the library.
    """

    name: str
    stats: pd.DataFrame
    edges: dict[str, np.ndarray]
    binned: pd.DataFrame
    artist_labels: pd.DataFrame


def _feature_values(tracks: pd.DataFrame, features: tuple[str, ...]) -> pd.DataFrame:
    """Only the feature columns of the tracks that have audio features (cheap at any size)."""
    mask = tracks["has_features"].to_numpy(dtype=bool) if "has_features" in tracks \
        else np.ones(len(tracks), dtype=bool)
    return tracks.loc[mask, list(features)]


def _binned(values: pd.DataFrame, edges: dict[str, np.ndarray], group: str) -> pd.DataFrame:
    rows = []
    for f, e in edges.items():
        v = values[f].dropna().to_numpy()
        counts, _ = np.histogram(v, bins=e)
        rows.append(pd.DataFrame({"group": group, "feature": f, "bin_start": e[:-1],
                                  "bin_end": e[1:], "share": counts / max(len(v), 1)}))
    if not rows:
        return pd.DataFrame(columns=["group", "feature", "bin_start", "bin_end", "share"])
    return pd.concat(rows, ignore_index=True)


def library_basis(library: Library, features: tuple[str, ...] = PROFILE_FEATURES, bins: int = 20,
                  name: str = "Whole library") -> LibraryBasis:
    """The library-wide part of every entity page (see :class:`LibraryBasis`)."""
    feats = tuple(f for f in features if f in library.tracks.columns)
    values = _feature_values(library.tracks, feats)
    stats = pd.DataFrame({"mean": values.mean(), "std": values.std()}) if len(values) else \
        pd.DataFrame({"mean": np.nan, "std": np.nan}, index=list(feats))
    edges: dict[str, np.ndarray] = {}
    for f in feats:
        v = values[f].dropna()
        if v.empty:
            continue
        lo, hi = charts.FEATURE_RANGES.get(f, (float(v.min()), float(v.max())))
        lo, hi = min(lo, float(v.min())), max(hi, float(v.max()))
        edges[f] = np.linspace(lo, hi if hi > lo else lo + 1, bins + 1)
    return LibraryBasis(name=name, stats=stats, edges=edges, binned=_binned(values, edges, name),
                        artist_labels=artist_labels(library))


def feature_profile(tracks: pd.DataFrame, basis: LibraryBasis, name: str) -> FeatureProfile:
    """The scope's feature profile against the library (see :class:`FeatureProfile`)."""
    feats = tuple(basis.stats.index)
    scope = _feature_values(tracks, feats)
    rows = []
    for f in feats:
        spec = CATALOG.get(f)
        s_mean = float(scope[f].mean()) if scope[f].notna().any() else np.nan
        l_mean = float(basis.stats.at[f, "mean"])
        l_std = float(basis.stats.at[f, "std"])
        diff = s_mean - l_mean
        z = diff / l_std if l_std and np.isfinite(l_std) and l_std > 0 else np.nan
        rows.append({"feature": f, "title": spec.title if spec else f.capitalize(),
                     "unit": spec.unit if spec else "", "scope_mean": s_mean,
                     "library_mean": l_mean, "difference": diff, "z": z,
                     "high": spec.high if spec else f, "low": spec.low if spec else f})
    comparison = pd.DataFrame(rows, columns=["feature", "title", "unit", "scope_mean",
                                             "library_mean", "difference", "z", "high", "low"])
    highlights: list[str] = []
    if len(scope) >= MIN_HIGHLIGHT_TRACKS:
        ranked = comparison.dropna(subset=["z"]).assign(az=lambda d: d["z"].abs())
        for r in ranked.sort_values("az", ascending=False).itertuples():
            if r.az < 0.25 or len(highlights) == 3:
                break
            highlights.append(f"more {r.high}" if r.z > 0 else f"more {r.low}")
    group = name if name != basis.name else f"{name} (this page)"
    binned = pd.concat([_binned(scope, basis.edges, group), basis.binned], ignore_index=True) \
        if len(scope) else _binned(scope, {}, group)
    return FeatureProfile(name=name, features=feats, comparison=comparison, binned=binned,
                          highlights=tuple(highlights), with_features=len(scope),
                          total=len(tracks))


@dataclass(frozen=True)
class Extremes:
    """The tracks at both ends of one feature: ``most``/``least`` frames (image_url,
    track_name, artists, value, spotify_url) and their headings."""

    feature: str
    title: str
    most_title: str
    least_title: str
    most: pd.DataFrame
    least: pd.DataFrame


def feature_extremes(tracks: pd.DataFrame, feature: str, n: int = 10) -> Extremes:
    """"10 most Danceable tracks" and "10 least Danceable tracks" (as the original showed)."""
    spec = CATALOG.get(feature)
    title = spec.title if spec else feature.capitalize()
    high = spec.high if spec else title
    if feature in _SUPERLATIVES:
        top, bottom = _SUPERLATIVES[feature]
        most_title, least_title = f"{n} {top} tracks", f"{n} {bottom} tracks"
    else:
        most_title, least_title = f"{n} most {high} tracks", f"{n} least {high} tracks"
    cols = ["image_url", "track_name", "artists", feature, "spotify_url"]
    values = tracks[feature].dropna()
    most = tracks.loc[values.nlargest(n).index, cols].rename(columns={feature: "value"})
    least = tracks.loc[values.nsmallest(n).index, cols].rename(columns={feature: "value"})
    return Extremes(feature, title, most_title, least_title, most.reset_index(drop=True),
                    least.reset_index(drop=True))


# -- related -------------------------------------------------------------------------------------
def artist_labels(library: Library) -> pd.DataFrame:
    """Every (artist_id, label) pair of the library: the labels an artist's tracks appear on."""
    pairs = {(a, lab) for ids, ls in zip(library.tracks["artist_ids"], library.tracks["labels"])
             for a in ids for lab in ls}
    return pd.DataFrame(sorted(pairs), columns=["artist_id", "label"])


def related_artists(library: Library, artist_ids: set[str], n: int = 15,
                    pairs: pd.DataFrame | None = None) -> pd.DataFrame:
    """Artists who share labels or genres with the given artist(s), most shared first.

    Columns: artist_id, image_url, name, shared_labels (list), shared_genres (list), shared,
    tracks, page_url. ``pairs`` is :func:`artist_labels` of the library when already computed.
    """
    cols = ["artist_id", "image_url", "name", "shared_labels", "shared_genres", "shared",
            "tracks", "page_url"]
    pairs = artist_labels(library) if pairs is None else pairs
    mine = pairs["artist_id"].isin(artist_ids).to_numpy()
    my_labels = set(pairs.loc[mine, "label"])
    artists = library.artists[(library.artists["tracks"] > 0) & ~library.artists["artist_id"].isin(artist_ids)]
    my_genres = {g for gs in library.artists.loc[library.artists["artist_id"].isin(artist_ids), "genres"]
                 for g in gs}
    hits = pairs[~mine & pairs["label"].isin(my_labels)]
    n_labels = hits.groupby("artist_id").size()
    n_genres = pd.Series([len(my_genres.intersection(gs)) for gs in artists["genres"]],
                         index=artists["artist_id"].to_numpy())
    out = artists[["artist_id", "image_url", "name", "tracks", "genres"]].copy()
    out["shared"] = out["artist_id"].map(n_labels).fillna(0).astype(int).to_numpy() + \
        n_genres.to_numpy()
    out = out[out["shared"] > 0]
    if out.empty:
        return pd.DataFrame(columns=cols)
    out = out.sort_values(["shared", "tracks", "name"], ascending=[False, False, True],
                          ignore_index=True).head(n)
    top = hits[hits["artist_id"].isin(set(out["artist_id"]))].groupby("artist_id")["label"] \
        .agg(sorted)
    out["shared_labels"] = [top.get(a, []) for a in out["artist_id"]]
    out["shared_genres"] = [sorted(my_genres.intersection(gs)) for gs in out["genres"]]
    out["page_url"] = _urls("artist", out["name"])
    return out[cols]


def related_genres(tracks: pd.DataFrame, genre: str, n: int = 15) -> pd.DataFrame:
    """Genres that the artists of ``genre`` also carry: genre, tracks, page_url."""
    out = _count(tracks.assign(genres=[[g for g in gs if g != genre] for gs in tracks["genres"]]),
                 "genres", "genre").head(n)
    return out.assign(page_url=_urls("genre", out["genre"]))[["genre", "tracks", "page_url"]]


# -- index pages and lookup ----------------------------------------------------------------------
def index_table(library: Library, kind: str) -> pd.DataFrame:
    """The index of one kind of entity, biggest first: the kind's rows (see
    :class:`lib.store.kinds.EntityKind`) with a ``page_url`` column, and ``spotify_url`` where
    the kind links to Spotify.

    label: label, tracks, liked, artists, albums, top_artist, first_year, last_year;
    artist: artist_id, image_url, name, tracks, liked, top_label, genres, spotify_url;
    playlist: playlist_id, image_url, name, tracks, owner, description;
    genre: genre, tracks, liked, artists.
    """
    spec = kind_of(kind)
    out = spec.rows(library).copy()
    out["page_url"] = _urls(kind, out[spec.name_column])
    if spec.spotify is not None:
        spotify_type, id_column = spec.spotify
        out["spotify_url"] = _spotify(spotify_type, out[id_column])
    return out


def filter_index(table: pd.DataFrame, kind: str, query: str) -> pd.DataFrame:
    """Rows of an index table whose name contains ``query`` (case-insensitive)."""
    query = (query or "").strip()
    if not query:
        return table
    column = kind_of(kind).name_column
    return table[table[column].astype(str).str.contains(query, case=False, regex=False)]


def resolve_name(library: Library, kind: str, name: str | None) -> str | None:
    """The entity's exact name: ``name`` itself, else a unique case/space-insensitive match."""
    if not name:
        return None
    spec = kind_of(kind)
    names = spec.names(library)
    if name in names:
        return name
    wanted = " ".join(name.split()).casefold()
    matches = [n for n in names if " ".join(n.split()).casefold() == wanted]
    if spec.aliases is not None and not matches:  # a raw alias ("Interscope Records*") finds its label
        matches = spec.aliases(library, name)
    return matches[0] if len(matches) == 1 else None


def suggest_names(library: Library, kind: str, query: str | None, n: int = 8) -> list[str]:
    """Names close to ``query``: containing it first (biggest first), then similar spellings."""
    names = kind_of(kind).names(library)
    query = " ".join((query or "").split())
    if not query:
        return names[:n]
    q = query.casefold()
    contains = [x for x in names if q in x.casefold()]
    close = difflib.get_close_matches(q, [x.casefold() for x in names], n=n, cutoff=0.5)
    by_fold = {x.casefold(): x for x in names}
    return list(dict.fromkeys(contains + [by_fold[c] for c in close]))[:n]


# -- the whole page ------------------------------------------------------------------------------
@dataclass(frozen=True)
class EntityPage:
    """Everything an entity page shows, computed once: pages render it, reports write it.

    Sections that do not apply to a kind are empty frames (e.g. ``aliases`` outside labels).
    ``info`` holds the entity's own fields: ``image_url``, ``spotify_url``, ``genres`` (artist),
    ``owner``/``description`` (playlist), ``artist_ids`` (artist).
    """

    kind: str
    name: str
    tracks: pd.DataFrame
    summary: Summary
    top_artists: pd.DataFrame
    top_albums: pd.DataFrame
    top_tracks: pd.DataFrame
    genres: pd.DataFrame
    labels: pd.DataFrame
    playlists: pd.DataFrame
    years: pd.DataFrame
    profile: FeatureProfile
    extremes: dict[str, Extremes]
    aliases: pd.DataFrame
    co_labels: pd.DataFrame
    related_artists: pd.DataFrame
    related_genres: pd.DataFrame
    info: dict = field(default_factory=dict)

    @property
    def scope(self) -> Scope:
        return Scope(self.kind, self.name)

    @property
    def url(self) -> str:
        return entity_url(self.kind, self.name)


def build_entity_page(library: Library, kind: str, name: str, *,
                      basis: LibraryBasis | None = None) -> EntityPage:
    """Compute every section of the page of one label, artist, playlist or genre.

    ``basis`` is :func:`library_basis` of ``library`` (pages get it cached per library version).
    Raises :class:`lib.store.scopes.ScopeError` (a friendly message) when the name is unknown.
    """
    spec = KINDS.get(kind)
    if spec is None:
        raise ScopeError(f"Unknown page kind '{kind}'.")
    tracks = scope_tracks(library, Scope(kind, name))
    info: dict = {}
    if spec.details is not None:
        tracks, info = spec.details(library, name, tracks)
    ids = set(info.get("artist_ids", ()))
    artists = top_artists(library, tracks)
    if ids:  # an artist's own row is the page itself: list collaborators only
        artists = artists[~artists["artist_id"].isin(ids)].reset_index(drop=True)
    basis = library_basis(library) if basis is None else basis
    profile = feature_profile(tracks, basis, name)
    extremes = {f: feature_extremes(tracks, f) for f in profile.features} \
        if not profile.empty else {}
    empty = pd.DataFrame()
    extras = spec.extras
    return EntityPage(
        kind=kind, name=name, tracks=tracks, summary=summarize(tracks), top_artists=artists,
        top_albums=top_albums(library, tracks), top_tracks=top_tracks(tracks),
        genres=genre_counts(tracks), labels=label_counts(tracks),
        playlists=playlist_counts(library, tracks) if "playlists" in extras else empty,
        years=charts.year_counts(tracks["release_year"]), profile=profile, extremes=extremes,
        aliases=label_aliases(library, name) if "aliases" in extras else empty,
        co_labels=co_labels(tracks, name) if "co_labels" in extras else empty,
        related_artists=related_artists(library, ids, pairs=basis.artist_labels)
        if "related_artists" in extras else empty,
        related_genres=related_genres(tracks, name) if "related_genres" in extras else empty,
        info=info,
    )
