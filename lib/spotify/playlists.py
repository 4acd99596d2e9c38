"""Save a set of tracks (e.g. a cluster) as a new private playlist of the signed-in user.

Needs the ``playlist-modify-private`` scope. Creates the playlist with ``POST /me/playlists``
(``/users/{id}/playlists`` is gone) and adds the tracks 100 at a time with
``POST /playlists/{id}/items``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Sequence

from lib.spotify.client import Forbidden, SpotifyClient, SpotifyError

_SPOTIFY_ID = re.compile(r"^[0-9A-Za-z]{22}$")
MAX_NAME = 100
CHUNK = 100


@dataclass(frozen=True)
class SavedPlaylist:
    playlist_id: str
    url: str
    name: str
    added: int
    skipped: int  # ids that are not Spotify track ids (e.g. from a data set)


def playlist_name(name: str) -> str:
    """A clean playlist name: one line, at most 100 characters, never empty."""
    clean = " ".join(str(name or "").split())[:MAX_NAME].strip()
    return clean or "labelscope cluster"


def save_playlist(client: SpotifyClient, track_ids: Sequence[str], name: str,
                  description: str = "Saved from labelscope") -> SavedPlaylist:
    """Create a private playlist holding ``track_ids`` (order kept, duplicates dropped)."""
    ids = list(dict.fromkeys(t for t in track_ids if isinstance(t, str)))
    valid = [t for t in ids if _SPOTIFY_ID.match(t)]
    if not valid:
        raise SpotifyError("None of these tracks has a Spotify track id, so there is nothing to "
                           "save to Spotify.")
    try:
        created = client.create_private_playlist(playlist_name(name), description[:300])
        for start in range(0, len(valid), CHUNK):
            client.add_to_playlist(created["id"],
                                   [f"spotify:track:{t}" for t in valid[start:start + CHUNK]])
    except Forbidden as exc:
        raise Forbidden("Spotify did not allow creating the playlist. Saving playlists needs the "
                        "“playlist-modify-private” permission: disconnect and connect again to "
                        f"grant it. ({exc})", 403) from None
    url = (created.get("external_urls") or {}).get("spotify") or \
        f"https://open.spotify.com/playlist/{created['id']}"
    return SavedPlaylist(created["id"], url, created.get("name") or playlist_name(name),
                         len(valid), len(ids) - len(valid))
