"""Genres: every genre of the library (search, top-30 chart, table) and, with ``?genre=NAME``,
one genre's page."""

from ui.sections import entity_page

entity_page("genre")
