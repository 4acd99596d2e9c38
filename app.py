"""labelscope: explore a music library by record label, artist and sound.

The router: pages, their URL paths and the shared sidebar. Everything else lives in app_pages/,
ui/ and lib/. (The page folder is not called ``pages/`` on purpose: Streamlit treats a folder of
that name as file-based navigation until this router has run once, so the first visit of a fresh
server to a deep link such as /clusters?… would run the page without the router.)
"""

import streamlit as st

from lib.store.kinds import KINDS
from lib.store.db import StoreBusyError
from ui.session import render_sidebar
from ui.spotify_connect import handle_oauth_redirect

st.set_page_config(page_title="labelscope", page_icon="🎛️", layout="wide")

PAGES = {
    "Library": [
        st.Page("app_pages/home.py", title="Home", icon="🏠", url_path="", default=True),
        *(st.Page(kind.page_file, title=kind.plural.capitalize(), icon=kind.icon,
                  url_path=kind.url_path) for kind in KINDS.values()),
    ],
    "Analysis": [
        st.Page("app_pages/clusters.py", title="Clusters", icon="🧭", url_path="clusters"),
        st.Page("app_pages/compare.py", title="Compare", icon="⚖️", url_path="compare"),
    ],
    "Data": [
        st.Page("app_pages/data.py", title="Data", icon="💾", url_path="data"),
    ],
}

# The sidebar draws the page links itself (ui.session.render_sidebar) so that each carries the
# tab's library and an index link from a detail page clears the detail parameter.
page = st.navigation(PAGES, position="hidden")
try:
    handle_oauth_redirect()  # Spotify's sign-in comes back to "/" with ?code=&state=
    render_sidebar(PAGES)
    page.run()
except StoreBusyError as exc:  # a CLI job or another dashboard kept the file past the wait
    st.error(str(exc), icon="⏳")
