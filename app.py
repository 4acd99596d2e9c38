"""labelscope: explore a music library by record label, artist and sound.

The router: pages, their URL paths and the shared sidebar. Everything else lives in pages/, ui/
and lib/.
"""

import streamlit as st

from ui.session import render_sidebar
from ui.spotify_connect import handle_oauth_redirect

st.set_page_config(page_title="labelscope", page_icon="🎛️", layout="wide")

PAGES = {
    "Library": [
        st.Page("pages/home.py", title="Home", icon="🏠", url_path="", default=True),
        st.Page("pages/labels.py", title="Labels", icon="🏷️", url_path="labels"),
        st.Page("pages/artists.py", title="Artists", icon="🎤", url_path="artists"),
        st.Page("pages/playlists.py", title="Playlists", icon="📜", url_path="playlists"),
        st.Page("pages/genres.py", title="Genres", icon="🎼", url_path="genres"),
    ],
    "Analysis": [
        st.Page("pages/clusters.py", title="Clusters", icon="🧭", url_path="clusters"),
    ],
    "Data": [
        st.Page("pages/data.py", title="Data", icon="💾", url_path="data"),
    ],
}

page = st.navigation(PAGES)
handle_oauth_redirect()  # Spotify's sign-in comes back to "/" with ?code=&state=
render_sidebar()
page.run()
