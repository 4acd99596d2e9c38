"""A synthetic library of any size and the MusicBrainz catalogue that knows it (tests, bench).

``n_tracks`` tracks on ``n_tracks // 2`` albums (2 tracks each, like a liked-songs library of
singles and album cuts). Of the albums in MusicBrainz: 85 % are found by barcode (a fifth of them
with a second release sharing the barcode, as regional editions do), 10 % only through their
tracks' ISRCs (one in twenty of those
releases missing from the search index), 5 % are not in MusicBrainz
at all. Labels come from a few fictional families (parents, imprints).
"""

from __future__ import annotations

import random
from typing import Callable

import pandas as pd

from lib.store.db import LibraryData
from tests.fakes.musicbrainz import FakeMusicBrainz, mbid

FAMILIES = {  # parent → imprints (fictional, like the demo)
    "Halcyon Music Group": ["Aster Records", "Northlight", "Velvet Static"],
    "Orbis Entertainment": ["Juniper Sound", "Copperline Records"],
    "Tidewater Holdings": ["Foxglove Recordings", "Saltmarsh"],
}
INDEPENDENT = ["Lantern House", "Quiet Acre", "Moss & Iron", "Paper Kite Audio"]


def label_names() -> list[str]:
    return [i for kids in FAMILIES.values() for i in kids] + INDEPENDENT


def synthetic(n_tracks: int, seed: int = 7) -> tuple[LibraryData, dict]:
    """The library's frames and a plan: per album its fate (``barcode``/``isrc``/``missing``)."""
    rng = random.Random(seed)
    n_albums = max(1, n_tracks // 2)
    labels = label_names()
    albums, tracks, plan = [], [], {}
    for a in range(n_albums):
        album_id = f"al{a:07d}"
        upc = f"{(7 * 10**11 + a * 7919) % 10**12:012d}"
        fate = rng.choices(["barcode", "isrc", "missing"], [85, 10, 5])[0]
        plan[album_id] = {"upc": upc, "fate": fate, "label": rng.choice(labels),
                          "isrcs": [], "unindexed": fate == "isrc" and rng.random() < 0.05,
                          "twin": fate == "barcode" and rng.random() < 0.2}
        albums.append({"album_id": album_id, "name": f"Album {a}", "upc": upc,
                       "label_raw": None, "source": "exportify"})
    for t in range(n_tracks):
        album_id = f"al{t % n_albums:07d}"
        isrc = f"QZ{t % 7:01d}{t:09d}"[:12]
        plan[album_id]["isrcs"].append(isrc)
        tracks.append({"track_id": f"tr{t:020d}", "name": f"Track {t}", "album_id": album_id,
                       "isrc": isrc, "source": "exportify"})
    frames = {"tracks": pd.DataFrame(tracks), "albums": pd.DataFrame(albums),
              "artists": pd.DataFrame({"artist_id": ["ar0"], "name": ["Someone"]}),
              "track_artists": pd.DataFrame({"track_id": [t["track_id"] for t in tracks],
                                             "artist_id": "ar0", "position": 0})}
    return LibraryData(frames), plan


def musicbrainz_for(plan: dict, clock: Callable[[], float] | None = None) -> FakeMusicBrainz:
    """A FakeMusicBrainz knowing the plan's albums (not started); ``clock``: enforce 1 req/s."""
    fake = FakeMusicBrainz(clock=clock)
    for parent, kids in FAMILIES.items():
        fake.add_label(parent, "Holding")
        for kid in kids:
            fake.add_label(kid, "Imprint", parent=parent)
    for name in INDEPENDENT:
        fake.add_label(name, "Original Production")
    for album_id, p in plan.items():
        if p["fate"] == "missing":
            continue
        rid = mbid("release", album_id)
        barcode = p["upc"] if p["fate"] == "barcode" else None
        fake.add_release(rid, f"Album {int(album_id[2:])}", barcode, "ar0", "Someone",
                         [p["label"]], p["isrcs"])
        if p["twin"]:
            fake.add_release(mbid("release", album_id + "-twin"), f"Album {int(album_id[2:])}", "0" + p["upc"],
                             "ar0", "Someone", [p["label"]], [])
        if p["unindexed"]:
            fake.unindexed.add(rid)
    return fake
