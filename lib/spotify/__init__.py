"""Spotify: per-session sign-in (PKCE), a bounded-retry client, the library sync and playlists.

Modules: :mod:`~lib.spotify.config` (URLs, client id, redirect URI), :mod:`~lib.spotify.auth`
(PKCE sign-in, token cache), :mod:`~lib.spotify.client` (retries, errors explained),
:mod:`~lib.spotify.sync` (library sync), :mod:`~lib.spotify.playlists` (save tracks as a private
playlist). Audio features, labels and genres from other services: :mod:`lib.enrichment`.

Errors: :class:`ConfigError`, :class:`AuthError`, :class:`SpotifyError` (with
:class:`QuotaExceeded`, :class:`RateLimited`, :class:`Forbidden`, :class:`NotFound`),
:class:`SyncError`.
"""

from lib import front_door

__getattr__, __all__ = front_door(__name__, {
    "config": ("READ_SCOPES", "WRITE_SCOPES", "ConfigError", "SpotifyConfig", "load_config"),
    "auth": ("AuthError", "begin_login", "complete_login", "disconnect", "is_connected",
             "make_auth_manager"),
    "client": ("Forbidden", "NotFound", "QuotaExceeded", "RateLimited", "SpotifyClient",
               "SpotifyError"),
    "sync": ("Progress", "SyncError", "SyncOptions", "SyncReport", "sync_library"),
    "playlists": ("SavedPlaylist", "save_playlist"),
})
