"""Reports of the label, artist, playlist and genre pages and of the library overview.

An entity report writes the :class:`lib.analysis.entities.EntityPage` the page shows, in the original
tool's page layout (``docs/original-system.md``)::

    # {Label}
    N songs
    See Clusters (in the export)
    Appears as: (every raw label string merged into the label, with track counts)
    ## Top Artists   | Art | Tracks | 💚 | Artist | 🔗 |
    ## Top Albums    | Art | Tracks | 💚 | Album | Release Date | 🔗 |
    ## Genres / Labels / Playlists / Related …
    ## Release years (chart)
    ## Track Features (profile vs the library, distribution chart, "10 most / 10 least X tracks")
    ## Tracks released under {Label}
       | Art | Track | Album | Artists | Label | Score | 💚 | 🔗 |

Long tables show 10 rows and the rest inside ``<details><summary>See all N …</summary>``.
"""

from __future__ import annotations

import pandas as pd

from lib.analysis import charts
from lib.reports import markdown as md
from lib.analysis.entities import EntityPage, Extremes, FeatureProfile, top_albums
from lib.clusters.features import describe_difference
from lib.store.library import Library
from lib.analysis.overview import kpis
from lib.reports.document import STANDALONE, Doc, Links, Report, count_line, track_table
from lib.analysis.similarity import SoundsLike
from lib.reports.similarity import add_loved_labels, add_sounds_like

_NUM = ["right"]


def entity_report(page: EntityPage, *, links: Links = STANDALONE,
                  sounds_like: SoundsLike | None = None) -> Report:
    """The report of a label, artist, playlist or genre page (what the page shows);
    ``sounds_like`` (lib.analysis.similarity) adds "Labels/Artists that sound like …"."""
    doc = Doc(links)
    s = page.summary
    doc.add(f"# {md.text(page.name)}", count_line(s.tracks, "songs"))
    facts = [f"{s.liked:,} liked", count_line(s.artists, "artists"),
             count_line(s.albums, "albums"), f"released {s.years}" if s.years else ""]
    doc.add(" · ".join(f for f in facts if f),
            _nav(("Overview", links.page("library", "", "")),
                 ("See Clusters", links.page(page.kind, page.name, "clusters"))))
    _intro(doc, page)
    if page.kind == "artist":
        doc.add("## Top Tracks", track_table(doc, page.top_tracks))
    _artists(doc, page.top_artists, "Appears with" if page.kind == "artist" else "Top Artists")
    _albums(doc, page.top_albums)
    if page.kind == "genre":
        _names(doc, "Related genres", page.related_genres, "genre", "genre", "Genre", "genres")
    else:
        _names(doc, "Genres", page.genres, "genre", "genre", "Genre", "genres")
    if page.kind == "label":
        _names(doc, "Often released with", page.co_labels, "label", "label", "Label",
               "labels")
    else:
        _names(doc, "Labels", page.labels, "label", "label", "Label", "labels")
    if page.kind != "playlist":
        _names(doc, "Playlists", page.playlists, "playlist", "name", "Playlist", "playlists")
    if page.kind == "artist":
        _related_artists(doc, page.related_artists)
    _years(doc, page.years, page.name)
    _features(doc, page.profile, page.extremes)
    if sounds_like is not None:
        add_sounds_like(doc, sounds_like)
    heading = f"Tracks released under {page.name}" if page.kind == "label" else "Tracks"
    tracks = page.tracks if page.kind == "playlist" else page.tracks.sort_values(
        ["score", "liked", "track_name"], ascending=[False, False, True])
    doc.add(f"## {md.text(heading)}", track_table(doc, tracks))
    return doc.build(page.name, md.slug(page.name).replace("_", "-"))


def _nav(*items: tuple[str, str | None]) -> str:
    """Links to the pages the site has, separated by dots ("" when there is none)."""
    return " · ".join(md.link(label, url) for label, url in items if url)


def _intro(doc: Doc, page: EntityPage) -> None:
    info = page.info
    if page.kind == "label" and not page.aliases.empty:
        doc.add("Appears as: " + ", ".join(
            f"{md.text(raw)} ({n:,})"
            for raw, n in page.aliases[["raw", "tracks"]].itertuples(index=False)))
    if page.kind in ("artist", "playlist"):
        image = doc.art(info.get("image_url"))
        spotify = md.link("Open in Spotify", info.get("spotify_url")) \
            if md.safe_url(info.get("spotify_url")) else ""
        doc.add(" ".join(x for x in (image, spotify) if x))
    if page.kind == "artist" and info.get("genres"):
        doc.add("Genres: " + ", ".join(doc.page_link("genre", g) for g in info["genres"]))
    if page.kind == "playlist":
        owner, description = info.get("owner"), info.get("description")
        doc.add(" · ".join(x for x in (
            f"By {md.text(owner)}" if not md.is_missing(owner) and owner else "",
            md.text(description) if not md.is_missing(description) and description else "")
            if x))
    if not page.profile.empty and page.profile.highlights:
        doc.add(f"Compared to the whole library: {md.text(', '.join(page.profile.highlights))}.")


def _artists(doc: Doc, artists: pd.DataFrame, heading: str) -> None:
    if artists.empty:
        return
    rows = [[doc.art(img), f"{t:,}", f"{lk:,}", doc.page_link("artist", name),
             md.spotify_link("artist", aid)]
            for aid, name, img, t, lk in artists[["artist_id", "name", "image_url", "tracks",
                                                  "liked"]].head(md.ROW_CAP)
            .itertuples(index=False)]
    doc.add(f"## {heading}", md.truncated_table(
        ["Art", "Tracks", "💚", "Artist", "🔗"], rows, noun="artists", total=len(artists),
        align=["left", "right", "right", "left", "left"]))


def _albums(doc: Doc, albums: pd.DataFrame) -> None:
    if albums.empty:
        return
    rows = [[doc.art(img), f"{t:,}", f"{lk:,}", md.text(name), md.text(date),
             md.spotify_link("album", aid)]
            for aid, name, date, img, t, lk in albums[["album_id", "name", "release_date",
                                                       "image_url", "tracks", "liked"]]
            .head(md.ROW_CAP).itertuples(index=False)]
    doc.add("## Top Albums", md.truncated_table(
        ["Art", "Tracks", "💚", "Album", "Release Date", "🔗"], rows, noun="albums",
        total=len(albums),
        align=["left", "right", "right", "left", "left", "left"]))


def _names(doc: Doc, heading: str, frame: pd.DataFrame, kind: str, column: str, title: str,
           noun: str) -> None:
    """A "name | Tracks | 💚" table, names linked to their pages when the site has them."""
    if frame.empty:
        return
    cols = [column, "tracks"] + (["liked"] if "liked" in frame else [])
    headers = [title, "Tracks"] + (["💚"] if "liked" in frame else [])
    rows = [[doc.page_link(kind, r[0])] + [f"{int(v):,}" for v in r[1:]]
            for r in frame[cols].head(md.ROW_CAP).itertuples(index=False)]
    doc.add(f"## {heading}", md.truncated_table(headers, rows, noun=noun, total=len(frame),
                                                align=["left"] + _NUM * (len(cols) - 1)))


def _related_artists(doc: Doc, related: pd.DataFrame) -> None:
    if related.empty:
        return
    rows = [[doc.art(img), doc.page_link("artist", name),
             ", ".join(doc.page_link("label", x) for x in labels),
             ", ".join(doc.page_link("genre", x) for x in genres)]
            for img, name, labels, genres in related[["image_url", "name", "shared_labels",
                                                      "shared_genres"]].itertuples(index=False)]
    doc.add("## Related artists", "Artists of the library who share labels or genres.",
            md.truncated_table(["Art", "Artist", "Shared labels", "Shared genres"], rows,
                               noun="related artists"))


def _years(doc: Doc, years: pd.DataFrame, name: str) -> None:
    if years.empty or years["tracks"].sum() == 0:
        return
    peak = years.sort_values(["tracks", "year"], ascending=[False, True]).iloc[0]
    doc.add("## Release years",
            f"From {int(years['year'].min())} to {int(years['year'].max())}; most tracks in "
            f"{int(peak['year'])} ({int(peak['tracks']):,}).")
    doc.chart(f"Tracks of {name} by release year", "release_years",
              charts.year_chart(years, title=None))


def _features(doc: Doc, profile: FeatureProfile, extremes: dict[str, Extremes]) -> None:
    """The original's Track Features page: profile, distributions, "10 most / 10 least"."""
    if profile.empty:
        doc.add("## Track Features", "No track here has audio features yet.")
        return
    doc.add("## Track Features",
            f"{profile.with_features:,} of {count_line(profile.total)} have audio features; "
            f"compared to all tracks of the library with audio features.")
    rows = []
    for title, unit, mean, lib_mean, z in profile.comparison[
            ["title", "unit", "scope_mean", "library_mean", "z"]].itertuples(index=False):
        digits = 0 if unit == "BPM" else 1 if unit else 2
        diff = describe_difference(float(z)) if pd.notna(z) else ""
        rows.append([md.text(title + (f" ({unit})" if unit else "")), _num(mean, digits),
                     _num(lib_mean, digits), diff])
    doc.add(md.table(["Feature", md.text(profile.name), "Library", "Difference"], rows,
                     ["left", "right", "right", "right"]))
    if not profile.binned.empty:
        doc.chart(f"Audio features of {profile.name} compared to the library", "track_features",
                  charts.feature_distribution_chart(profile.binned))
    for ext in extremes.values():
        if ext.most.empty:
            continue
        rows = [[_extreme(ext.most, i), _extreme(ext.least, i)]
                for i in range(max(len(ext.most), len(ext.least)))]
        doc.add(f"### {md.text(ext.title)}",
                md.table([md.text(ext.most_title), md.text(ext.least_title)], rows))


def _num(value: float, digits: int) -> str:
    return "" if pd.isna(value) else f"{value:.{digits}f}"


def _extreme(frame: pd.DataFrame, i: int) -> str:
    """"Track — Artists (0.91)", the track linked to Spotify."""
    if i >= len(frame):
        return ""
    row = frame.iloc[i]
    value = float(row["value"])
    shown = f"{value:.0f}" if abs(value) >= 20 else f"{value:.2f}"
    return f"{md.link(row['track_name'], row['spotify_url'])} — {md.text(row['artists'])} " \
           f"({shown})"


def overview_report(library: Library, *, links: Links = STANDALONE,
                    loved: tuple[pd.DataFrame, pd.DataFrame] | None = None) -> Report:
    """The overview page: counts, top labels / artists / albums / genres / playlists / release
    years, each a table (linking to the pages the site has) and a bar chart."""
    doc = Doc(links)
    k = kpis(library)
    doc.add("# Library overview",
            f"{k.tracks:,} tracks · {k.artists:,} artists · {k.albums:,} albums · "
            f"{k.labels:,} labels · {len(library.playlists):,} playlists · {len(library.genres):,} "
            f"genres · {k.liked_share:.0%} liked · {k.features_share:.0%} with audio features",
            _nav(("See Clusters of the whole library", links.page("library", "", "clusters"))))
    _names(doc, "Top Labels", library.labels, "label", "label", "Label", "labels")
    doc.chart("Top labels", "top_labels", _bar(library.labels, "label", "Label"))
    artists = library.artists[library.artists["tracks"] > 0]
    _artists(doc, artists, "Top Artists")
    doc.chart("Top artists", "top_artists", _bar(artists, "name", "Artist"))
    _albums(doc, top_albums(library, library.tracks))
    _names(doc, "Top Genres", library.genres, "genre", "genre", "Genre", "genres")
    doc.chart("Top genres", "top_genres", _bar(library.genres, "genre", "Genre"))
    _names(doc, "Playlists", library.playlists, "playlist", "name", "Playlist", "playlists")
    _years(doc, charts.year_counts(library.tracks["release_year"]), "the library")
    if loved is not None:  # (loved, overlooked) of lib.analysis.similarity
        add_loved_labels(doc, *loved)
    return doc.build("Library overview", "overview")


def _bar(frame: pd.DataFrame, column: str, title: str, n: int = 15):
    if frame.empty:
        return None
    top = frame.head(n)[[column, "tracks"]].rename(columns={column: title})
    return charts.bar_chart(top, title, "tracks")
