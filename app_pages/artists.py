"""Artists: every artist of the library (search, sortable table) and, with ``?artist=NAME``,
one artist's page."""

from ui.sections import entity_page

entity_page("artist")
