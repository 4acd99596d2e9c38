"""Labels: every record label of the library (search, top-30 chart, sortable table) and, with
``?label=NAME``, one label's page."""

from ui.sections import entity_page

entity_page("label")
