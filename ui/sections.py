"""Sections of the label, artist, playlist and genre pages, written once and used by every page.

Each renderer takes data computed in :mod:`lib.analysis.entities` (an :class:`~lib.analysis.entities.EntityPage`
or one of its frames) and draws it; none computes anything beyond picking columns. Text from data
goes through :func:`lib.reports.markdown.streamlit_text` wherever Streamlit would read Markdown
(titles, captions, link labels, messages); tables show it as plain cells. Selecting a name cell (or
another cell of a row) opens that page in the same tab and session, keeping the library
(:func:`ui.tables.open_selected_cell`).
"""

from __future__ import annotations

import re
from typing import Callable

import pandas as pd
import streamlit as st

from lib import labels as label_edits
from lib.analysis import (EntityPage, Extremes, charts, display as T, filter_index, index_table,
                          resolve_name, suggest_names)
from lib.analysis.entities import label_aliases
from lib.analysis.overview import CoverageReport
from lib.reports import streamlit_text
from lib.store import KINDS, EntityKind, Library, Part
from ui.cache import get_entity_page, get_library, get_store
from ui.charts import cached_spec
from ui import compare_control, label_family, sound_alike
from ui.downloads import download_entity
from ui.session import active_library_id, current_library, library_writable, link_params
from ui.tables import LINKED_TRACK_COLUMN_CONFIG, open_selected_cell, show_linked_tracks

# Track tables on entity pages: like every track table, with columns sized so Score, 💚 and 🔗
# stay in view beside long label strings.
TRACKS_CONFIG = {
    **LINKED_TRACK_COLUMN_CONFIG,
    "Album": st.column_config.TextColumn("Album", width="medium"),
    "Artists": st.column_config.TextColumn("Artists", width="medium",
                                           help="Select to open the (first) artist's page"),
    "Label": st.column_config.TextColumn("Label", width="medium",
                                         help="Select to open the label's page"),
    "Score": st.column_config.NumberColumn("Score", format="%.0f", width=60,
                                           help="Minutes listened (0 when unknown)"),
    "💚": st.column_config.TextColumn("💚", width=40, help="Liked"),
    "🔗": st.column_config.LinkColumn("🔗", display_text="Open", width=60,
                                     help="Open in Spotify"),
}

ART_ROW_HEIGHT = 48
TABLE_ROWS = 10         # rows visible before a table scrolls (the original showed 10)
TRACK_LIMIT = 2000      # rows of a tracks table sent to the browser
INDEX_LIMIT = 5000      # rows of an index table sent to the browser
_FLASH_KEY = "_entity_flash"

def safe_image(url: object) -> str | None:
    """The URL if it is an http(s) or data:image URL (never a local path or other scheme)."""
    if isinstance(url, str) and (url.startswith(("https://", "http://"))
                                 or re.match(r"^data:image/(png|jpeg|gif|webp|svg\+xml);", url)):
        return url
    return None


# -- column configurations ------------------------------------------------------------------------
def _name(title: str, help: str | None = None) -> st.column_config.Column:
    return st.column_config.TextColumn(title, help=help or "Select to open its page")


ART = st.column_config.ImageColumn("Art", width="small")
SPOTIFY = st.column_config.LinkColumn("🔗", display_text="Open", width=50,
                                      help="Open in Spotify")
LIKED = st.column_config.NumberColumn("💚", width=45, help="Liked tracks")
TRACKS = st.column_config.NumberColumn("Tracks", format="%d", width=60)
SHARE = st.column_config.ProgressColumn("Share", format="percent", min_value=0, max_value=1)


def _height(n: int, row: int, max_rows: int = TABLE_ROWS) -> int:
    return 38 + row * max(1, min(n, max_rows)) + 3


def _table(frame: pd.DataFrame, config: dict, *, key: str, art: bool = False,
           max_rows: int = TABLE_ROWS, navigate: tuple[str, pd.Series] | None = None,
           links: dict[str, tuple[str, pd.Series]] | None = None) -> None:
    """One section table; ``navigate=(kind, names)`` opens the selected row's page, ``links``
    (column → (kind, names)) the page of a selected cell of that column."""
    row = ART_ROW_HEIGHT if art else 35
    kwargs: dict = {}
    if navigate is not None or links:
        kwargs = {"on_select": "rerun", "selection_mode": "single-cell"}
    event = st.dataframe(frame, hide_index=True, column_config=config, key=key,
                         height=_height(len(frame), row, max_rows), row_height=row, **kwargs)
    if navigate is not None or links:
        _open_selected(event, *(navigate or (None, None)), links=links)


def _open_selected(event: object, kind: str | None, names: pd.Series | None,
                   links: dict[str, tuple[str, pd.Series]] | None = None) -> None:
    """Open the page of the selected cell: its column's target in ``links``, else the row's."""
    targets = {c: (k, n.reset_index(drop=True)) for c, (k, n) in (links or {}).items()}
    if kind is not None and names is not None:
        targets[""] = (kind, names.reset_index(drop=True))
    open_selected_cell(event, targets, default="" if "" in targets else None)


def _more(n: int, noun: str) -> None:
    if n > TABLE_ROWS:
        st.caption(f"{n:,} {noun} · scroll for all, click a column to sort")


def _section(title: str, frame: pd.DataFrame, empty: str) -> bool:
    """A section heading; False (after saying ``empty``) when there is nothing to show."""
    st.subheader(title, anchor=False)
    if frame.empty:
        st.caption(empty)
        return False
    return True


# -- page parts ----------------------------------------------------------------------------------
def flash() -> None:
    """The message left by the previous run (an alias edit), shown once."""
    message = st.session_state.pop(_FLASH_KEY, None)
    if message:
        st.success(streamlit_text(message), icon="✅")


def back_link(kind: str) -> None:
    spec = KINDS[kind]
    st.page_link(spec.page_file, label=f"All {spec.plural}", icon=":material/arrow_back:",
                 query_params=link_params())


def entity_header(page: EntityPage) -> None:
    """Back link, image, title, "N songs", the kind's subtitle, headline numbers and the sound in
    one line."""
    back_link(page.kind)
    image = safe_image(page.info.get("image_url"))
    if image:
        left, right = st.columns([1, 6], vertical_alignment="center")
        left.image(image, width=140)
        box = right
    else:
        box = st.container()
    s = page.summary
    with box:
        st.title(f"{KINDS[page.kind].icon} {streamlit_text(page.name)}", anchor=False)
        st.markdown(f"**{s.tracks:,} {'song' if s.tracks == 1 else 'songs'}**"
                    + (f" · released {s.years}" if s.years else ""))
        _subtitle(page)
    numbers = [(title, value(page)) for title, value in KINDS[page.kind].metrics]
    cols = st.columns(len(numbers) + 1)
    for col, (title, value) in zip(cols, numbers):
        col.metric(title, f"{value:,}")
    cols[-1].metric("Minutes listened", f"{s.score:,.0f}",
                    help="Sum of the listening scores (0 when unknown)")
    if page.profile.highlights:
        words = [h.replace("more ", "") for h in page.profile.highlights]
        st.markdown("Sounds " + ", ".join(f"**more {streamlit_text(w)}**" for w in words)
                    + " than the whole library.")


def _subtitle(page: EntityPage) -> None:
    """The kind's line under the title: pills that open pages (an artist's genres; pills, not
    Markdown links, which would open a new tab and a new session) or a caption."""
    pieces = KINDS[page.kind].subtitle(page)
    if not pieces:
        return
    links = [text for text, url in pieces if url]
    if links:
        picked = st.pills("Genres", links, key=f"{page.kind}_subtitle_pills",
                          label_visibility="collapsed")
        if picked:
            st.switch_page(KINDS["genre"].page_file, query_params=link_params(genre=picked))
    else:
        st.caption(" · ".join(streamlit_text(text) for text, _ in pieces))


def actions(page: EntityPage) -> None:
    """"Cluster this …" (opens Clusters with the scope set) and the Spotify link."""
    cols = st.columns([2, 2, 6])
    n = page.summary.with_features
    with cols[0]:
        st.page_link("app_pages/clusters.py", label=f"Cluster this {page.kind}", icon="🧭",
                     query_params=link_params(**page.scope.query_params()), disabled=n < 10,
                     help=("Group these tracks by how they sound" if n >= 10 else
                           "Needs at least 10 tracks with audio features"))
    url = page.info.get("spotify_url")
    if isinstance(url, str) and url.startswith("https://open.spotify.com/"):
        with cols[1]:
            st.link_button("Open in Spotify", url, icon=":material/open_in_new:")


def aliases_section(page: EntityPage) -> None:
    """"Appears as": every raw label string merged into the label, with its tracks."""
    st.subheader("Appears as", anchor=False)
    frame = T.aliases_display(page.aliases)
    _table(frame, {"Appears as": st.column_config.TextColumn("Appears as", width="large"),
                   "Tracks": TRACKS, "Share": SHARE}, key="aliases", max_rows=8)


def top_artists_section(frame: pd.DataFrame, *, title: str = "Top artists", key: str,
                        empty: str = "No artists.") -> None:
    """Album-art style table of artists: image, tracks, 💚, link to the page and to Spotify."""
    if not _section(title, frame, empty):
        return
    _table(T.artists_display(frame), {"Art": ART, "Artist": _name("Artist"), "Tracks": TRACKS,
                                      "💚": LIKED, "🔗": SPOTIFY},
           key=key, art=True, navigate=("artist", frame["name"]))
    _more(len(frame), "artists")


def top_albums_section(frame: pd.DataFrame, *, key: str, title: str = "Top albums") -> None:
    if not _section(title, frame, "No albums."):
        return
    _table(T.albums_display(frame), {
        "Art": ART, "Album": st.column_config.TextColumn("Album"),
        "Artist": _name("Artist"), "Tracks": TRACKS, "💚": LIKED,
        "Release date": st.column_config.TextColumn("Released", width=90), "🔗": SPOTIFY},
        key=key, art=True, links={"Artist": ("artist", frame["artist"])})
    _more(len(frame), "albums")


def _clickable_bars(frame: pd.DataFrame, category: str, value: str, *, key: str,
                    tooltip: list[str]) -> object:
    spec = cached_spec(charts.bar_chart, frame, category, value, tooltip=tuple(tooltip),
                       select="pick")
    return st.vega_lite_chart(spec=spec, on_select="rerun", selection_mode="pick", key=key)


def _open_picked(event: object, kind: str, field: str) -> None:
    picked = (getattr(event, "selection", None) or {}).get("pick") or []
    if picked and isinstance(picked[0], dict) and picked[0].get(field):
        spec = KINDS[kind]
        st.switch_page(spec.page_file,
                       query_params=link_params(**{spec.param: str(picked[0][field])}))


def ranking_section(frame: pd.DataFrame, kind: str, *, title: str, key: str,
                    empty: str, bars: int = 15) -> None:
    """Genres or labels of a page: a bar chart of the top ones (click a bar to open it) and the
    full table."""
    if not _section(title, frame, empty):
        return
    chart_tab, table_tab = st.tabs(["Chart", "Table"])
    with chart_tab:
        event = _clickable_bars(frame.head(bars), kind, "tracks", key=f"{key}_chart",
                                tooltip=[kind, "tracks", "liked"] if "liked" in frame
                                else [kind, "tracks"])
        _open_picked(event, kind, kind)
        if len(frame) > bars:
            st.caption(f"Top {bars} of {len(frame):,}; all in the table.")
    with table_tab:
        title_col = KINDS[kind].title
        _table(T.counts_display(frame, kind), {title_col: _name(title_col), "Tracks": TRACKS,
                                               "💚": LIKED}, key=f"{key}_table",
               navigate=(kind, frame[kind]))


def coverage_section(report: CoverageReport) -> None:
    """Share of tracks with audio features, labels, genres and scores, and how to get more
    (``report``: lib.analysis.overview.coverage_report, e.g. ``get_overview(library_id).coverage``)."""
    cols = st.columns(len(report))
    for col, (measure, share, _, _) in zip(cols, report):
        col.metric(f"With {measure}", f"{share:.0%}")
    for measure, _, missing, hint in report:
        if missing:
            st.markdown(f"- **{missing:,} tracks without {measure}.** {hint}")


def years_section(years: pd.DataFrame, *, title: str = "Release years") -> None:
    if not _section(title, years, "No release dates known."):
        return
    st.vega_lite_chart(spec=cached_spec(charts.year_chart, years, title=None))


def playlists_section(frame: pd.DataFrame, *, key: str, title: str = "In playlists") -> None:
    if not _section(title, frame, "In none of your playlists."):
        return
    _table(T.playlists_display(frame), {
        "Art": ART, "Playlist": _name("Playlist"), "Tracks": TRACKS,
        "Share of playlist": st.column_config.ProgressColumn(
            "Share of playlist", format="percent", min_value=0, max_value=1)},
        key=key, art=True, navigate=("playlist", frame["name"]))


def related_artists_section(frame: pd.DataFrame, *, key: str) -> None:
    if not _section("Related artists in your library", frame,
                    "No other artist shares a label or genre."):
        return
    st.caption("Artists who share labels or genres with this one, most shared first.")
    _table(T.related_display(frame), {
        "Art": ART, "Artist": _name("Artist"),
        "Shared labels": st.column_config.ListColumn("Shared labels", width="large"),
        "Shared genres": st.column_config.ListColumn("Shared genres", width="medium"),
        "Tracks": TRACKS}, key=key, art=True, navigate=("artist", frame["name"]))


def top_tracks_section(tracks: pd.DataFrame, *, key: str, title: str = "Top tracks") -> None:
    if not _section(title, tracks, "No tracks."):
        return
    show_linked_tracks(tracks, column_config=TRACKS_CONFIG, key=key, row_height=ART_ROW_HEIGHT,
                       height=_height(len(tracks), ART_ROW_HEIGHT))


def feature_grid(binned: pd.DataFrame, *, columns: int = 3) -> None:
    """The feature distributions as a grid of ``columns`` charts per row, each as wide as its
    column; Streamlit stacks the columns on a narrow window, so the grid fits a phone."""
    grid = cached_spec(charts.feature_distribution_charts, binned)
    for start in range(0, len(grid), columns):
        for column, spec in zip(st.columns(columns), grid[start:start + columns]):
            with column:
                st.vega_lite_chart(spec=spec, width="stretch")


def feature_section(page: EntityPage) -> None:
    """The page's sound against the whole library: distributions per feature, averages, and
    "10 most / 10 least <Adjective> tracks" per feature."""
    st.subheader("Sound", anchor=False)
    profile = page.profile
    if profile.empty:
        st.info("None of these tracks has audio features yet, so there is no sound profile. "
                "The Home page's *Data coverage* says how to add them.", icon="🎚️")
        return
    missing = profile.total - profile.with_features
    st.caption(f"Compared with the whole library · {profile.with_features:,} of "
               f"{profile.total:,} tracks have audio features"
               + (f" ({missing:,} without are left out)" if missing else ""))
    feature_grid(profile.binned)
    with st.expander("Averages against the library"):
        cmp = profile.comparison
        st.dataframe(pd.DataFrame({
            "Feature": cmp["title"], "This " + page.kind: cmp["scope_mean"],
            "Library": cmp["library_mean"], "Difference": cmp["difference"],
            "In library std": cmp["z"]}), hide_index=True, column_config={
                "This " + page.kind: st.column_config.NumberColumn(format="%.3f"),
                "Library": st.column_config.NumberColumn(format="%.3f"),
                "Difference": st.column_config.NumberColumn(format="%+.3f"),
                "In library std": st.column_config.NumberColumn(
                    format="%+.2f", help="Difference in standard deviations of the library")})
    if page.extremes:
        st.markdown("**Tracks at both ends of each feature**")
        tabs = st.tabs([e.title for e in page.extremes.values()])
        for tab, ex in zip(tabs, page.extremes.values()):
            with tab:
                _extremes(ex)


def _extremes(ex: Extremes) -> None:
    fmt = "%.1f" if ex.feature in ("tempo", "loudness") else "%.3f"
    config = {"Art": ART, "Track": st.column_config.TextColumn("Track"),
              "Artists": st.column_config.TextColumn("Artists"),
              ex.title: st.column_config.NumberColumn(ex.title, format=fmt, width="small"),
              "🔗": SPOTIFY}
    left, right = st.columns(2)
    for col, title, frame, side in ((left, ex.most_title, ex.most, "most"),
                                    (right, ex.least_title, ex.least, "least")):
        with col:
            st.markdown(f"**{streamlit_text(title)}**")
            st.dataframe(T.extremes_display(frame, ex.title), hide_index=True,
                         column_config=config, key=f"extremes_{ex.feature}_{side}",
                         row_height=ART_ROW_HEIGHT, height=_height(len(frame), ART_ROW_HEIGHT))


def tracks_section(page: EntityPage, *, title: str, key: str = "tracks",
                   order: str = "score") -> None:
    """Every track of the page (Art, Track, Album, Artists, Label, Score, 💚, 🔗) with a filter.

    ``order``: "score" (highest listening score first) or "given" (e.g. playlist order)."""
    st.subheader(title, anchor=False)
    tracks = page.tracks
    query = st.text_input("Filter tracks", key=f"{key}_filter", placeholder="Track, album or artist",
                          label_visibility="collapsed")
    if query:
        q = query.strip()
        hit = (tracks["track_name"].str.contains(q, case=False, regex=False, na=False)
               | tracks["album_name"].str.contains(q, case=False, regex=False, na=False)
               | tracks["artists"].str.contains(q, case=False, regex=False, na=False))
        tracks = tracks[hit]
    if order == "score":
        tracks = tracks.sort_values(["score", "liked", "track_name"],
                                    ascending=[False, False, True])
    shown = tracks.head(TRACK_LIMIT)
    note = f"{len(tracks):,} tracks" + (f" · showing the first {TRACK_LIMIT:,}; filter to find "
                                        "others" if len(tracks) > TRACK_LIMIT else "")
    st.caption(note + (" · playlist order" if order == "given" else " · highest score first"))
    if shown.empty:
        st.caption("No track matches.")
        return
    show_linked_tracks(shown, column_config=TRACKS_CONFIG, key=key, row_height=ART_ROW_HEIGHT,
                       height=_height(len(shown), ART_ROW_HEIGHT, 12))


# -- index and not found ------------------------------------------------------------------------
def _search_param(label: str, placeholder: str) -> str:
    """A search box whose text lives in the URL (``?q=…``) so searches are bookmarkable."""
    current = st.query_params.get("q", "")
    query = st.text_input(label, value=current, placeholder=placeholder, key="index_search")
    if query != current:
        if query:
            st.query_params["q"] = query
        elif "q" in st.query_params:
            del st.query_params["q"]
    return query


def index_page(library: Library, kind: str, *, title: str, caption: str | None = None,
               bars: int = 0) -> pd.DataFrame:
    """The index of one kind: search (``?q=``), an optional top-``bars`` chart (click a bar to
    open it), and a sortable table (select a row to open it). Returns the filtered table."""
    spec = KINDS[kind]
    plural = spec.plural
    st.title(f"{spec.icon} {title}", anchor=False)
    if caption:
        st.caption(caption)
    table = index_table(library, kind)
    if table.empty:
        st.info(f"No {plural} in this library yet. Import your music on the Data page.")
        st.page_link("app_pages/data.py", label="Go to Data", icon="💾",
                     query_params=link_params())
        return table
    query = _search_param(f"Search {plural}", f"Type part of {spec.article} {kind} name")
    found = filter_index(table, kind, query)
    name_col = spec.name_column
    if found.empty:
        st.warning(streamlit_text(f'No {kind} matches "{query}".'))
        close = suggest_names(library, kind, query)
        if close:
            st.caption("Did you mean:")
            _suggestions(kind, close)
        return found
    if bars:
        top = found.head(bars)
        top_n = min(bars, len(found))
        st.subheader(f"Top {top_n} {kind if top_n == 1 else plural} by tracks", anchor=False)
        tooltip = [c for c in (name_col, "tracks", "liked", "artists", "top_artist")
                   if c in top]
        event = _clickable_bars(top, name_col, "tracks", key=f"{kind}_index_chart",
                                tooltip=tooltip)
        _open_picked(event, kind, name_col)
        st.caption("Click a bar to open its page.")
    st.subheader(f"All {plural}" if not query else
                 f"{T.count_noun(len(found), 'matching ' + kind, 'matching ' + plural)}",
                 anchor=False)
    shown = found.head(INDEX_LIMIT)
    config = {"Art": ART, "🔗": SPOTIFY, "Tracks": TRACKS, "💚": LIKED,
              "Label": _name("Label"), "Artist": _name("Artist"), "Playlist": _name("Playlist"),
              "Genre": _name("Genre"), "Top artist": _name("Top artist"),
              "Top label": _name("Top label"), "Genres": st.column_config.ListColumn("Genres"),
              "Artists": st.column_config.NumberColumn("Artists", format="%d"),
              "Albums": st.column_config.NumberColumn("Albums", format="%d"),
              "First release": st.column_config.NumberColumn("First release", format="%d"),
              "Last release": st.column_config.NumberColumn("Last release", format="%d")}
    row = ART_ROW_HEIGHT if spec.art else 35
    event = st.dataframe(T.index_display(shown, kind), hide_index=True, column_config=config,
                         key=f"{kind}_index", on_select="rerun", selection_mode="single-cell",
                         row_height=row, height=_height(len(shown), row, 15))
    _open_selected(event, kind, shown[name_col], links={
        title: (target, shown[column]) for title, column, target in spec.index_columns
        if target and column != name_col and column in shown})
    st.caption(f"{len(found):,} {plural}"
               + (f" · showing the {INDEX_LIMIT:,} largest; search to find others"
                  if len(found) > INDEX_LIMIT else "")
               + " · click a column to sort, click a name to open its page")
    return found


def _suggestions(kind: str, names: list[str]) -> None:
    cols = st.columns(2)
    for i, name in enumerate(names):
        spec = KINDS[kind]
        cols[i % 2].page_link(spec.page_file, label=streamlit_text(name), icon=spec.icon,
                              query_params=link_params(**{spec.param: name}))


def entity_from_url(library: Library, kind: str, index: Callable[[], object]) -> str:
    """The entity the URL names (``?label=…``), by its canonical name.

    Without the parameter, renders the index (``index()``) and stops the page; for an unknown
    name, renders :func:`not_found` and stops. A name written another way (case, spaces, a raw
    label alias) is replaced in the URL by the canonical one."""
    param = KINDS[kind].param
    requested = st.query_params.get(param)
    if requested is None:
        index()
        st.stop()
    name = resolve_name(library, kind, requested)
    if name is None:
        not_found(library, kind, requested)
        st.stop()
    if name != requested:
        st.query_params[param] = name
    return name


def not_found(library: Library, kind: str, requested: str) -> None:
    """A friendly "not found" with a search box and the closest names."""
    back_link(kind)
    spec = KINDS[kind]
    plural = spec.plural
    st.title(f"{spec.title} not found", anchor=False)
    st.warning(streamlit_text(f'There is no {kind} called "{requested}" in this library.'), icon="🔎")
    query = st.text_input(f"Search {plural}", value=requested, key="not_found_search",
                          placeholder=f"Type part of {spec.article} {kind} name")
    close = suggest_names(library, kind, query)
    if close:
        st.caption("Closest matches:" if query else f"Largest {plural}:")
        _suggestions(kind, close)
    else:
        st.caption(streamlit_text(f'Nothing matches "{query}".'))


# -- the whole page ------------------------------------------------------------------------------
def _ranking(column: str, kind: str) -> Callable[..., None]:
    def part(page: EntityPage, key: str, **text: str) -> None:
        ranking_section(getattr(page, column), kind, key=key, **text)
    return part


# What each Part of a kind's layout (lib.store.kinds) draws: f(page, key, **title/empty).
PARTS: dict[str, Callable[..., None]] = {
    "flash": lambda page, key: flash(),
    "header": lambda page, key: entity_header(page),
    "actions": lambda page, key: actions(page),
    "aliases": lambda page, key: aliases_section(page),
    "edit_labels": lambda page, key: label_edit_panel(current_library(), active_library_id(),
                                                      page.name),
    "top_artists": lambda page, key, **t: top_artists_section(page.top_artists, key=key, **t),
    "top_albums": lambda page, key, **t: top_albums_section(page.top_albums, key=key, **t),
    "top_tracks": lambda page, key, **t: top_tracks_section(page.top_tracks, key=key, **t),
    "genres": _ranking("genres", "genre"),
    "labels": _ranking("labels", "label"),
    "co_labels": _ranking("co_labels", "label"),
    "related_genres": _ranking("related_genres", "genre"),
    "years": lambda page, key, **t: years_section(page.years, **t),
    "playlists": lambda page, key, **t: playlists_section(page.playlists, key=key, **t),
    "related_artists": lambda page, key: related_artists_section(page.related_artists, key=key),
    "compare": lambda page, key: compare_control.compare_with(page),
    "sounds_like": lambda page, key: sound_alike.sounds_like_section(active_library_id(),
                                                                     page.kind, page.name),
    "family": lambda page, key: label_family.family_section(current_library(),
                                                            active_library_id(), page.name),
    "features": lambda page, key: feature_section(page),
    "tracks": lambda page, key, title: tracks_section(
        page, title=title.format(name=streamlit_text(page.name)),
        order=KINDS[page.kind].track_order),
}


# What a kind's ``index_parts`` draw under its index: f(library).
INDEX_PARTS: dict[str, Callable[..., None]] = {
    "families": lambda library: label_family.family_index_section(library, active_library_id()),
}


def _draw(part: Part, page: EntityPage) -> None:
    text = {k: v for k, v in (("title", part.title), ("empty", part.empty)) if v is not None}
    PARTS[part.what](page, f"{page.kind}_{part.key or part.what}", **text)


def entity_page(kind: str) -> None:
    """A whole label, artist, playlist or genre page, laid out as the kind's registry entry says:
    the index without ``?{param}=`` in the URL, "not found" for an unknown name, else the
    entity's parts row by row (two parts in a row share it in columns) and its downloads."""
    spec: EntityKind = KINDS[kind]
    library = current_library()

    def index() -> None:
        index_page(library, kind, title=spec.index_title, caption=spec.index_caption(library),
                   bars=spec.index_bars)
        for part in spec.index_parts:
            INDEX_PARTS[part](library)

    name = entity_from_url(library, kind, index)
    page = get_entity_page(active_library_id(), kind, name)
    for row in spec.layout:
        if len(row) == 1:
            _draw(row[0], page)
            continue
        for column, part in zip(st.columns(len(row)), row):
            with column:
                _draw(part, page)
    download_entity(page)


# -- label alias edits ---------------------------------------------------------------------------
def label_edit_panel(library: Library, library_id: str, label: str) -> None:
    """"Edit aliases": merge labels, move a raw alias to another label, rename, and undo.

    Edits are stored with the library (DuckDB) and apply on every page; the page follows the
    label to its new name."""
    if not library_writable(library_id):  # hosted: the demo and others' libraries are read-only
        return
    store = get_store()
    index = library.label_index
    key = index.key_of_name.get(label, label)
    # The edits this library version was built with: the stored ones (a write bumps the
    # version), without opening the store on every rerun (~70 ms of a label page's at 300k).
    edits = list(index.edits)
    with st.expander("Edit aliases", icon=":material/edit:"):
        st.caption("Corrections are saved with this library, apply on every page and can be "
                   "undone under History.")
        merge_tab, move_tab, rename_tab, history_tab = st.tabs(
            ["Merge labels", "Move an alias", "Rename", f"History ({len(edits)})"])
        counts = dict(zip(library.labels["label"], library.labels["tracks"]))
        others = [n for n in library.labels["label"] if n != label]
        with merge_tab:
            direction = st.radio("Merge", ["in", "out"], horizontal=True, key=f"le_dir_{key}",
                                 format_func=lambda d: ("another label into this one" if d == "in"
                                                        else "this label into another"))
            other = st.selectbox("Other label", others, index=None, key=f"le_other_{key}",
                                 placeholder="Choose a label",
                                 format_func=lambda n: f"{n} ({counts.get(n, 0):,} tracks)")
            if st.button("Merge", key=f"le_merge_{key}", disabled=other is None, type="primary"):
                source, target = (other, label) if direction == "in" else (label, other)
                _edit(lambda: label_edits.merge_labels(store, library_id, index, source, target),
                      library_id, follow=index.key_of_name.get(target, key))
        with move_tab:
            aliases = label_aliases(library, label)
            raws = aliases["raw"].tolist()
            n_of = dict(zip(aliases["raw"], aliases["tracks"]))
            raw = st.selectbox("Alias to move", raws, index=None, key=f"le_raw_{key}",
                               placeholder="Choose a raw label string",
                               format_func=lambda r: f"{r} ({n_of.get(r, 0):,} tracks)")
            new = st.text_input("Move it to", key=f"le_new_{key}",
                                placeholder="A new label name, or an existing label's name",
                                help="Its tracks leave this label and count under that one.")
            if st.button("Move alias", key=f"le_move_{key}", disabled=not raw or not new.strip(),
                         type="primary"):
                _edit(lambda: label_edits.split_alias(store, library_id, index, label, raw, new),
                      library_id, follow=key)
        with rename_tab:
            name = st.text_input("New name", value=label, key=f"le_name_{key}")
            if st.button("Rename", key=f"le_rename_{key}", type="primary",
                         disabled=not name.strip() or name.strip() == label):
                _edit(lambda: label_edits.rename_label(store, library_id, index, label, name),
                      library_id, follow=key)
        with history_tab:
            if not edits:
                st.caption("No corrections yet.")
            for e in reversed(edits):
                text_col, button_col = st.columns([6, 1], vertical_alignment="center")
                when = e.created_at.strftime("%Y-%m-%d %H:%M") if e.created_at is not None else ""
                text_col.markdown(f"{streamlit_text(e.describe())}  \n:gray[{streamlit_text(when)}]")
                if button_col.button("Undo", key=f"le_undo_{e.edit_id}"):
                    _edit(lambda e=e: label_edits.undo_edit(store, library_id, e.edit_id),
                          library_id, follow=key, undo=True)


def _edit(action: Callable[[], object], library_id: str, *, follow: str,
          undo: bool = False) -> None:
    """Run one edit; on success follow the label (by key) to its name after the edit."""
    try:
        edit = action()
    except label_edits.LabelEditError as exc:
        st.error(streamlit_text(str(exc)))
        return
    message = (f"Undone: {edit.describe()}" if undo else f"{edit.describe()}.") \
        if edit is not None else "Nothing to undo."
    st.session_state[_FLASH_KEY] = message
    names = get_library(library_id).label_index.name_of_key
    candidates = [follow] + ([edit.target_key, edit.source_key] if edit is not None else [])
    name = next((names[k] for k in candidates if k and k in names), None)
    if name is not None:
        st.query_params["label"] = name
    st.rerun()
