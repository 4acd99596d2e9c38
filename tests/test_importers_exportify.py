"""Exportify CSVs: every header variant, escaped commas, dates, liked files, playlists per file."""

from __future__ import annotations

import pandas as pd
import pytest

from lib.importers import import_files, write_import
from lib.importers.values import name_id
from lib.importers.exportify import is_liked_file, playlist_name
from lib.store.library import load_library
from lib.store.db import Store
from tests import importers_samples as S


def read(*files: tuple[str, str | bytes]):
    return import_files([(n, d.encode("utf-8") if isinstance(d, str) else d) for n, d in files])


def frame(result, table: str) -> pd.DataFrame:
    return result.data.frames[table]


def test_current_header_with_every_optional_group():
    r = read(("road_trip_2019.csv", S.exportify_current()))
    assert r.files[0].format == "exportify"
    tracks = frame(r, "tracks").set_index("track_id")
    assert list(tracks.index) == [S.T1, S.T2, S.T3]
    assert tracks.loc[S.T1, "name"] == "See You Again (feat. Kali Uchis)"
    assert tracks.loc[S.T1, "duration_ms"] == 180386
    assert bool(tracks.loc[S.T1, "explicit"]) is True
    assert tracks.loc[S.T1, "isrc"] == "USQX91701278"
    assert tracks.loc[S.T1, "source"] == "exportify:road_trip_2019.csv"
    albums = frame(r, "albums").set_index("album_id")
    assert albums.loc[S.AL1, "label_raw"] == "Columbia"
    assert albums.loc[S.AL2, "label_raw"] == "Naïve"
    assert albums.loc[S.AL1, "image_url"].startswith("https://i.scdn.co/image/")
    feats = frame(r, "audio_features").set_index("track_id")
    assert feats.loc[S.T1, "tempo"] == pytest.approx(78.558)
    assert feats.loc[S.T2, "mode"] == 0 and feats.loc[S.T1, "key"] == 6
    genres = frame(r, "artist_genres")
    assert set(genres[genres["artist_id"] == S.A1]["genre"]) == {"hip hop", "rap"}
    assert r.counts["with_features"] == 3 and r.counts["with_labels"] == 3


def test_escaped_commas_in_artist_and_album_names():
    r = read(("mix.csv", S.exportify_current()))
    artists = frame(r, "artists").set_index("artist_id")["name"]
    assert artists[S.A1] == "Tyler, The Creator"
    assert artists[S.A2] == "Kali Uchis"
    credits = frame(r, "track_artists")
    t1 = credits[credits["track_id"] == S.T1].sort_values("position")
    assert list(t1["artist_id"]) == [S.A1, S.A2]
    albums = frame(r, "albums").set_index("album_id")["name"]
    assert albums[S.AL2] == "Hurry Up, We're Dreaming"


def test_release_dates_year_month_day_precision():
    r = read(("mix.csv", S.exportify_current()))
    albums = frame(r, "albums").set_index("album_id")
    assert albums.loc[S.AL1, ["release_date", "release_year"]].tolist() == ["2017-07-21", 2017]
    assert albums.loc[S.AL2, ["release_date", "release_year"]].tolist() == ["2011-10", 2011]
    assert albums.loc[S.AL3, ["release_date", "release_year"]].tolist() == ["2003", 2003]


def test_header_without_optional_groups():
    r = read(("plain.csv", S.exportify_plain()))
    assert r.counts["tracks"] == 3
    assert r.counts["with_features"] == 0 and r.counts["with_labels"] == 0
    assert frame(r, "audio_features").empty and frame(r, "artist_genres").empty


def test_pre_2020_header():
    r = read(("old.csv", S.exportify_old()))
    assert r.files[0].format == "exportify-old"
    tracks = frame(r, "tracks").set_index("track_id")
    assert set(tracks.index) == {S.T1, S.T4}
    artists = frame(r, "artists").set_index("artist_id")["name"]
    assert artists[S.A1] == "Tyler, The Creator"
    assert frame(r, "albums")["release_year"].isna().all()


def test_fork_header_without_artist_or_album_uris():
    r = read(("fork.csv", S.exportify_fork()))
    assert r.files[0].format == "exportify-fork"
    albums = frame(r, "albums").set_index("name")
    assert albums.loc["Substance", "label_raw"] == "Factory Records"
    assert albums.loc["Substance", "release_date"] == "1987-08"
    # No URIs: artists and albums get stable ids made from their names.
    artists = frame(r, "artists").set_index("name")["artist_id"]
    assert artists["New Order"] == name_id("New Order")
    assert artists["Tyler, The Creator"].startswith("name:")
    assert albums.loc["Substance"].name == "Substance"
    assert frame(r, "audio_features").set_index("track_id").loc[S.T4, "energy"] == \
        pytest.approx(0.578)


def test_fork_and_current_files_share_artists_by_name():
    """The fork lists no artist URIs; names match the current file's artists and take their ids."""
    r = read(("a.csv", S.exportify_current()), ("b.csv", S.exportify_fork()))
    artists = frame(r, "artists")
    tyler = artists[artists["name"] == "Tyler, The Creator"]
    assert list(tyler["artist_id"]) == [S.A1]


@pytest.mark.parametrize("name", ["Liked Songs.csv", "liked_songs.csv", "Liked_Songs.csv",
                                  "LIKED-SONGS.CSV", "Liked Songs (1).csv", "liked_tracks.csv"])
def test_liked_songs_file_marks_liked(name):
    assert is_liked_file(name.rsplit(".", 1)[0])
    r = read((name, S.exportify_current()))
    liked = frame(r, "liked")
    assert set(liked["track_id"]) == {S.T1, S.T2, S.T3}
    assert liked.set_index("track_id").loc[S.T1, "added_at"] == \
        pd.Timestamp("2021-03-04T10:20:30Z")
    assert r.counts["playlists"] == 0 and r.counts["liked"] == 3


@pytest.mark.parametrize("stem", ["liked songs mix", "my liked songs", "songs"])
def test_other_files_are_not_liked(stem):
    assert not is_liked_file(stem)


def test_each_file_becomes_a_playlist_named_after_it():
    r = read(("road_trip_2019.csv", S.exportify_current()), ("Chill Vibes.csv", S.exportify_old()),
             ("Liked_Songs.csv", S.exportify_plain()))
    playlists = frame(r, "playlists").set_index("name")
    assert set(playlists.index) == {"road trip 2019", "Chill Vibes"}
    assert playlists.loc["road trip 2019", "owner"] == "alice"
    entries = frame(r, "playlist_tracks")
    road = entries[entries["playlist_id"] == playlists.loc["road trip 2019", "playlist_id"]]
    assert list(road.sort_values("position")["track_id"]) == [S.T1, S.T2, S.T3]
    chill = entries[entries["playlist_id"] == playlists.loc["Chill Vibes", "playlist_id"]]
    assert set(chill["track_id"]) == {S.T1, S.T4}
    # The same track in several files is one track.
    assert r.counts["tracks"] == 4
    assert playlist_name("road_trip_2019") == "road trip 2019"


def test_playlist_ids_are_stable_across_imports():
    a = read(("road_trip.csv", S.exportify_current()))
    b = read(("road_trip.csv", S.exportify_plain()))
    assert frame(a, "playlists")["playlist_id"].tolist() == \
        frame(b, "playlists")["playlist_id"].tolist()


def test_first_file_wins_and_later_files_fill_gaps():
    plain = read(("a.csv", S.exportify_plain()), ("b.csv", S.exportify_current()))
    albums = frame(plain, "albums").set_index("album_id")
    assert albums.loc[S.AL1, "label_raw"] == "Columbia"  # the plain file had no label column
    assert frame(plain, "tracks").set_index("track_id").loc[S.T1, "source"] == "exportify:a.csv"


def test_local_files_and_podcast_episodes():
    rows = S.current_rows()
    local = list(rows[0])
    local[0] = "spotify:local:My+Band:Demo:Garage+Song:215"
    local[1], local[2], local[3], local[4], local[6] = "Garage Song", "", "My Band", "", ""
    episode = list(rows[1])
    episode[0] = "spotify:episode:5Ka2gKsHvVQUqaOaYRhwjT"
    r = read(("p.csv", S.exportify_current([local, episode, rows[2]])))
    tracks = frame(r, "tracks").set_index("name")
    assert tracks.loc["Garage Song", "track_id"] == name_id("Garage Song", "My Band")
    assert "Midnight City" not in tracks.index
    assert r.counts["podcast episodes in playlists"] == 1
    assert any("local files" in n for n in r.files[0].notes)


def test_summary_line_reports_the_preview_numbers():
    r = read(("liked_songs.csv", S.exportify_current()), ("road_trip.csv", S.exportify_old()))
    assert r.summary_line() == "4 tracks, 1 playlists, 3 with audio features, 3 with labels"


def test_imported_library_loads_with_labels_art_and_features(tmp_path):
    store = Store(tmp_path / "lib.duckdb")
    r = read(("liked_songs.csv", S.exportify_current()), ("road_trip.csv", S.exportify_old()))
    write_import(store, "local", r, "replace")
    library = load_library(store, "local")
    t = library.tracks.set_index("track_id")
    assert t.loc[S.T1, "artists"] == "Tyler, The Creator, Kali Uchis"
    assert t.loc[S.T1, "label"] is not None and t.loc[S.T1, "liked"]
    assert bool(t.loc[S.T1, "has_features"]) and not bool(t.loc[S.T4, "has_features"])
    assert t.loc[S.T2, "image_url"].startswith("https://")
    assert t.loc[S.T1, "genres"] == ["hip hop", "rap"]
    assert set(library.playlists["name"]) == {"road trip"}
    store.close()


def test_merge_uses_the_preview_only_while_the_library_is_unchanged(tmp_path):
    from lib.importers import preview
    store = Store(tmp_path / "lib.duckdb")
    write_import(store, "local", read(("fork.csv", S.exportify_fork())), "replace")
    plays = S.json_bytes([{"endTime": "2023-01-02 10:00", "artistName": "New Order",
                           "trackName": "Blue Monday", "msPlayed": 400_000}])
    history = import_files([("StreamingHistory_music_0.json", plays)])
    plan = preview(history, store, "local")
    assert (plan.merge_known, plan.merge_new) == (1, 0)  # matched by name to the fork's T4
    # The library changes after the preview: T4 is gone, so the names match nothing now.
    write_import(store, "local", read(("mix.csv", S.exportify_current())), "replace")
    write_import(store, "local", history, "merge", plan=plan)
    scores = store.query("SELECT track_id FROM scores WHERE library_id = 'local'")
    assert scores["track_id"].tolist() == [name_id("Blue Monday", "New Order")]
    # With an unchanged library the preview's resolution is used as it is.
    write_import(store, "local", read(("fork.csv", S.exportify_fork())), "replace")
    plan = preview(history, store, "local")
    write_import(store, "local", history, "merge", plan=plan)
    scores = store.query("SELECT track_id FROM scores WHERE library_id = 'local'")
    assert scores["track_id"].tolist() == [S.T4]
    store.close()
