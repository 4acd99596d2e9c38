"""A fake MusicBrainz web service (``/ws/2/``): barcode search, ISRC, release and artist look-ups.

Answers 403 to requests without a descriptive User-Agent, as the real service does.
"""

from __future__ import annotations

import re
import uuid

from tests.fakes.server import FakeServer, Request, Response, route


def mbid(kind: str, key: str) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"{kind}:{key}"))


class FakeMusicBrainz(FakeServer):
    """Built from a FakeSpotify catalogue: releases by UPC, recordings by ISRC, artist genres.

    ``labels`` maps an album UPC to its label names; albums whose UPC is in ``isrc_only`` are not
    findable by barcode (only through their tracks' ISRCs).
    """

    def __init__(self, spotify: "object", labels: dict[str, list[str]],
                 isrc_only: set[str] = frozenset(), genres: dict[str, list[tuple[str, int]]]
                 | None = None) -> None:
        super().__init__()
        self.releases: dict[str, dict] = {}
        self.by_barcode: dict[str, str] = {}
        self.by_isrc: dict[str, list[str]] = {}
        self.artist_genres: dict[str, list[tuple[str, int]]] = {}
        for album_id, album in spotify.albums.items():  # type: ignore[attr-defined]
            upc = album["external_ids"]["upc"]
            artist = spotify.artists[album["artists"][0]["id"]]  # type: ignore[attr-defined]
            artist_mbid = mbid("artist", artist["id"])
            self.artist_genres[artist_mbid] = (genres or {}).get(
                artist["name"], [("alternative rock", 3), ("indie", 5), ("pop", 1)])
            rid = mbid("release", album_id)
            self.releases[rid] = {
                "id": rid, "title": album["name"], "barcode": upc, "status": "Official",
                "date": album["release_date"], "country": "XW",
                "artist-credit": [{"name": artist["name"], "joinphrase": "",
                                   "artist": {"id": artist_mbid, "name": artist["name"],
                                              "sort-name": artist["name"]}}],
                "label-info": [{"catalog-number": f"CAT{upc[-4:]}",
                                "label": {"id": mbid("label", name), "name": name}}
                               for name in labels.get(upc, [])]}
            if upc not in isrc_only:
                self.by_barcode[upc] = rid
            for t in spotify.album_tracks[album_id]:  # type: ignore[attr-defined]
                isrc = spotify.tracks[t]["external_ids"]["isrc"]  # type: ignore[attr-defined]
                self.by_isrc.setdefault(isrc, []).append(rid)

    @property
    def base_url(self) -> str:
        return self.url + "/ws/2/"

    def handle(self, req: Request) -> Response:
        agent = req.headers.get("User-Agent", "")
        if "labelscope" not in agent or "python-requests/" in agent.split()[0]:
            return Response(403, {"error": "Your requests are blocked: set a User-Agent"})
        if req.query.get("fmt") != "json":
            return Response(406, {"error": "ask for fmt=json"})
        return route([
            ("GET", r"/ws/2/release", self._search),
            ("GET", r"/ws/2/release/([0-9a-f-]+)", self._release),
            ("GET", r"/ws/2/isrc/(\w+)", self._isrc),
            ("GET", r"/ws/2/artist/([0-9a-f-]+)", self._artist),
        ], req) or Response(404, {"error": "Not Found"})

    def _search(self, req: Request) -> Response:
        match = re.fullmatch(r"barcode:(\d+)", req.query.get("query", ""))
        if not match:
            return Response(400, {"error": "unsupported query"})
        rid = self.by_barcode.get(match.group(1))
        releases = [dict(self.releases[rid], score=100)] if rid else []
        return Response(200, {"created": "2026-11-29T00:00:00.000Z", "count": len(releases),
                              "offset": 0, "releases": releases})

    def _release(self, req: Request, rid: str) -> Response:
        release = self.releases.get(rid)
        if release is None:
            return Response(404, {"error": "Not Found"})
        if "labels" not in req.query.get("inc", ""):
            release = {k: v for k, v in release.items() if k != "label-info"}
        return Response(200, release)

    def _isrc(self, req: Request, isrc: str) -> Response:
        rids = self.by_isrc.get(isrc)
        if not rids:
            return Response(404, {"error": "Not Found"})
        releases = [{k: v for k, v in self.releases[r].items() if k != "label-info"}
                    for r in rids]
        return Response(200, {"isrc": isrc, "recordings": [
            {"id": mbid("recording", isrc), "title": "A recording", "length": 200000,
             "releases": releases}]})

    def _artist(self, req: Request, artist_mbid: str) -> Response:
        genres = self.artist_genres.get(artist_mbid)
        if genres is None:
            return Response(404, {"error": "Not Found"})
        return Response(200, {"id": artist_mbid, "name": "An artist", "genres": [
            {"id": mbid("genre", g), "name": g, "count": c} for g, c in genres]})
