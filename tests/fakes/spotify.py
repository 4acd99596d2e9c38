"""A fake Spotify: accounts service (PKCE authorize + token) and the Web API the sync uses.

Shapes follow the 2026 Web API for development-mode apps: no ``popularity``, no album ``label``
(unless ``legacy=True``), ``external_ids`` present, playlist entries carry ``item`` (and the
deprecated ``track``), others' playlists return 403 on ``/items``, ``/audio-features`` and the
batch reads (``/tracks?ids=`` …) answer 403. Paging uses absolute ``next`` URLs.

Two users, ``alice`` and ``bob``, each with their own library built from one catalogue.
"""

from __future__ import annotations

import base64
import hashlib
import secrets
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from tests.fakes.server import FakeServer, Request, Response, error, route

B62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
CLIENT_ID = "fakeclientid0123456789abcdef0123"
RANGES = ("short_term", "medium_term", "long_term")


def sid(kind: str, n: int) -> str:
    """A stable 22-character base62 id."""
    digest = int.from_bytes(hashlib.sha256(f"{kind}:{n}".encode()).digest(), "big")
    out = ""
    for _ in range(22):
        digest, r = divmod(digest, 62)
        out += B62[r]
    return out


@dataclass
class UserLibrary:
    user_id: str
    display_name: str
    liked: list[str | None] = field(default_factory=list)  # None: an unavailable (null) track
    saved_albums: list[str] = field(default_factory=list)
    playlists: list[str] = field(default_factory=list)
    top_tracks: dict[str, list[str]] = field(default_factory=dict)
    top_artists: dict[str, list[str]] = field(default_factory=dict)
    recent: list[str] = field(default_factory=list)


class FakeSpotify(FakeServer):
    """``FakeSpotify().start()``; ``.api_url`` and ``.accounts_url`` for the config."""

    def __init__(self, *, legacy: bool = False, n_artists: int = 14, n_albums: int = 24,
                 tracks_per_album: int = 7, album_tracks_page: int = 5,
                 expires_in: int = 3600) -> None:
        super().__init__()
        self.legacy = legacy
        self.expires_in = expires_in
        self.album_tracks_page = album_tracks_page
        self.audio_features_enabled = False
        self.login_user = "alice"
        self.artists: dict[str, dict] = {}
        self.albums: dict[str, dict] = {}
        self.album_tracks: dict[str, list[str]] = {}
        self.tracks: dict[str, dict] = {}
        self.episodes: dict[str, dict] = {}
        self.playlists: dict[str, dict] = {}
        self.users: dict[str, UserLibrary] = {}
        self.codes: dict[str, dict] = {}
        self.access: dict[str, tuple[str, float, str]] = {}   # token → (user, expires, scope)
        self.refresh: dict[str, tuple[str, str]] = {}         # token → (user, scope)
        self.issued: list[str] = []  # every token ever issued (for leak checks)
        self._build(n_artists, n_albums, tracks_per_album)

    @property
    def api_url(self) -> str:
        return self.url + "/v1/"

    @property
    def accounts_url(self) -> str:
        return self.url + "/"

    # -- catalogue -------------------------------------------------------------------------------
    def _image(self, kind: str, n: int) -> list[dict]:
        return [{"url": f"https://i.scdn.co/image/{kind}{n:04d}", "height": 640, "width": 640}]

    def _build(self, n_artists: int, n_albums: int, per_album: int) -> None:
        genres = ["k-pop", "pop", "hip hop", "indie rock", "jazz", "", "electronic"]
        for i in range(n_artists):
            a = sid("artist", i)
            g = genres[i % len(genres)]
            self.artists[a] = {
                "external_urls": {"spotify": f"https://open.spotify.com/artist/{a}"},
                "href": f"{{api}}artists/{a}", "id": a, "images": self._image("ar", i),
                "name": ["Ääkkönen", "레드벨벳", "The Quiet | Ones", "<b>Bold</b>", "Mina",
                         "Darkroom Kids", "YOASOBI-ish", "Nils & Co"][i % 8] + f" {i}",
                "type": "artist", "uri": f"spotify:artist:{a}", "genres": [g] if g else []}
        artist_ids = list(self.artists)
        labels = ["Interscope Records", "YG Entertainment/Interscope Records",
                  "2018 Darkroom/Interscope Records", "XL Recordings", "Blue Note Records"]
        n = 0
        for j in range(n_albums):
            al = sid("album", j)
            artists = [artist_ids[j % n_artists]]
            album = {
                "album_type": "album" if j % 4 else "single", "total_tracks": per_album,
                "external_urls": {"spotify": f"https://open.spotify.com/album/{al}"},
                "href": f"{{api}}albums/{al}", "id": al, "images": self._image("al", j),
                "name": f"Album {j} “Ünïcode” [{j}]", "release_date":
                    f"{2000 + j % 25}-0{1 + j % 9}-1{j % 10}" if j % 5 else f"{1990 + j}",
                "release_date_precision": "day" if j % 5 else "year",
                "type": "album", "uri": f"spotify:album:{al}",
                "artists": [self._simple_artist(a) for a in artists],
                "copyrights": [{"text": f"(C) {2000 + j} Somebody", "type": "C"}],
                "external_ids": {"upc": f"00602{j:07d}"},
            }
            if self.legacy:
                album["label"] = labels[j % len(labels)]
                album["genres"] = []
                album["popularity"] = 40 + j
            self.albums[al] = album
            self.album_tracks[al] = []
            for k in range(per_album):
                t = sid("track", n)
                guest = artist_ids[(j + k + 3) % n_artists] if k % 3 == 2 else None
                self.tracks[t] = {
                    "album_id": al, "artists": [artists[0]] + ([guest] if guest else []),
                    "disc_number": 1, "duration_ms": 150_000 + 1_000 * (n % 90),
                    "explicit": n % 6 == 0,
                    "external_ids": {"isrc": f"USUM7{n:07d}"},
                    "external_urls": {"spotify": f"https://open.spotify.com/track/{t}"},
                    "href": f"{{api}}tracks/{t}", "id": t, "is_local": False,
                    "name": f"Track {n} — ‘quoted’ | pipe", "track_number": k + 1,
                    "type": "track", "uri": f"spotify:track:{t}"}
                if self.legacy:
                    self.tracks[t]["popularity"] = n % 100
                self.album_tracks[al].append(t)
                n += 1
        track_ids = list(self.tracks)
        self.episodes[sid("episode", 0)] = {
            "type": "episode", "id": sid("episode", 0), "name": "A podcast episode",
            "duration_ms": 1_800_000, "show": {"id": sid("show", 0), "name": "A show"},
            "uri": f"spotify:episode:{sid('episode', 0)}"}
        local = {"id": None, "is_local": True, "name": "my_demo_take.mp3", "type": "track",
                 "uri": "spotify:local:Me:Demo:my_demo_take:180", "duration_ms": 180_000,
                 "album": {"id": None, "name": "Demo", "type": "album", "artists": []},
                 "artists": [{"id": None, "name": "Me", "type": "artist"}]}
        episode = self.episodes[sid("episode", 0)]

        def playlist(n: int, name: str, owner: str, items: list, collaborative: bool = False,
                     description: str = "") -> str:
            pid = sid("playlist", n)
            self.playlists[pid] = {"id": pid, "name": name, "owner": owner,
                                   "collaborative": collaborative, "description": description,
                                   "entries": items, "images": self._image("pl", n)}
            return pid

        alice_own = playlist(0, "Road trip 🚗", "alice",
                             track_ids[0:30] + [None, local, episode] + track_ids[100:104],
                             description="Songs for the &quot;long&quot; drive &amp; more")
        shared = playlist(1, "Shared with Bob", "bob", track_ids[40:52], collaborative=True)
        editorial = playlist(2, "Today's Top Hits", "spotify", track_ids[60:90])
        bob_own = playlist(3, "Bob's jazz", "bob", track_ids[120:140])
        alice_big = playlist(4, "Everything", "alice", track_ids[0:120])
        self.users["alice"] = UserLibrary(
            "alice", "Alice Example",
            liked=track_ids[0:60] + [None] + track_ids[110:130],
            saved_albums=[sid("album", 20), sid("album", 21), sid("album", 2)],
            playlists=[alice_own, shared, editorial, alice_big],
            top_tracks={r: track_ids[i * 5: i * 5 + 20] for i, r in enumerate(RANGES)},
            top_artists={r: artist_ids[i: i + 6] for i, r in enumerate(RANGES)},
            recent=[track_ids[3]] * 4 + track_ids[10:20])
        self.users["bob"] = UserLibrary(
            "bob", "Bob Builder", liked=track_ids[130:168],
            saved_albums=[sid("album", 1)], playlists=[shared, bob_own],
            top_tracks={r: track_ids[130:140] for r in RANGES},
            top_artists={r: artist_ids[5:9] for r in RANGES}, recent=track_ids[131:135])

    def _simple_artist(self, a: str) -> dict:
        full = self.artists[a]
        return {k: full[k] for k in ("external_urls", "href", "id", "name", "type", "uri")}

    def _fix(self, obj: Any) -> Any:
        """Fill the ``{api}`` placeholder of hrefs with this server's URL."""
        if isinstance(obj, dict):
            return {k: self._fix(v) for k, v in obj.items()}
        if isinstance(obj, list):
            return [self._fix(v) for v in obj]
        if isinstance(obj, str) and "{api}" in obj:
            return obj.replace("{api}", self.api_url)
        return obj

    def simple_album(self, al: str) -> dict:
        album = self.albums[al]
        keep = ("album_type", "total_tracks", "external_urls", "href", "id", "images", "name",
                "release_date", "release_date_precision", "type", "uri", "artists")
        return {k: album[k] for k in keep}

    def track_object(self, t: str, simple: bool = False) -> dict:
        track = dict(self.tracks[t])
        track["artists"] = [self._simple_artist(a) for a in track["artists"]]
        album_id = track.pop("album_id")
        if simple:
            track.pop("external_ids", None)
            track.pop("popularity", None)
        else:
            track["album"] = self.simple_album(album_id)
        return self._fix(track)

    def full_album(self, al: str) -> dict:
        album = dict(self.albums[al])
        album["tracks"] = self._page(f"albums/{al}/tracks", [
            self.track_object(t, simple=True) for t in self.album_tracks[al]], 0,
            self.album_tracks_page)
        return self._fix(album)

    def _page(self, path: str, items: list, offset: int, limit: int,
              extra: dict | None = None, total: int | None = None) -> dict:
        """A paging object; with ``total`` given, ``items`` is already the requested slice."""
        chunk = items if total is not None else items[offset:offset + limit]
        total = len(items) if total is None else total
        query = dict(extra or {})

        def link(o: int) -> str:
            return f"{self.api_url}{path}?{urlencode(dict(query, offset=o, limit=limit))}"
        return {"href": link(offset), "items": chunk, "limit": limit, "offset": offset,
                "total": total,
                "next": link(offset + limit) if offset + limit < total else None,
                "previous": link(max(0, offset - limit)) if offset else None}

    # -- accounts ----------------------------------------------------------------------------------
    def authorize(self, req: Request) -> Response:
        q = req.query
        if q.get("client_id") != CLIENT_ID:
            return Response(400, b"INVALID_CLIENT: Invalid client", {"Content-Type": "text/plain"})
        if q.get("response_type") != "code" or q.get("code_challenge_method") != "S256" \
                or not q.get("code_challenge"):
            return Response(400, b"Bad PKCE request", {"Content-Type": "text/plain"})
        code = "code-" + secrets.token_urlsafe(16)
        self.codes[code] = {"user": self.login_user, "challenge": q["code_challenge"],
                            "redirect_uri": q.get("redirect_uri"), "scope": q.get("scope", "")}
        target = q["redirect_uri"] + "?" + urlencode({"code": code, "state": q.get("state", "")})
        return Response(302, b"", {"Location": target})

    def _issue(self, user: str, scope: str) -> dict:
        access = "at-" + secrets.token_urlsafe(24)
        refresh = "rt-" + secrets.token_urlsafe(24)
        self.access[access] = (user, time.time() + self.expires_in, scope)
        self.refresh[refresh] = (user, scope)
        self.issued += [access, refresh]
        return {"access_token": access, "token_type": "Bearer", "scope": scope,
                "expires_in": self.expires_in, "refresh_token": refresh}

    def token(self, req: Request) -> Response:
        form = req.form()
        if form.get("client_id") != CLIENT_ID:
            return Response(400, {"error": "invalid_client", "error_description": "Invalid client"})
        if form.get("grant_type") == "authorization_code":
            grant = self.codes.pop(form.get("code", ""), None)
            if grant is None:
                return Response(400, {"error": "invalid_grant",
                                      "error_description": "Invalid authorization code"})
            digest = hashlib.sha256(form.get("code_verifier", "").encode()).digest()
            challenge = base64.urlsafe_b64encode(digest).decode().rstrip("=")
            if challenge != grant["challenge"]:
                return Response(400, {"error": "invalid_grant",
                                      "error_description": "code_verifier was incorrect"})
            if form.get("redirect_uri") != grant["redirect_uri"]:
                return Response(400, {"error": "invalid_grant",
                                      "error_description": "Invalid redirect URI"})
            return Response(200, self._issue(grant["user"], grant["scope"]))
        if form.get("grant_type") == "refresh_token":
            known = self.refresh.pop(form.get("refresh_token", ""), None)  # rotated: one use
            if known is None:
                return Response(400, {"error": "invalid_grant",
                                      "error_description": "Invalid refresh token"})
            return Response(200, self._issue(*known))
        return Response(400, {"error": "unsupported_grant_type"})

    def expire_access_tokens(self) -> None:
        """Make every access token invalid now (the next API call gets 401)."""
        self.access.clear()

    def login_url_for(self, user: str) -> None:
        self.login_user = user

    # -- web API -----------------------------------------------------------------------------------
    def _user(self, req: Request) -> UserLibrary | None:
        auth = req.headers.get("Authorization", "")
        token = auth[len("Bearer "):] if auth.startswith("Bearer ") else ""
        known = self.access.get(token)
        if not known or known[1] < time.time():
            return None
        return self.users[known[0]]

    def handle(self, req: Request) -> Response:
        if len(req.path) > 1 and req.path.endswith("/"):  # Spotify ignores a trailing slash
            req.path = req.path.rstrip("/")
        if req.path == "/authorize":
            return self.authorize(req)
        if req.path == "/api/token" and req.method == "POST":
            return self.token(req)
        if not req.path.startswith("/v1/"):
            return error(404, "Not found.")
        user = self._user(req)
        if user is None:
            return error(401, "The access token expired")
        q = req.query
        if req.path in ("/v1/tracks", "/v1/albums", "/v1/artists") and "ids" in q:
            return error(403, "Forbidden")  # batch reads: removed for development-mode apps
        offset, limit = int(q.get("offset", 0)), min(int(q.get("limit", 20)), 50)
        response = route([
            ("GET", r"/v1/me", lambda r: Response(200, self._me(user))),
            ("GET", r"/v1/me/tracks", lambda r: self._liked(user, offset, limit)),
            ("GET", r"/v1/me/albums", lambda r: self._saved_albums(user, offset, limit)),
            ("GET", r"/v1/me/playlists", lambda r: self._playlists(user, offset, limit)),
            ("POST", r"/v1/me/playlists", lambda r: self._create(user, r)),
            ("GET", r"/v1/playlists/(\w+)/items", lambda r, p: self._items(user, p, offset, limit)),
            ("POST", r"/v1/playlists/(\w+)/items", lambda r, p: self._add(user, p, r)),
            ("GET", r"/v1/me/top/(tracks|artists)",
             lambda r, k: self._top(user, k, q.get("time_range", "medium_term"), offset, limit)),
            ("GET", r"/v1/me/player/recently-played", lambda r: self._recent(user, limit)),
            ("GET", r"/v1/tracks/(\w+)", lambda r, t: self._one(self.tracks, t,
                                                                 self.track_object)),
            ("GET", r"/v1/albums/(\w+)", lambda r, a: self._one(self.albums, a, self.full_album)),
            ("GET", r"/v1/albums/(\w+)/tracks", lambda r, a: Response(200, self._page(
                f"albums/{a}/tracks", [self.track_object(t, simple=True)
                                       for t in self.album_tracks[a]], offset, limit))),
            ("GET", r"/v1/artists/(\w+)", lambda r, a: self._one(
                self.artists, a, lambda x: self._fix(self.artists[x]))),
            ("GET", r"/v1/audio-features/(\w+)", lambda r, t: self._features(t)),
        ], req)
        return response or error(404, "Service not found")

    def _me(self, user: UserLibrary) -> dict:
        return {"id": user.user_id, "display_name": user.display_name, "type": "user",
                "uri": f"spotify:user:{user.user_id}", "href": f"{self.api_url}users/{user.user_id}",
                "images": [], "external_urls": {"spotify": "https://open.spotify.com/user/x"}}

    def _one(self, table: dict, key: str, render: Any) -> Response:
        if key not in table:
            return error(404, "Resource not found")
        return Response(200, render(key))

    def _liked(self, user: UserLibrary, offset: int, limit: int) -> Response:
        items = [{"added_at": f"2024-0{1 + i % 9}-1{i % 10}T12:00:00Z",
                  "track": None if t is None else self.track_object(t)}
                 for i, t in enumerate(user.liked[offset:offset + limit], start=offset)]
        return Response(200, self._page("me/tracks", items, offset, limit,
                                        total=len(user.liked)))

    def _saved_albums(self, user: UserLibrary, offset: int, limit: int) -> Response:
        items = [{"added_at": "2023-05-01T08:00:00Z", "album": self.full_album(a)}
                 for a in user.saved_albums]
        return Response(200, self._page("me/albums", items, offset, limit))

    def _simple_playlist(self, pid: str) -> dict:
        p = self.playlists[pid]
        owner = self.users.get(p["owner"])
        return {"collaborative": p["collaborative"], "description": p["description"],
                "external_urls": {"spotify": f"https://open.spotify.com/playlist/{pid}"},
                "href": f"{self.api_url}playlists/{pid}", "id": pid, "images": p["images"],
                "name": p["name"], "public": False, "snapshot_id": "snap", "type": "playlist",
                "uri": f"spotify:playlist:{pid}",
                "owner": {"id": p["owner"], "display_name": owner.display_name if owner
                          else "Spotify", "type": "user"},
                "items": {"href": f"{self.api_url}playlists/{pid}/items",
                          "total": len(p["entries"])}}

    def _playlists(self, user: UserLibrary, offset: int, limit: int) -> Response:
        return Response(200, self._page("me/playlists", [self._simple_playlist(p)
                                                         for p in user.playlists], offset, limit))

    def _items(self, user: UserLibrary, pid: str, offset: int, limit: int) -> Response:
        p = self.playlists.get(pid)
        if p is None:
            return error(404, "Not found.")
        if p["owner"] != user.user_id and not p["collaborative"]:
            return error(403, "Forbidden")
        entries = []
        for i, e in enumerate(p["entries"]):
            if e is None:
                obj, local = None, False
            elif isinstance(e, dict):
                obj, local = e, bool(e.get("is_local"))
            else:
                obj, local = self.track_object(e), False
            entries.append({"added_at": f"2025-02-0{1 + i % 9}T10:00:00Z",
                            "added_by": {"id": p["owner"], "type": "user"},
                            "is_local": local, "item": obj, "track": obj})
        return Response(200, self._page(f"playlists/{pid}/items", entries, offset, limit))

    def _create(self, user: UserLibrary, req: Request) -> Response:
        body = req.json() or {}
        pid = sid("playlist", 1000 + len(self.playlists))
        self.playlists[pid] = {"id": pid, "name": body.get("name"), "owner": user.user_id,
                               "collaborative": False, "description": body.get("description", ""),
                               "entries": [], "images": [], "public": body.get("public")}
        user.playlists.append(pid)
        return Response(201, self._simple_playlist(pid))

    def _add(self, user: UserLibrary, pid: str, req: Request) -> Response:
        p = self.playlists.get(pid)
        if p is None or p["owner"] != user.user_id:
            return error(403, "Forbidden")
        token = req.headers.get("Authorization", "")[len("Bearer "):]
        if "playlist-modify-private" not in self.access[token][2].split():
            return error(403, "Insufficient client scope")
        body = req.json()
        uris = body if isinstance(body, list) else (body or {}).get("uris", [])
        if len(uris) > 100:
            return error(400, "Too many ids requested")
        for uri in uris:
            t = uri.rsplit(":", 1)[-1]
            if t not in self.tracks:
                return error(400, "Invalid base62 id")
            p["entries"].append(t)
        return Response(201, {"snapshot_id": f"snap{len(p['entries'])}"})

    def _top(self, user: UserLibrary, kind: str, time_range: str, offset: int,
             limit: int) -> Response:
        if kind == "tracks":
            items = [self.track_object(t) for t in user.top_tracks.get(time_range, [])]
        else:
            items = [self._fix(self.artists[a]) for a in user.top_artists.get(time_range, [])]
        return Response(200, self._page(f"me/top/{kind}", items, offset, limit,
                                        {"time_range": time_range}))

    def _recent(self, user: UserLibrary, limit: int) -> Response:
        items = [{"track": self.track_object(t), "played_at": f"2026-11-2{i % 9}T0{i % 9}:00:00Z",
                  "context": None} for i, t in enumerate(user.recent[:limit])]
        return Response(200, {"items": items, "next": None, "limit": limit,
                              "cursors": {"after": "1", "before": "0"},
                              "href": f"{self.api_url}me/player/recently-played"})

    def _features(self, t: str) -> Response:
        if not self.audio_features_enabled:
            return Response(403, {"error": {"status": 403, "message": ""}})
        n = int(hashlib.md5(t.encode()).hexdigest(), 16) % 1000 / 1000
        return Response(200, {"id": t, "danceability": n, "energy": 1 - n, "speechiness": 0.05,
                              "acousticness": n / 2, "instrumentalness": 0.0, "liveness": 0.1,
                              "valence": 0.5, "tempo": 120.0, "loudness": -6.0, "key": 5,
                              "mode": 1, "time_signature": 4, "type": "audio_features"})
