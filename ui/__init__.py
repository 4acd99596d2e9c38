"""Streamlit building blocks shared by the pages (sidebar, tables, sections). Rendering only:
the data comes from ``lib``."""
