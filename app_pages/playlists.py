"""Playlists: every playlist of the library and, with ``?playlist=NAME``, one playlist's page."""

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
    S.index_page(library, "playlist", title="Playlists", caption="Your playlists, biggest first.")


name = S.entity_from_url(library, "playlist", index)
entity = get_entity_page(library_id, "playlist", name)
S.entity_header(entity)
S.actions(entity)
compare_with(entity)
left, right = st.columns(2)
with left:
    S.top_artists_section(entity.top_artists, key="playlist_artists")
with right:
    S.top_albums_section(entity.top_albums, key="playlist_albums")
left, right = st.columns(2)
with left:
    S.ranking_section(entity.labels, "label", title="Labels", key="playlist_labels",
                      empty="No label known.")
with right:
    S.ranking_section(entity.genres, "genre", title="Genres", key="playlist_genres",
                      empty="No genres known for these artists.")
S.years_section(entity.years)
S.feature_section(entity)
S.tracks_section(entity, title="Tracks", order="given")

download_entity(entity)
