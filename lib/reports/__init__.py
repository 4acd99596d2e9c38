"""Markdown reports in the original tool's format (``docs/original-system.md``).

- :mod:`.markdown`: the escaping policy (:func:`text` for Markdown files, :func:`streamlit_text`
  for Streamlit) and building blocks (links, images, tables, ``<details>``);
- :mod:`.document`: a report with its images (:class:`Report`: ``.md`` or ``.zip``);
- :mod:`.pages`: entity and overview reports; :mod:`.clusters`: the cluster report;
- :mod:`.site`: the static site export (``python -m lib export``).

Errors: :class:`ImageError` (an image that cannot be rendered), :class:`ExportError`.
"""

from lib import front_door

__getattr__, __all__ = front_door(__name__, {
    "markdown": ("streamlit_text", "text"),
    "document": ("ImageError", "Report"),
    "pages": ("entity_report", "overview_report"),
    "clusters": ("clusters_report",),
    "site": ("ExportError", "ExportOptions", "ExportSummary", "export_site", "plan_site"),
})
