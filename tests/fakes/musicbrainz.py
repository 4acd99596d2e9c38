"""A fake MusicBrainz web service (``/ws/2/``) with the real JSON shapes.

- Search (Lucene ``field:value OR field:value …``, ``limit`` ≤ 100, ``offset``; answers carry
  ``created``, ``count``, ``offset``): ``release?query=barcode:… | reid:…`` (releases with
  ``label-info``), ``recording?query=isrc:…`` (recordings with ``isrcs`` and their releases,
  without labels, as the real index returns them).
- Look-ups: ``isrc/{isrc}``, ``release/{mbid}?inc=labels``, ``label/{mbid}?inc=label-rels``
  (``relations`` of ``target-type`` label: ``imprint``, ``label ownership``,
  ``label distribution``, each with ``direction``), ``artist/{mbid}?inc=genres``.
- Answers 403 to requests without a descriptive User-Agent, as the real service does, and 503
  to a second request within a second of ``clock`` (when given); faults
  (503 with Retry-After) through :meth:`FakeServer.fail`. ``unindexed`` release ids are missing
  from search results but found by look-up (the search index lags the database).
"""

from __future__ import annotations

import re
import uuid
from typing import Callable, Iterable

from tests.fakes.server import FakeServer, Request, Response, route

RATE_LIMITED = ("Your requests are exceeding the allowable rate limit. Please see "
                "http://wiki.musicbrainz.org/XMLWebService for more information.")
_TERM = re.compile(r'(\w+):"?([\w-]+)"?')


def mbid(kind: str, key: str) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"{kind}:{key}"))


def _without(release: dict, *keys: str) -> dict:
    return {k: v for k, v in release.items() if k not in keys}


class FakeMusicBrainz(FakeServer):
    """A catalogue of releases, recordings, labels (with relations) and artist genres.

    Built from a FakeSpotify catalogue (``spotify``; ``labels`` maps an album UPC to its label
    names; albums whose UPC is in ``isrc_only`` have no barcode in MusicBrainz, so only their
    tracks' ISRCs find them) or empty, then filled with :meth:`add_release` / :meth:`add_label`.
    """

    def __init__(self, spotify: "object | None" = None, labels: dict[str, list[str]] | None = None,
                 isrc_only: Iterable[str] = frozenset(),
                 genres: dict[str, list[tuple[str, int]]] | None = None,
                 clock: Callable[[], float] | None = None) -> None:
        super().__init__()
        self.clock = clock          # when given, more than 1 request a second gets a 503
        self.last_request: float | None = None
        self.rate_limited = 0
        self.releases: dict[str, dict] = {}
        self.by_barcode: dict[str, list[str]] = {}
        self.by_isrc: dict[str, list[str]] = {}
        self.artist_genres: dict[str, list[tuple[str, int]]] = {}
        self.labels: dict[str, dict] = {}
        self.unindexed: set[str] = set()
        if spotify is None:
            return
        isrc_only = set(isrc_only)
        for album_id, album in spotify.albums.items():  # type: ignore[attr-defined]
            upc = album["external_ids"]["upc"]
            artist = spotify.artists[album["artists"][0]["id"]]  # type: ignore[attr-defined]
            isrcs = [spotify.tracks[t]["external_ids"]["isrc"]  # type: ignore[attr-defined]
                     for t in spotify.album_tracks[album_id]]  # type: ignore[attr-defined]
            self.add_release(mbid("release", album_id), album["name"],
                             None if upc in isrc_only else upc, artist["id"], artist["name"],
                             (labels or {}).get(upc, []), isrcs, date=album["release_date"])
            self.artist_genres[mbid("artist", artist["id"])] = (genres or {}).get(
                artist["name"], [("alternative rock", 3), ("indie", 5), ("pop", 1)])

    @property
    def base_url(self) -> str:
        return self.url + "/ws/2/"

    # -- catalogue ------------------------------------------------------------------------------
    def add_label(self, name: str, type_: str = "Original Production",
                  parent: str | None = None, relation: str = "imprint") -> str:
        """Add a label (``parent``: the name of the label owning it, through ``relation``)."""
        lid = mbid("label", name)
        label = self.labels.setdefault(lid, {"id": lid, "name": name, "sort-name": name,
                                             "disambiguation": "", "relations": []})
        label.update({"type": type_, "type-id": mbid("label-type", type_)})
        if parent:
            pid = self.add_label(parent, self.labels.get(mbid("label", parent), {})
                                 .get("type", "Holding"))
            self._relate(pid, lid, relation)
        return lid

    def _relate(self, parent_id: str, child_id: str, relation: str) -> None:
        def target(label: dict) -> dict:
            return {k: label[k] for k in ("id", "name", "sort-name", "type", "type-id",
                                          "disambiguation")}
        for owner, other, direction in ((parent_id, child_id, "forward"),
                                        (child_id, parent_id, "backward")):
            self.labels[owner]["relations"].append({
                "type": relation, "type-id": mbid("link-type", relation),
                "target-type": "label", "direction": direction, "begin": "1990", "end": None,
                "ended": False, "attributes": [], "attribute-values": {},
                "source-credit": "", "target-credit": "", "label": target(self.labels[other])})

    def add_release(self, rid: str, title: str, barcode: str | None, artist_key: str,
                    artist_name: str, label_names: list[str], isrcs: list[str],
                    date: str = "2020-01-01") -> None:
        artist_mbid = mbid("artist", artist_key)
        for name in label_names:
            if mbid("label", name) not in self.labels:
                self.add_label(name)
        self.releases[rid] = {
            "id": rid, "score": 100, "status-id": mbid("status", "Official"), "count": 1,
            "title": title, "status": "Official", "barcode": barcode, "date": date,
            "country": "XW", "text-representation": {"language": "eng", "script": "Latn"},
            "artist-credit": [{"name": artist_name, "joinphrase": "",
                               "artist": {"id": artist_mbid, "name": artist_name,
                                          "sort-name": artist_name}}],
            "release-group": {"id": mbid("release-group", rid), "primary-type": "Album",
                              "title": title},
            "release-events": [{"date": date, "area": {"name": "[Worldwide]"}}],
            "label-info": [{"catalog-number": f"CAT{(barcode or rid)[-4:]}",
                            "label": {"id": mbid("label", name), "name": name}}
                           for name in label_names],
            "track-count": len(isrcs), "media": [{"format": "Digital Media", "disc-count": 0,
                                                  "track-count": len(isrcs)}]}
        if barcode:
            self.by_barcode.setdefault(barcode, []).append(rid)
        for isrc in isrcs:
            self.by_isrc.setdefault(isrc, []).append(rid)
        self.artist_genres.setdefault(artist_mbid, [("alternative rock", 3), ("indie", 5)])

    # -- HTTP -----------------------------------------------------------------------------------
    def handle(self, req: Request) -> Response:
        agent = req.headers.get("User-Agent", "")
        if "labelscope" not in agent or "python-requests/" in agent.split()[0]:
            return Response(403, {"error": "Your requests are blocked: set a User-Agent"})
        if req.query.get("fmt") != "json":
            return Response(406, {"error": "ask for fmt=json"})
        if self.clock is not None:
            now = self.clock()
            if self.last_request is not None and now - self.last_request < 1.0 - 1e-9:
                self.rate_limited += 1
                return Response(503, {"error": RATE_LIMITED}, {"Retry-After": "1"})
            self.last_request = now
        return route([
            ("GET", r"/ws/2/release", self._search_releases),
            ("GET", r"/ws/2/recording", self._search_recordings),
            ("GET", r"/ws/2/release/([0-9a-f-]+)", self._release),
            ("GET", r"/ws/2/isrc/(\w+)", self._isrc),
            ("GET", r"/ws/2/label/([0-9a-f-]+)", self._label),
            ("GET", r"/ws/2/artist/([0-9a-f-]+)", self._artist),
        ], req) or Response(404, {"error": "Not Found"})

    def _terms(self, req: Request, fields: set[str]) -> tuple[str, list[str]] | Response:
        parts = [p.strip() for p in req.query.get("query", "").split(" OR ")]
        terms = [_TERM.fullmatch(p) for p in parts]
        if not parts or not all(terms) or len({t.group(1) for t in terms}) != 1 \
                or terms[0].group(1) not in fields:
            return Response(400, {"error": f"unsupported query: {req.query.get('query')!r}"})
        return terms[0].group(1), [t.group(2) for t in terms]

    def _page(self, req: Request, kind: str, items: list[dict]) -> Response:
        try:
            limit = int(req.query.get("limit", 25))
            offset = int(req.query.get("offset", 0))
        except ValueError:
            return Response(400, {"error": "bad limit/offset"})
        limit = max(1, min(limit, 100))  # the real service caps the page at 100
        return Response(200, {"created": "2026-11-29T00:00:00.000Z", "count": len(items),
                              "offset": offset, kind: items[offset:offset + limit]})

    def _search_releases(self, req: Request) -> Response:
        parsed = self._terms(req, {"barcode", "reid"})
        if isinstance(parsed, Response):
            return parsed
        field, values = parsed
        if field == "barcode":
            rids = [r for v in values for r in self.by_barcode.get(v, [])]
        else:
            rids = [v for v in values if v in self.releases]
        rids = [r for r in dict.fromkeys(rids) if r not in self.unindexed]
        return self._page(req, "releases", [self.releases[r] for r in rids])

    def _search_recordings(self, req: Request) -> Response:
        parsed = self._terms(req, {"isrc"})
        if isinstance(parsed, Response):
            return parsed
        recordings = []
        for isrc in dict.fromkeys(v.upper() for v in parsed[1]):
            rids = self.by_isrc.get(isrc)
            if rids:
                recordings.append(self._recording(isrc, rids))
        return self._page(req, "recordings", recordings)

    def _recording(self, isrc: str, rids: list[str]) -> dict:
        first = self.releases[rids[0]]
        return {"id": mbid("recording", isrc), "score": 100, "title": "A recording",
                "length": 200000, "video": None, "isrcs": [isrc],
                "artist-credit": first["artist-credit"], "first-release-date": first["date"],
                "releases": [_without(self.releases[r], "label-info", "score", "barcode")
                             for r in rids]}

    def _release(self, req: Request, rid: str) -> Response:
        release = self.releases.get(rid)
        if release is None:
            return Response(404, {"error": "Not Found"})
        release = _without(release, "score", "count")
        if "labels" not in req.query.get("inc", ""):
            release = _without(release, "label-info")
        return Response(200, release)

    def _isrc(self, req: Request, isrc: str) -> Response:
        rids = self.by_isrc.get(isrc)
        if not rids:
            return Response(404, {"error": "Not Found"})
        return Response(200, {"isrc": isrc, "recordings": [self._recording(isrc, rids)]})

    def _label(self, req: Request, lid: str) -> Response:
        label = self.labels.get(lid)
        if label is None:
            return Response(404, {"error": "Not Found"})
        if "label-rels" not in req.query.get("inc", ""):
            label = _without(label, "relations")
        return Response(200, label)

    def _artist(self, req: Request, artist_mbid: str) -> Response:
        genres = self.artist_genres.get(artist_mbid)
        if genres is None:
            return Response(404, {"error": "Not Found"})
        return Response(200, {"id": artist_mbid, "name": "An artist", "genres": [
            {"id": mbid("genre", g), "name": g, "count": c} for g, c in genres]})
