"""Labels: every record label of the library (search, top-30 chart, sortable table) and, with
``?label=NAME``, one label's page."""

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
    raw = library.tracks["label_raw"].nunique()
    S.index_page(library, "label", title="Record labels", bars=30,
                 caption=f"{len(library.labels):,} labels, standardised from {raw:,} raw label "
                         "strings (co-labels split, years, suffixes and spellings merged).")


name = S.entity_from_url(library, "label", index)
entity = get_entity_page(library_id, "label", name)
S.flash()
S.entity_header(entity)
S.actions(entity)
compare_with(entity)
S.aliases_section(entity)
S.label_edit_panel(library, library_id, name)
left, right = st.columns(2)
with left:
    S.top_artists_section(entity.top_artists, key="label_artists")
with right:
    S.top_albums_section(entity.top_albums, key="label_albums")
left, right = st.columns(2)
with left:
    S.ranking_section(entity.genres, "genre", title="Genres", key="label_genres",
                      empty="No genres known for these artists.")
with right:
    S.years_section(entity.years)
left, right = st.columns(2)
with left:
    S.ranking_section(entity.co_labels, "label", title="Often released with", key="label_co",
                      empty="Always released alone.")
with right:
    S.playlists_section(entity.playlists, key="label_playlists")
S.feature_section(entity)
sounds_like_section(library_id, "label", name)
S.tracks_section(entity, title=f"Tracks released under {S.md(name)}")

download_entity(entity)
