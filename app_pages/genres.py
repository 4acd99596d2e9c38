"""Genres: every genre of the library (search, top-30 chart, table) and, with ``?genre=NAME``,
one genre's page."""

import streamlit as st

from ui.cache import get_entity_page
from ui import sections as S
from ui.compare_control import compare_with
from ui.downloads import download_entity
from ui.session import active_library_id, current_library

library = current_library()
library_id = active_library_id()


def index() -> None:
    """The index view (no name in the URL)."""
    S.index_page(library, "genre", title="Genres", bars=30,
                 caption="Genres of the tracks' primary artists.")


name = S.entity_from_url(library, "genre", index)
entity = get_entity_page(library_id, "genre", name)
S.entity_header(entity)
S.actions(entity)
compare_with(entity)
left, right = st.columns(2)
with left:
    S.top_artists_section(entity.top_artists, key="genre_artists")
with right:
    S.top_albums_section(entity.top_albums, key="genre_albums")
left, right = st.columns(2)
with left:
    S.ranking_section(entity.labels, "label", title="Labels", key="genre_labels",
                      empty="No label known.")
with right:
    S.ranking_section(entity.related_genres, "genre", title="Related genres",
                      key="genre_related", empty="No other genres on these artists.")
left, right = st.columns(2)
with left:
    S.playlists_section(entity.playlists, key="genre_playlists")
with right:
    S.years_section(entity.years)
S.feature_section(entity)
S.tracks_section(entity, title="Tracks")

download_entity(entity)
