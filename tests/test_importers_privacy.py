"""Spotify's privacy export: streaming history → scores, YourLibrary, Playlist*.json, the zip."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from lib.importers import import_files, write_import
from lib.importers.values import name_id
from lib.store.library import load_library
from lib.store.db import Store
from tests import importers_samples as S


def read(*files: tuple[str, bytes]):
    return import_files(list(files))


def scores(result) -> pd.DataFrame:
    return result.data.frames["scores"].set_index("track_id")


def test_score_formula_counts_plays_of_30_seconds_or_more():
    r = read(("Streaming_History_Audio_2023_0.json", S.json_bytes(S.extended_history())))
    s = scores(r)
    # T1: 180 s + 120 s count, the 5 s play does not; ms_played includes it.
    assert s.loc[S.T1, "plays"] == 2
    assert s.loc[S.T1, "ms_played"] == 305_000
    assert s.loc[S.T1, "score"] == pytest.approx(5.0)  # minutes in counted plays
    assert r.counts["plays"] == 6 and r.counts["plays_counted"] == 5


def test_podcasts_and_audiobooks_are_skipped_and_counted():
    r = read(("endsong_0.json", S.json_bytes(S.extended_history())))
    assert r.files[0].format == "extended-history"
    assert r.counts["podcast plays"] == 1 and r.counts["audiobook plays"] == 1
    assert "Skipped, not music: podcast plays (1); audiobook plays (1)" in \
        "\n".join(r.detail_lines())
    # T1, T2 (its relinked URI joins it by name), the unknown track.
    assert r.counts["tracks"] == 3
    assert scores(r).loc[S.T2, "plays"] == 2


def test_history_matches_library_by_uri_then_by_names():
    r = read(("liked_songs.csv", S.exportify_current().encode()),
             ("Streaming_History_Audio_2023_0.json", S.json_bytes(S.extended_history())),
             ("StreamingHistory_music_0.json", S.json_bytes(S.account_history())))
    s = scores(r)
    # The relinked Midnight City URI is not in the CSV: matched to T2 by track + artist.
    assert s.loc[S.T2, "plays"] == 2 and s.loc[S.T2, "ms_played"] == 300_000
    # Account data has no URIs: "ancient  hymn" by "m83" matches Ancient Hymn by M83.
    assert s.loc[S.T3, "plays"] == 2 and s.loc[S.T3, "score"] == pytest.approx(5.0)
    c = r.counts
    assert (c["plays_by_uri"], c["plays_by_name"], c["plays_new_track"]) == (4, 3, 2)
    # A played track no file lists becomes a track: with its URI's id, or a name id.
    tracks = r.data.frames["tracks"].set_index("name")["track_id"]
    assert tracks["Never Heard Of It"] == "1111111111111111111111"
    assert tracks["Only Here"] == name_id("Only Here", "Solo Act")
    assert "6GyFP1nfCDB8lbD2bG0Hq9" not in set(tracks)


def test_account_history_ids_are_stable_and_unknown_tracks_skipped():
    a = read(("StreamingHistory_music_0.json", S.json_bytes(S.account_history())))
    b = read(("StreamingHistory_music_1.json", S.json_bytes(S.account_history())))
    assert list(a.data.frames["tracks"]["track_id"]) == list(b.data.frames["tracks"]["track_id"])
    skipped = a.skipped_frame()
    assert skipped.iloc[0][["Row", "Column"]].tolist() == [3, "trackName"]
    assert "Unknown Track" in skipped.iloc[0]["Problem"]


def test_your_library_tracks_are_liked():
    r = read(("YourLibrary.json", S.json_bytes(S.your_library())))
    assert set(r.data.frames["liked"]["track_id"]) == {S.T2, S.T4}
    assert r.counts["saved podcast episodes, shows and audiobooks"] == 1
    assert any("1 saved albums" in n for n in r.files[0].notes)


def test_playlists_json_with_local_files_and_episodes():
    r = read(("Playlist1.json", S.json_bytes(S.playlists_json())))
    playlists = r.data.frames["playlists"]
    assert playlists["name"].tolist() == ["Night Drive"]
    entries = r.data.frames["playlist_tracks"].sort_values("position")
    assert entries["track_id"].tolist() == [S.T2, name_id("Garage Song", "My Band")]
    assert entries["added_at"].iloc[0] == pd.Timestamp("2023-01-05", tz="UTC")
    assert r.counts["podcast episodes in playlists"] == 1


def test_whole_zip_reads_music_data_and_ignores_personal_files(tmp_path):
    r = read(("my_spotify_data.zip", S.privacy_zip()))
    formats = {f.name.rsplit("/", 1)[-1]: f.format for f in r.files}
    assert formats["Userdata.json"] == "ignored" and formats["Payments.json"] == "ignored"
    assert formats["ReadMeFirst_ExtendedStreamingHistory.pdf"] == "ignored"
    assert formats["Streaming_History_Audio_2023_0.json"] == "extended-history"
    assert formats["StreamingHistory_music_0.json"] == "account-history"
    assert "Not music data, ignored: " in "\n".join(r.detail_lines())
    assert r.counts["playlists"] == 1 and r.counts["liked"] == 2
    assert r.counts["with_scores"] == 5


def test_personal_fields_are_never_stored(tmp_path):
    path = tmp_path / "lib.duckdb"
    store = Store(path)
    write_import(store, "local", read(("export.zip", S.privacy_zip())), "replace")
    for table in ("tracks", "albums", "artists", "scores", "playlists", "liked"):
        text = store.query(f"SELECT * FROM {table}").astype(str).to_csv()
        for secret in ("198.51.100.23", "alice@example.org", "android", "1990-01-01", "4111"):
            assert secret not in text
    store.close()
    raw = path.read_bytes()
    assert b"198.51.100.23" not in raw and b"alice@example.org" not in raw


def test_scores_show_in_the_library(tmp_path):
    store = Store(tmp_path / "lib.duckdb")
    r = read(("liked_songs.csv", S.exportify_current().encode()),
             ("Streaming_History_Audio_2023_0.json", S.json_bytes(S.extended_history())))
    write_import(store, "local", r, "replace")
    t = load_library(store, "local").tracks.set_index("track_id")
    assert t.loc[S.T1, "score"] == pytest.approx(5.0) and bool(t.loc[S.T1, "has_score"])
    assert t.loc[S.T1, "plays"] == 2
    assert not bool(t.loc[S.T3, "has_score"]) and t.loc[S.T3, "score"] == 0
    store.close()


def test_history_merged_into_an_existing_library_matches_its_tracks(tmp_path):
    """Merging account-data history (names only) into a library scores its existing tracks."""
    store = Store(tmp_path / "lib.duckdb")
    write_import(store, "local", read(("mix.csv", S.exportify_current().encode())), "replace")
    write_import(store, "local", read(("StreamingHistory_music_0.json",
                                       S.json_bytes(S.account_history()))), "merge")
    t = load_library(store, "local").tracks.set_index("track_id")
    assert t.loc[S.T3, "plays"] == 2  # matched by name to the existing Ancient Hymn
    assert len(t) == 4  # + "Only Here", a track only the history knows
    store.close()


def test_content_sniffing_for_renamed_files():
    r = read(("my history.json", S.json_bytes(S.extended_history())),
             ("library backup.json", S.json_bytes(S.your_library())))
    assert [f.format for f in r.files] == ["extended-history", "your-library"]


def test_podcast_and_video_history_files_are_counted():
    podcast = [{"endTime": "2023-01-01 10:00", "podcastName": "Show", "episodeName": "Ep",
                "msPlayed": 1000}]
    r = read(("StreamingHistory_podcast_0.json", json.dumps(podcast).encode()),
             ("StreamingHistory_music_0.json", S.json_bytes(S.account_history())))
    assert r.counts["podcast plays"] == 1


def test_tracks_without_spotify_ids_link_to_a_spotify_search(tmp_path):
    store = Store(tmp_path / "lib.duckdb")
    write_import(store, "local", read(("StreamingHistory_music_0.json",
                                       S.json_bytes(S.account_history()))), "replace")
    t = load_library(store, "local").tracks.set_index("track_name")
    assert t.loc["Only Here", "spotify_url"] == \
        "https://open.spotify.com/search/Only%20Here%20Solo%20Act"
    store.close()
