"""AppTest: keeping a clustering, reopening it at /clusters?map=NAME after the library changed,
renaming and deleting it; on the demo library and on an Exportify import."""

from __future__ import annotations

from lib.clusters.maps import list_maps
from lib.importers import import_files
from lib.importers.write import write_import
from tests.test_spotify_ui import one_browser  # noqa: F401  (sign-ins start in this "browser")
from tests import importers_samples as samples
from tests.fakes.fixtures import (fake_reccobeats, fake_spotify, spotify_config,  # noqa: F401
                                  spotify_env)


def _texts(at) -> str:
    parts = [*at.title, *at.subheader, *at.caption, *at.markdown, *at.warning, *at.success]
    return "\n".join(str(p.value) for p in parts).replace("\\", "")


def test_keep_reopen_rename_delete(app, store) -> None:
    at = app("app_pages/clusters.py", k="3")
    assert not at.exception, [e.value for e in at.exception]
    at.text_input(key="map_new_name").set_value("My three").run()
    at.button(key="map_keep").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert "Kept as 'My three'" in _texts(at)
    maps = list_maps(store, "demo")
    assert maps["name"].tolist() == ["My three"] and maps["k"].tolist() == [3]
    # The same name again is refused with a message.
    at.text_input(key="map_new_name").set_value("My three").run()
    at.button(key="map_keep").click().run()
    assert "already exists" in " ".join(e.value for e in at.error)
    assert [p.proto.label for p in at.get("page_link") if p.proto.label == "My three"]

    # Deep link to the map (a fresh session, as after a restart).
    at = app("app_pages/clusters.py", map="My three")
    assert not at.exception, [e.value for e in at.exception]
    assert at.title[0].value == "Cluster map: My three"
    heads = [h.value for h in at.subheader if h.value.startswith("Cluster #")]
    assert len(heads) == 3
    assert at.metric[1].value == "0" and at.metric[2].value == "0"
    at.text_input(key="map_rename").set_value("Renamed").run()
    at.button(key="map_rename_go").click().run()
    assert not at.exception
    assert list_maps(store, "demo")["name"].tolist() == ["Renamed"]
    assert at.title[0].value == "Cluster map: Renamed"
    at.checkbox(key="map_delete_sure").check().run()
    at.button(key="map_delete_go").click().run()
    assert not at.exception
    assert list_maps(store, "demo").empty
    assert "Deleted the map 'Renamed'" in _texts(at)


def test_unknown_map_gets_a_message(app) -> None:
    at = app("app_pages/clusters.py", map="Nope")
    assert not at.exception
    assert "No saved map called 'Nope'" in _texts(at)


def test_exportify_map_survives_a_merge_with_a_new_track(app, store) -> None:
    rows = samples.current_rows()
    fourth = [f"spotify:track:{samples.T4}", "Another Hymn", *rows[2][2:]]
    write_import(store, "local", import_files([("Liked Songs.csv",
                                                samples.exportify_current(rows))]), "replace")
    at = app("app_pages/clusters.py", k="2", preset="metadata")
    assert not at.exception, [e.value for e in at.exception]
    at.text_input(key="map_new_name").set_value("Tiny").run()
    at.button(key="map_keep").click().run()
    assert list_maps(store, "local")["tracks"].tolist() == [3]
    write_import(store, "local", import_files([("Liked Songs.csv",
                                                samples.exportify_current([*rows, fourth]))]),
                 "merge")
    at = app("app_pages/clusters.py", map="Tiny")
    assert not at.exception, [e.value for e in at.exception]
    assert at.metric[0].value == "4" and at.metric[1].value == "1"
    assert any(t.startswith("🆕 ") for d in at.dataframe if "Track" in d.value.columns
               for t in d.value["Track"])


def test_a_cluster_of_a_saved_map_becomes_a_spotify_playlist(app, spotify_env,
                                                            fake_spotify) -> None:
    from tests.test_spotify_ui import button, connect

    at = connect(app, fake_spotify)
    button(at, "Sync library").click().run()
    at.switch_page("app_pages/clusters.py")
    at.query_params["k"] = "2"
    at.run()
    assert not at.exception, at.exception
    at.text_input(key="map_new_name").set_value("From Spotify").run()
    at.button(key="map_keep").click().run()
    at.query_params.clear()
    at.query_params["map"] = "From Spotify"
    at.run()
    assert not at.exception, at.exception
    assert at.title[0].value == "Cluster map: From Spotify"
    saves = [b for b in at.button if b.label == "Save as private playlist"]
    assert len(saves) == 2
    size = int([d.value for d in at.dataframe if "Tracks now" in d.value.columns][0]
               ["Tracks now"].iloc[0])
    saves[0].click().run()
    assert not at.exception, at.exception
    created = [p for p in fake_spotify.playlists.values() if "From Spotify" in p["name"]]
    assert len(created) == 1 and created[0]["public"] is False
    assert len(created[0]["entries"]) == size and "Cluster #1" in created[0]["name"]
