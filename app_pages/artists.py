"""Artists: every artist of the library (search, sortable table) and, with ``?artist=NAME``,
one artist's page."""

import streamlit as st

from ui.cache import get_entity_page
from ui import sections as S
from ui.compare_control import compare_with
from ui.downloads import download_entity
from ui.session import active_library_id, current_library
from ui.sound_alike import sounds_like_section

library = current_library()
library_id = active_library_id()


def index() -> None:
    """The index view (no name in the URL)."""
    S.index_page(library, "artist", title="Artists",
                 caption="Every credited artist of the library, most tracks first.")


name = S.entity_from_url(library, "artist", index)
entity = get_entity_page(library_id, "artist", name)
S.entity_header(entity)
S.actions(entity)
compare_with(entity)
S.top_tracks_section(entity.top_tracks, key="artist_top_tracks", title="Top tracks by score")
left, right = st.columns(2)
with left:
    S.top_albums_section(entity.top_albums, key="artist_albums", title="Albums")
with right:
    S.ranking_section(entity.labels, "label", title="Labels they appear on",
                      key="artist_labels", empty="No label known.")
left, right = st.columns(2)
with left:
    S.top_artists_section(entity.top_artists, title="Appears with", key="artist_with",
                          empty="No collaborations in your library.")
with right:
    S.playlists_section(entity.playlists, key="artist_playlists")
S.years_section(entity.years)
S.related_artists_section(entity.related_artists, key="artist_related")
S.feature_section(entity)
sounds_like_section(library_id, "artist", name)
S.tracks_section(entity, title="All tracks")

download_entity(entity)
