"""Playlists: every playlist of the library and, with ``?playlist=NAME``, one playlist's page."""

from ui.sections import entity_page

entity_page("playlist")
