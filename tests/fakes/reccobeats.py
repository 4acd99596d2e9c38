"""A fake ReccoBeats: ``GET /v1/audio-features?ids=<spotify ids>`` (at most 40 ids)."""

from __future__ import annotations

import hashlib
import uuid

from tests.fakes.server import FakeServer, Request, Response


class FakeReccoBeats(FakeServer):
    """Knows features for every Spotify id in ``known`` (all ids when ``known`` is None)."""

    def __init__(self, known: set[str] | None = None) -> None:
        super().__init__()
        self.known = known

    @property
    def base_url(self) -> str:
        return self.url + "/v1/"

    def features(self, spotify_id: str) -> dict:
        h = int(hashlib.sha1(spotify_id.encode()).hexdigest(), 16)
        return {"id": str(uuid.UUID(int=h >> 32)),
                "href": f"https://open.spotify.com/track/{spotify_id}",
                "isrc": "XX0000000000",
                "acousticness": (h % 97) / 97, "danceability": (h % 89) / 89,
                "energy": (h % 83) / 83, "instrumentalness": (h % 7) / 70,
                "key": h % 12, "liveness": (h % 31) / 100, "loudness": -3 - (h % 20),
                "mode": h % 2, "speechiness": (h % 13) / 100, "tempo": 80.0 + h % 90,
                "valence": (h % 79) / 79}

    def handle(self, req: Request) -> Response:
        if req.path != "/v1/audio-features" or req.method != "GET":
            return Response(404, {"error": "Not Found", "status": 404})
        ids = [i for i in req.query.get("ids", "").split(",") if i]
        if not ids or len(ids) > 40:
            return Response(400, {"error": "ids must hold 1 to 40 ids", "status": 400})
        content = [self.features(i) for i in ids if self.known is None or i in self.known]
        return Response(200, {"content": content})
