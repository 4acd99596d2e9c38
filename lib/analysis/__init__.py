"""What the pages show, as plain data: entity pages (:mod:`.entities`), the library overview
(:mod:`.overview`), display tables (:mod:`.display`) and charts (:mod:`.charts`).

    page = build_entity_page(library, "label", "Kestrel Sound")   # EntityPage: every section
    index_table(library, "artist")                                 # the index page's rows
"""

from lib import front_door

__getattr__, __all__ = front_door(__name__, {
    "entities": ("EntityPage", "Extremes", "FeatureProfile", "LibraryBasis", "Summary",
                 "build_entity_page", "entity_url", "filter_index", "index_table",
                 "library_basis", "resolve_name", "suggest_names", "summarize"),
    "overview": ("Kpis", "Overview", "coverage_report", "kpis", "library_overview"),
    "display": ("index_display", "page_link", "track_table"),
    "charts": ("bar_chart", "feature_distribution_chart", "feature_distribution_charts", "year_chart",
               "year_counts"),
})
