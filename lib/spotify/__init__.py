"""Spotify: per-session sign-in (PKCE), a bounded-retry client, the library sync and enrichment.

Modules: :mod:`~lib.spotify.config` (URLs, client id, redirect URI), :mod:`~lib.spotify.auth`
(PKCE sign-in, token cache), :mod:`~lib.spotify.client` (retries, errors explained),
:mod:`~lib.spotify.sync` (library sync), :mod:`~lib.enrichment` (audio features, labels,
genres), :mod:`~lib.spotify.playlists` (save tracks as a private playlist).
"""
