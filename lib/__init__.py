"""labelscope's plain-Python core: store, demo library, analysis, reports. No Streamlit here,
except in :mod:`ui.cache`."""
