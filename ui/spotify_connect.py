"""The Data page's Spotify section (connect, sync, enrich, coverage) and the playlist button.

- :func:`handle_oauth_redirect` runs on every page load (``app.py``): Spotify sends the browser
  back to the redirect URI (``/`` by default) with ``?code=…&state=…``; this finishes the sign-in in
  that (new) browser session and opens the Data page.
- :func:`render` draws the section on the Data page.
- :func:`save_cluster_button` lets the Clusters page save tracks as a private playlist.

Tokens live only in ``st.session_state`` of the browser session that signed in (through
:class:`lib.spotify.auth.SessionCacheHandler`); nothing here writes, logs or shows them.
"""

from __future__ import annotations

import hashlib
import time
from typing import Any, Callable, Sequence
from urllib.parse import urlsplit

import streamlit as st

from lib.reports.markdown import streamlit_text
from ui.cache import get_library, get_overview, get_store
from lib.demo.generator import DEMO_LIBRARY_ID
from lib.spotify.auth import (TOKEN_KEY, USER_KEY, UI_SCOPES, AuthError, begin_login,
                              browser_key, complete_login, disconnect, granted_scopes,
                              is_connected, make_auth_manager)
from lib.spotify.client import SpotifyClient, SpotifyError
from lib.spotify.config import (SCOPE_REASONS, WRITE_SCOPES, ConfigError, SpotifyConfig,
                                load_config)
from lib.spotify.playlists import save_playlist
from lib.enrichment import PROVIDERS
from lib.enrichment import EnrichContext
from lib.enrichment import enrich
from lib.enrichment import consent
from lib.spotify.sync import Progress, SyncError, SyncOptions, sync_library
from ui.sections import coverage_section
from ui.session import SPOTIFY_LIBRARY_KEY, active_library_id, set_active_library

LOGIN_KEY = "_spotify_login"        # (authorize URL, created) of this session's pending sign-in
CONFIRM_KEY = "_spotify_confirm"    # {"user", "token"} of a sign-in another browser started
FLASH_KEY = "_spotify_flash"        # messages to show once on the Data page
LAST_KEY = "_spotify_last_run"      # summary lines of the last sync / enrichment
LOGIN_REUSE_SECONDS = 480           # pending sign-ins expire after 600 s on the server
UI_LIMITS = {"spotify_features": 300, "musicbrainz": 900}  # requests per run from the UI


def _secrets() -> Any:
    try:
        return st.secrets
    except Exception:
        return None


def _config() -> SpotifyConfig:
    # Without a configured redirect URI, the address this tab is served at (port included).
    return load_config(_secrets(), served_url=getattr(st.context, "url", None))


def _flash(kind: str, message: str) -> None:
    st.session_state.setdefault(FLASH_KEY, []).append((kind, message))


def _client(config: SpotifyConfig, on_wait: Any = None) -> SpotifyClient:
    auth = make_auth_manager(config, st.session_state, UI_SCOPES)
    return SpotifyClient(auth, config, on_wait=on_wait)


def _user() -> dict | None:
    return st.session_state.get(USER_KEY) if is_connected(st.session_state) else None


def _browser_key() -> str:
    """An opaque key of this browser (see :func:`lib.spotify.auth.browser_key`)."""
    return browser_key((getattr(st.context, "cookies", None) or {}).get("_streamlit_xsrf"))


# -- the redirect back from Spotify ---------------------------------------------------------------
def handle_oauth_redirect() -> None:
    """Finish a Spotify sign-in if this page load is Spotify's redirect (any page).

    Reads ``code``/``state`` (or ``error``) from the query string, removes them from the URL,
    stores the tokens in this session and switches to the Data page with a message.
    """
    params = st.query_params
    if "state" not in params or not ("code" in params or "error" in params):
        return
    code, state, error = params.get("code"), params.get("state"), params.get("error")
    for key in ("code", "state", "error", "error_description"):
        if key in st.query_params:
            del st.query_params[key]
    if error:
        _flash("warning", "Spotify sign-in was cancelled"
               + (" (you declined access)." if error == "access_denied" else f" ({streamlit_text(error)})."))
    else:
        try:
            config = _config()
            auth = complete_login(config, st.session_state, str(code), str(state),
                                  browser=_browser_key())
            me = SpotifyClient(auth, config).me()
            user = {"id": str(me["id"]), "display_name": me.get("display_name") or me["id"]}
            if auth.same_browser:
                _signed_in(user)
            else:  # a link from elsewhere (login CSRF?): nothing opens before the user confirms
                st.session_state[CONFIRM_KEY] = {"user": user,
                                                 "token": st.session_state.pop(TOKEN_KEY, None)}
        except (AuthError, ConfigError, SpotifyError) as exc:
            disconnect(st.session_state)
            _flash("error", f"Could not connect to Spotify: {streamlit_text(exc)}")
    st.switch_page("app_pages/data.py")


def _signed_in(user: dict) -> None:
    """Act on a sign-in this session's user started or confirmed: open their library."""
    st.session_state[USER_KEY] = user
    library_id = f"spotify:{user['id']}"
    st.session_state[SPOTIFY_LIBRARY_KEY] = library_id
    st.session_state.pop(LOGIN_KEY, None)
    if get_store().version(library_id) >= 0:
        set_active_library(library_id)
    _flash("success", f"Connected to Spotify as **{streamlit_text(user['display_name'])}**."
           + ("" if get_store().version(library_id) >= 0
              else " Click **Sync library** to bring your library in."))


def _confirm(pending: dict) -> None:
    """Ask before acting on a sign-in that another browser started."""
    user = pending["user"]
    st.warning(f"Spotify signed in as **{streamlit_text(user['display_name'])}** (Spotify user "
               f"{streamlit_text(user['id'])}), but the sign-in was not started in this browser. If someone "
               "sent you this link, cancel: you would be using **their** account, and what you "
               "import would go to their library.", icon="⚠️")
    left, right = st.columns(2)
    if left.button(f"Connect as {streamlit_text(user['display_name'])}", key="spotify_confirm",
                   type="primary"):
        st.session_state.pop(CONFIRM_KEY, None)
        st.session_state[TOKEN_KEY] = pending["token"]
        _signed_in(user)
        st.rerun()
    if right.button("Cancel", key="spotify_confirm_cancel"):
        st.session_state.pop(CONFIRM_KEY, None)
        _flash("info", "Not connected to Spotify.")
        st.rerun()


# -- the Data page section -----------------------------------------------------------------------
def _authorize_url(config: SpotifyConfig) -> str:
    pending = st.session_state.get(LOGIN_KEY)
    if pending and time.time() - pending[1] < LOGIN_REUSE_SECONDS and pending[2] == \
            config.redirect_uri:
        return pending[0]
    url = begin_login(config, UI_SCOPES, browser=_browser_key())
    st.session_state[LOGIN_KEY] = (url, time.time(), config.redirect_uri)
    return url


def _setup_help(config: SpotifyConfig) -> None:
    st.info(
        "To connect your own Spotify account, labelscope needs a Spotify app's **client id** "
        "(free, two minutes):\n\n"
        "1. Open developer.spotify.com/dashboard and **Create app** (Web API).\n"
        f"2. Add the redirect URI **`{config.redirect_uri}`** exactly.\n"
        "3. Under *User Management*, add the Spotify accounts that will sign in (at most 5; the "
        "app owner needs Premium).\n"
        "4. Put the client id in `.streamlit/secrets.toml` as `[spotify]` / "
        "`client_id = \"…\"` (or the `LABELSCOPE_SPOTIFY_CLIENT_ID` environment variable) and "
        "restart labelscope.", icon="🔑")


def _connect(config: SpotifyConfig) -> None:
    st.write("Bring your own library in: liked songs, saved albums, your playlists, top tracks "
             "and artists. Your sign-in stays in this browser tab's session only.")
    with st.expander("What labelscope asks Spotify for"):
        st.markdown("\n".join(f"- `{s}`: {SCOPE_REASONS[s]}" for s in UI_SCOPES))
    host = (st.context.headers or {}).get("Host") if hasattr(st, "context") else None
    expected = urlsplit(config.redirect_uri).netloc
    if host and expected and host != expected:
        st.caption(f"After signing in, Spotify sends you to **{expected}** (the redirect URI), "
                   f"not {streamlit_text(host)}: your session continues there.")
    st.link_button("Connect Spotify", _authorize_url(config), type="primary", icon="🎧",
                   help="Opens Spotify's sign-in; you come back here when you allow access.")
    st.caption("Sign-in links work once and for 10 minutes.")


class _StatusProgress:
    """Maps sync/enrichment progress events to lines inside an ``st.status`` box."""

    def __init__(self, status: Any) -> None:
        self.status = status
        self.slots: dict[str, Any] = {}
        self.last: dict[str, str] = {}

    def _done(self, step: str) -> None:
        self.slots[step].markdown(f"✅ **{step}** — {self.last[step]}")

    def __call__(self, event: Progress) -> None:
        if event.step not in self.slots:
            if self.slots:
                self._done(list(self.slots)[-1])
            self.slots[event.step] = st.empty()
        self.last[event.step] = streamlit_text(event.message)
        self.slots[event.step].markdown(f"⏳ **{event.step}** — {self.last[event.step]}")
        self.status.update(label=f"{event.step}: {event.message}")

    def finish(self) -> None:
        if self.slots:
            self._done(list(self.slots)[-1])


def _chosen_providers() -> list[str]:
    return [key for key, info in PROVIDERS.items()
            if st.session_state.get(f"_enrich_{key}", info.default_on)]


def _run(config: SpotifyConfig, library_id: str, *, do_sync: bool, full: bool,
         playlists: bool) -> None:
    store = get_store()
    lines: list[str] = []
    with st.status("Syncing your Spotify library…" if do_sync else "Enriching…",
                   expanded=True) as status:
        waits = st.empty()

        def on_wait(seconds: float, reason: str) -> None:
            waits.caption(f"Waiting {seconds:.0f} s ({reason}); retrying after that.")
        client = _client(config, on_wait)
        progress = _StatusProgress(status)
        try:
            if do_sync:
                report = sync_library(client, store, progress,
                                      SyncOptions(playlists=playlists, refresh_cache=full))
                lines += report.summary_lines()
                library_id = report.library_id
            chosen = _chosen_providers()
            if chosen and store.version(library_id) >= 0:
                limits = dict(UI_LIMITS, musicbrainz=int(st.session_state.get(
                    "_musicbrainz_limit", UI_LIMITS["musicbrainz"])))
                ctx = EnrichContext(store, library_id, config, progress=progress,
                                    spotify_client=client, max_requests=limits)
                for result in enrich(ctx, chosen):
                    lines.append(result.line())
                    lines += [f"  {n}" for n in result.notes]
            progress.finish()
            waits.empty()
            status.update(label="Spotify library synced" if do_sync else "Enrichment done",
                          state="complete", expanded=False)
        except (SyncError, AuthError, SpotifyError) as exc:
            status.update(label="Stopped", state="error", expanded=True)
            st.session_state[LAST_KEY] = {"error": str(exc), "lines": lines + (
                exc.report.summary_lines()[1:] if isinstance(exc, SyncError) else [])}
            return  # the error stays on screen; the previous library is unchanged
    st.session_state[LAST_KEY] = {"error": None, "lines": lines}
    if store.version(library_id) >= 0:
        set_active_library(library_id)
    st.rerun()  # redraw the whole page (library list, sidebar) with the new library


def _enrichment_controls() -> None:
    st.markdown("**Enrichment** — new Spotify apps get no audio features, labels or popularity; "
                "these sources fill the gaps after each sync.")
    for key, info in PROVIDERS.items():
        st.toggle(info.title + (" (third-party)" if info.third_party else ""),
                  value=info.default_on, key=f"_enrich_{key}", help=info.sends)
        st.caption(f"Adds {info.adds}. {info.sends}")
    if st.session_state.get("_enrich_musicbrainz"):
        st.number_input("MusicBrainz look-ups this run", min_value=10, max_value=3600,
                        value=UI_LIMITS["musicbrainz"], step=10, key="_musicbrainz_limit",
                        help="MusicBrainz allows one request a second; answers are cached, so "
                             "the next run continues where this one stopped.")


def _coverage(library_id: str) -> None:
    library = get_library(library_id)
    if library.is_empty:
        return
    st.markdown("**Coverage** of your Spotify library")
    coverage_section(get_overview(library_id).coverage)


def render() -> None:
    """The Spotify section of the Data page."""
    st.subheader("Spotify")
    for kind, message in st.session_state.pop(FLASH_KEY, []):
        getattr(st, kind)(message)
    try:
        config = _config()
    except ConfigError as exc:
        st.error(streamlit_text(exc))
        return
    if not config.client_id:
        _setup_help(config)
        return
    if st.session_state.get(CONFIRM_KEY):
        _confirm(st.session_state[CONFIRM_KEY])
        return
    user = _user()
    if user is None:
        _connect(config)
        return

    library_id = f"spotify:{user['id']}"
    st.session_state[SPOTIFY_LIBRARY_KEY] = library_id
    store = get_store()
    info = store.library(library_id)
    left, right = st.columns([3, 1])
    left.markdown(f"Connected as **{streamlit_text(user['display_name'])}** (Spotify user "
                  f"{streamlit_text(user['id'])}).")
    if right.button("Disconnect", help="Forget the Spotify sign-in in this browser session. "
                                       "Your synced library stays on this server."):
        was_shown = active_library_id() == library_id  # before it stops being visible
        disconnect(st.session_state)
        st.session_state.pop(SPOTIFY_LIBRARY_KEY, None)
        st.session_state.pop(LOGIN_KEY, None)
        if was_shown:
            set_active_library(DEMO_LIBRARY_ID)
        _flash("info", "Disconnected from Spotify.")
        st.rerun()
    if info is None:
        st.caption("Not synced yet.")
    else:
        counts = store.counts(library_id)
        updated = info.updated_at.strftime("%Y-%m-%d %H:%M") if info.updated_at else "?"
        st.caption(f"Last synced {updated} UTC · {counts['tracks']:,} tracks · "
                   f"{counts['playlists']:,} playlist{'' if counts['playlists'] == 1 else 's'} · "
                   f"{counts['liked']:,} liked.")

    with st.expander("Sync and enrichment options"):
        playlists = st.checkbox("Include playlists", value=True, key="_sync_playlists",
                                help="Your own and collaborative playlists with their tracks; "
                                     "playlists of others by name only (Spotify's rule).")
        full = st.checkbox("Ask Spotify again for albums and artists already fetched",
                           value=False, key="_sync_full",
                           help="Normally each album and artist is fetched once and reused.")
        _enrichment_controls()
    cols = st.columns(3)
    if cols[0].button("Sync library", type="primary", icon="🔄",
                      help="Liked songs, saved albums, playlists, top tracks and artists, recently "
                           "played; then the enrichment chosen in the options."):
        _run(config, library_id, do_sync=True, full=full, playlists=playlists)
    if info is not None and cols[1].button("Enrich only", icon="✨",
                                           help="Run the chosen enrichment without a sync."):
        _run(config, library_id, do_sync=False, full=False, playlists=playlists)
    last = st.session_state.get(LAST_KEY)
    if last:
        if last["error"]:
            st.error(streamlit_text(last["error"]))
        with st.expander("Last run", expanded=True):
            st.markdown("\n".join(f"- {streamlit_text(line.strip())}" for line in last["lines"]))
    if store.version(library_id) >= 0:
        _coverage(library_id)
        with st.expander("Delete my synced library from this server"):
            sure = st.checkbox("Yes, delete it (a new sync brings it back)", key="_sync_delete_ok")
            if st.button("Delete synced library", disabled=not sure):
                store.delete_library(library_id)
                consent.forget(store, library_id)
                set_active_library(DEMO_LIBRARY_ID)
                st.session_state.pop(LAST_KEY, None)
                _flash("info", "Deleted your synced Spotify library from this server.")
                st.rerun()


# -- the Clusters page's button ------------------------------------------------------------------
def save_cluster_button(track_ids: Sequence[str] | Callable[[], Sequence[str]], name: str, *,
                        key: str | None = None, explain: bool = True) -> None:
    """A "Save as private playlist" button for a set of tracks (a cluster), or why it can't be.

    Needs a Spotify sign-in in this session with ``playlist-modify-private`` and tracks from a
    library whose ids are Spotify's (not the demo's). ``explain=False`` renders nothing instead of
    the reason when it can't be (a page with many clusters explains it once). ``track_ids`` may be
    a function, called only when the button is shown (a big cluster's ids cost time to gather).
    """
    if not is_connected(st.session_state):
        if explain:
            st.caption("Connect Spotify on the Data page to save clusters as playlists.")
        return
    if active_library_id() == DEMO_LIBRARY_ID:
        if explain:
            st.caption("Demo tracks are not on Spotify: open your own library to save playlists.")
        return
    if not set(WRITE_SCOPES) <= granted_scopes(st.session_state):
        st.caption("Saving playlists needs the playlist permission: disconnect and connect "
                   "Spotify again on the Data page.")
        return
    ids = [t for t in (track_ids() if callable(track_ids) else track_ids) if isinstance(t, str)]
    digest = hashlib.sha1(("\n".join(ids) + "\0" + name).encode()).hexdigest()[:12]
    if st.button("Save as private playlist", key=key or f"_save_playlist_{digest}", icon="💾",
                 help=f"Creates a private playlist with these {len(ids):,} tracks in your "
                      "Spotify account.", disabled=not ids):
        try:
            saved = save_playlist(_client(_config()), ids, name)
        except (SpotifyError, AuthError, ConfigError) as exc:
            st.error(streamlit_text(exc))
            return
        note = f" ({saved.skipped:,} tracks without a Spotify id left out)" if saved.skipped else ""
        st.success(f"Saved **{streamlit_text(saved.name)}** with {saved.added:,} tracks{note}.")
        st.link_button("Open in Spotify", saved.url)
