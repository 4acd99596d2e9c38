"""Where the Spotify sign-in and the remote services live, and which app signs users in.

Every base URL can be changed by environment variable so a sync can run against any compatible
server (tests, proxies, mirrors):

==================================  ============================================
``LABELSCOPE_SPOTIFY_API_URL``      Web API, default ``https://api.spotify.com/v1/``
``LABELSCOPE_SPOTIFY_ACCOUNTS_URL`` accounts (authorize, token), default ``https://accounts.spotify.com/``
``LABELSCOPE_RECCOBEATS_URL``       ReccoBeats, default ``https://api.reccobeats.com/v1/``
``LABELSCOPE_MUSICBRAINZ_URL``      MusicBrainz, default ``https://musicbrainz.org/ws/2/``
``LABELSCOPE_DEEZER_URL``           Deezer, default ``https://api.deezer.com/``
``LABELSCOPE_SPOTIFY_CLIENT_ID``    the Spotify app's client id (or ``st.secrets``)
``LABELSCOPE_SPOTIFY_REDIRECT_URI`` default ``http://127.0.0.1:8501/``
==================================  ============================================

In ``.streamlit/secrets.toml`` the same settings go under ``[spotify]`` as ``client_id`` and
``redirect_uri``; the environment wins over secrets.
"""

from __future__ import annotations

import ipaddress
import os
from dataclasses import dataclass
from typing import Any, Mapping
from urllib.parse import urlsplit

DEFAULT_API_URL = "https://api.spotify.com/v1/"
DEFAULT_ACCOUNTS_URL = "https://accounts.spotify.com/"
DEFAULT_RECCOBEATS_URL = "https://api.reccobeats.com/v1/"
DEFAULT_MUSICBRAINZ_URL = "https://musicbrainz.org/ws/2/"
DEFAULT_DEEZER_URL = "https://api.deezer.com/"
DEFAULT_REDIRECT_URI = "http://127.0.0.1:8501/"

# What the sync reads, and what "Save cluster as playlist" writes.
READ_SCOPES: tuple[str, ...] = (
    "user-library-read",            # liked songs, saved albums
    "playlist-read-private",        # your playlists
    "playlist-read-collaborative",  # collaborative playlists
    "user-top-read",                # top tracks and artists (Score without history)
    "user-read-recently-played",    # recently played (plays in Score)
)
WRITE_SCOPES: tuple[str, ...] = ("playlist-modify-private",)  # save a cluster as a playlist

SCOPE_REASONS: dict[str, str] = {
    "user-library-read": "read your liked songs and saved albums",
    "playlist-read-private": "read your playlists",
    "playlist-read-collaborative": "read collaborative playlists",
    "user-top-read": "read your top tracks and artists (they make the Score)",
    "user-read-recently-played": "read what you played recently",
    "playlist-modify-private": "create private playlists when you save a cluster",
}


class ConfigError(ValueError):
    """A setting is missing or unusable; the message says which and how to fix it."""


@dataclass(frozen=True)
class SpotifyConfig:
    """Everything needed to talk to Spotify and the enrichment services."""

    client_id: str | None
    redirect_uri: str = DEFAULT_REDIRECT_URI
    api_url: str = DEFAULT_API_URL
    accounts_url: str = DEFAULT_ACCOUNTS_URL
    reccobeats_url: str = DEFAULT_RECCOBEATS_URL
    musicbrainz_url: str = DEFAULT_MUSICBRAINZ_URL
    deezer_url: str = DEFAULT_DEEZER_URL
    timeout: float = 15.0

    @property
    def authorize_url(self) -> str:
        return self.accounts_url + "authorize"

    @property
    def token_url(self) -> str:
        return self.accounts_url + "api/token"

    def require_client_id(self) -> str:
        if not self.client_id:
            raise ConfigError(
                "No Spotify client id. Create an app at developer.spotify.com/dashboard and put "
                "its client id in .streamlit/secrets.toml under [spotify] client_id = \"…\" or in "
                "the LABELSCOPE_SPOTIFY_CLIENT_ID environment variable.")
        return self.client_id


def _base_url(value: str, name: str) -> str:
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ConfigError(f"{name}={value!r} is not an http(s) URL.")
    return value if value.endswith("/") else value + "/"


def validate_redirect_uri(uri: str) -> str:
    """Check a redirect URI against Spotify's rules (2025): HTTPS, or HTTP on a loopback IP.

    ``localhost`` is rejected by Spotify, so it is rejected here with the value to use instead.
    """
    parts = urlsplit(uri.strip())
    host = (parts.hostname or "").lower()
    if parts.scheme not in ("http", "https") or not host:
        raise ConfigError(f"Redirect URI {uri!r} is not an http(s) URL; use "
                          f"{DEFAULT_REDIRECT_URI}.")
    if host == "localhost" or host.endswith(".localhost"):
        port = f":{parts.port}" if parts.port else ""
        suggestion = f"{parts.scheme}://127.0.0.1{port}{parts.path or '/'}"
        raise ConfigError(
            f"Spotify rejects 'localhost' in redirect URIs ({uri}). Use {suggestion} — the same "
            "address in the Spotify dashboard — and open labelscope at that address.")
    if parts.scheme == "http":
        try:
            loopback = ipaddress.ip_address(host).is_loopback
        except ValueError:
            loopback = False
        if not loopback:
            raise ConfigError(
                f"Spotify accepts plain-HTTP redirect URIs only on a loopback IP "
                f"(127.0.0.1 or [::1]); {uri} needs https:// or a loopback address.")
    if parts.query or parts.fragment:
        raise ConfigError(f"Redirect URI {uri!r} must not contain '?' or '#'.")
    return uri.strip()


def _secret(secrets: Mapping[str, Any] | None, key: str) -> str | None:
    """``[spotify] key`` or ``LABELSCOPE_SPOTIFY_KEY`` at the top level of secrets."""
    if secrets is None:
        return None
    try:
        section = secrets.get("spotify")
        if section is not None and section.get(key):
            return str(section.get(key))
        top = secrets.get(f"LABELSCOPE_SPOTIFY_{key.upper()}")
        return str(top) if top else None
    except Exception:  # st.secrets raises when no secrets file exists
        return None


def redirect_uri_for(served_url: str | None) -> str | None:
    """The redirect URI for the address the dashboard is served at, when none is configured.

    ``served_url`` is the app's URL in the browser (``st.context.url``), e.g.
    ``http://localhost:8765/``. Loopback addresses give themselves, ``localhost`` becoming
    ``127.0.0.1`` (Spotify rejects ``localhost``); HTTPS addresses give themselves. ``None`` for anything
    Spotify would not accept (plain HTTP on another host) or an unreadable URL.
    """
    if not served_url:
        return None
    try:
        parts = urlsplit(served_url.strip())
        port = parts.port
    except ValueError:
        return None
    host = (parts.hostname or "").lower()
    if parts.scheme not in ("http", "https") or not host:
        return None
    path = parts.path if parts.path.endswith("/") else parts.path + "/"
    try:
        loopback = host in ("localhost",) or host.endswith(".localhost") or \
            ipaddress.ip_address(host).is_loopback
    except ValueError:
        loopback = False
    if loopback:  # the browser's own loopback address; "localhost" becomes 127.0.0.1
        netloc = parts.netloc.rsplit("@", 1)[-1]
        if host == "localhost" or host.endswith(".localhost"):
            netloc = f"127.0.0.1{f':{port}' if port else ''}"
        return f"{parts.scheme}://{netloc}{path}"
    if parts.scheme == "https":
        return f"https://{parts.netloc}{path}"
    return None


def load_config(secrets: Mapping[str, Any] | None = None,
                env: Mapping[str, str] | None = None,
                served_url: str | None = None) -> SpotifyConfig:
    """Read the settings from the environment, then from ``secrets`` (``st.secrets`` in the UI).

    Without a configured redirect URI, the one for ``served_url`` (the address the dashboard is
    open at, see :func:`redirect_uri_for`), else ``DEFAULT_REDIRECT_URI``.

    Raises :class:`ConfigError` for an unusable redirect URI or base URL. A missing client id is
    not an error here (the UI explains it); :meth:`SpotifyConfig.require_client_id` is.
    """
    env = os.environ if env is None else env
    client_id = env.get("LABELSCOPE_SPOTIFY_CLIENT_ID") or _secret(secrets, "client_id")
    redirect = (env.get("LABELSCOPE_SPOTIFY_REDIRECT_URI") or _secret(secrets, "redirect_uri")
                or redirect_uri_for(served_url) or DEFAULT_REDIRECT_URI)
    urls = {}
    for field, var, default in (
            ("api_url", "LABELSCOPE_SPOTIFY_API_URL", DEFAULT_API_URL),
            ("accounts_url", "LABELSCOPE_SPOTIFY_ACCOUNTS_URL", DEFAULT_ACCOUNTS_URL),
            ("reccobeats_url", "LABELSCOPE_RECCOBEATS_URL", DEFAULT_RECCOBEATS_URL),
            ("musicbrainz_url", "LABELSCOPE_MUSICBRAINZ_URL", DEFAULT_MUSICBRAINZ_URL),
            ("deezer_url", "LABELSCOPE_DEEZER_URL", DEFAULT_DEEZER_URL)):
        urls[field] = _base_url(env.get(var) or default, var)
    timeout = float(env.get("LABELSCOPE_SPOTIFY_TIMEOUT") or 15.0)
    return SpotifyConfig(client_id=(client_id or "").strip() or None,
                         redirect_uri=validate_redirect_uri(redirect), timeout=timeout, **urls)
