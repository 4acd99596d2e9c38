"""The Data page's upload flow, driven through st.file_uploader in AppTest: preview, Replace,
Merge, Fill features, error messages, the Spotify target."""

from __future__ import annotations

from lib.importers import import_files, write_import
from tests import importers_samples as S
from tests.conftest import shown
from ui.session import SESSION_KEY, SPOTIFY_LIBRARY_KEY

PAGE = "app_pages/data.py"
CSV = "text/csv"


def upload(at, *files: tuple[str, bytes | str]):
    at.file_uploader[0].set_value([
        (name, data.encode() if isinstance(data, str) else data,
         "application/zip" if name.endswith(".zip") else CSV) for name, data in files])
    return at.run()


def texts(at) -> str:
    return shown("\n".join(m.value for m in at.markdown))


def no_exception(at) -> None:
    assert not at.exception, [e.value for e in at.exception]


def test_upload_shows_a_preview_and_writes_nothing(app, store):
    at = app(PAGE)
    before = store.version("local")
    upload(at, ("Liked Songs.csv", S.exportify_current()), ("road_trip.csv", S.exportify_old()),
           ("my_spotify_data.zip", S.privacy_zip()))
    no_exception(at)
    text = texts(at)
    assert "7 tracks, 2 playlists, 3 with audio features, 3 with labels; 1 row skipped — see why" \
        in text
    assert "liked songs" in text and "podcast plays" in text
    assert "**Replace library**: “Imported files” (0 tracks now) becomes these 7 tracks." in text
    assert any(e.label == "Why 1 row skipped" for e in at.expander)
    problems = next(df.value for df in at.dataframe if "Problem" in df.value.columns)
    assert problems.iloc[0]["Column"] == "trackName"
    assert store.version("local") == before  # a preview writes nothing
    assert [b.label for b in at.button if b.key and b.key.startswith("import_")] == [
        "Replace library", "Merge into library", "Fill missing audio features"]


def test_replace_writes_switches_library_and_shows_coverage(app, store):
    at = app(PAGE)
    upload(at, ("Liked Songs.csv", S.exportify_current()),
           ("Streaming_History_Audio_2023_0.json", S.json_bytes(S.extended_history())))
    at.button(key="import_replace").click().run()
    no_exception(at)
    assert store.counts("local")["tracks"] == 4 and store.counts("local")["scores"] == 3
    assert at.session_state[SESSION_KEY] == "local"
    assert "Replaced “Imported files”: now 4 tracks" in shown(at.success[0].value)
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["With audio features"] == "75%" and metrics["With scores"] == "75%"
    text = texts(at)
    assert "1 tracks without audio features" in text and "Fill missing audio features" in text
    assert "1 tracks without labels" in text
    # The uploader is empty again; the library table marks the imported library active.
    assert not at.file_uploader[0].value
    libraries = at.dataframe[0].value.set_index("Id")
    assert libraries.loc["local", "Active"] == "✅" and libraries.loc["local", "Tracks"] == 4


def test_merge_keeps_what_the_library_has(app, store):
    write_import(store, "local", import_files([("liked_songs.csv", S.exportify_current())]),
                 "replace")
    at = app(PAGE)
    upload(at, ("road_trip.csv", S.exportify_old()))
    assert "**Merge into library**: 1 new tracks are added; 1 already in “Imported files”" \
        in texts(at)
    at.button(key="import_merge").click().run()
    no_exception(at)
    counts = store.counts("local")
    assert counts["tracks"] == 4 and counts["liked"] == 3 and counts["playlists"] == 1
    assert "Merged into “Imported files”: now 4 tracks and 1 playlists" in shown(at.success[0].value)


def test_fill_missing_features_from_a_data_set(app, store):
    write_import(store, "local", import_files([("road_trip.csv", S.exportify_old())]), "replace")
    at = app(PAGE)
    upload(at, ("dataset.csv", S.tracks_dataset()))
    assert "these files have them for 2" in texts(at)
    at.button(key="import_features").click().run()
    no_exception(at)
    assert "Filled audio features of 2 tracks" in shown(at.success[0].value)
    assert store.counts("local")["audio_features"] == 2
    assert store.counts("local")["artist_genres"] == 0


def test_bad_file_shows_a_clear_error_and_no_buttons(app, store):
    at = app(PAGE)
    before = S.snapshot(store, "demo"), S.snapshot(store, "local")
    upload(at, ("road_trip.csv", S.exportify_old()),
           ("Streaming_History_Audio_2023_0.json", S.json_bytes(S.extended_history())[:200]))
    no_exception(at)
    message = shown(at.error[0].value)
    assert "Cannot import" in message and "Streaming_History_Audio_2023_0.json, " \
        "line" in message and "truncated" in message and "unchanged" in message
    assert not [b for b in at.button if b.key and b.key.startswith("import_")]
    assert (S.snapshot(store, "demo"), S.snapshot(store, "local")) == before


def test_unknown_layout_error_names_row_and_header(app):
    at = app(PAGE)
    upload(at, ("export.csv", "Title,Singer\nA,B\n"))
    assert "export.csv, row 1: unknown layout" in shown(at.error[0].value)


def test_header_only_file_disables_writing(app):
    at = app(PAGE)
    upload(at, ("empty_playlist.csv", ",".join(S.EXPORTIFY_HEADER) + "\n"))
    no_exception(at)
    assert "nothing to write" in at.warning[0].value
    assert at.button(key="import_replace").disabled and at.button(key="import_merge").disabled


def test_connected_spotify_user_imports_into_their_library(app, store):
    at = app(PAGE)
    at.session_state[SPOTIFY_LIBRARY_KEY] = "spotify:alice"
    at.run()
    assert any("imports go to **Spotify (alice)**" in shown(c.value) for c in at.caption)
    upload(at, ("Liked Songs.csv", S.exportify_current()))
    at.button(key="import_replace").click().run()
    no_exception(at)
    assert store.counts("spotify:alice")["tracks"] == 3
    assert store.version("local") == -1
    assert at.session_state[SESSION_KEY] == "spotify:alice"


def test_file_names_from_data_are_escaped(app):
    at = app(PAGE)
    evil = "[x](javascript:alert(1)) <b>.csv"
    upload(at, (evil, "a,b\n1,2\n"))
    assert "javascript:alert" in shown(at.error[0].value)
    assert "](javascript" not in at.error[0].value
    assert "<b>" not in at.error[0].value
