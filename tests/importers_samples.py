"""Small import files written the way the real tools write them (docs/formats.md), for the importer
tests. Every builder returns bytes (or text), so tests can re-encode them (BOM, Latin-1,
UTF-16 like Excel, semicolons…)."""

from __future__ import annotations

import csv
import io
import json
import zipfile

EXPORTIFY_HEADER = [
    "Track URI", "Track Name", "Artist URI(s)", "Artist Name(s)", "Album URI", "Album Name",
    "Album Artist URI(s)", "Album Artist Name(s)", "Album Release Date", "Album Image URL",
    "Disc Number", "Track Number", "Track Duration (ms)", "Track Preview URL", "Explicit",
    "Popularity", "ISRC", "Added By", "Added At",
]
GENRE_HEADER = ["Artist Genres"]
FEATURE_HEADER = ["Danceability", "Energy", "Key", "Loudness", "Mode", "Speechiness",
                  "Acousticness", "Instrumentalness", "Liveness", "Valence", "Tempo",
                  "Time Signature"]
ALBUM_HEADER = ["Album Genres", "Label", "Copyrights"]
OLD_HEADER = ["Track URI", "Track Name", "Artist URI", "Artist Name", "Album URI", "Album Name",
              "Disc Number", "Track Number", "Track Duration (ms)", "Added By", "Added At"]
FORK_HEADER = ["Track URI", "Track Name", "Album Name", "Artist Name(s)", "Release Date",
               "Duration (ms)", "Popularity", "Explicit", "Added By", "Added At", "Genres",
               "Record Label", *FEATURE_HEADER]

# Spotify-looking ids (22 base62 characters).
T1, T2, T3, T4 = "4r34Yi0eltsu1tp6z4lq3x", "7ouMYWpwJ422jRcDASZB7P", "0VjIjW4GlUZAMYd2vXMi3b", \
    "3n3Ppam7vgaVa1iaRUc9Lp"
A1, A2, A3 = "4V8LLVI7PbaPR0K2TGSxFF", "1U1el3k54VvEUzo3ybLPlM", "06HL4z0CvFAxyc27GXpf02"
AL1, AL2, AL3 = "2nkto6YNI4rUYTLqEwWJ3o", "1NAmidJlEaVgA3MpcPFYGq", "151w1FgRZfnKZA9FEcg9Z3"

FEATURES_1 = ["0.558", "0.559", "6", "-9.222", "1", "0.0959", "0.371", "7.24e-06", "0.109",
              "0.62", "78.558", "4"]
FEATURES_2 = ["0.735", "0.578", "5", "-11.84", "0", "0.0461", "0.514", "0.0902", "0.159",
              "0.624", "98.002", "4"]
FEATURES_3 = ["0.801", "0.8", "2", "-4.5", "1", "0.05", "0.02", "0", "0.3", "0.9", "120.0", "4"]


def current_rows() -> list[list[str]]:
    """Three tracks in the current layout with genres, features and album data."""
    return [
        [f"spotify:track:{T1}", "See You Again (feat. Kali Uchis)",
         f"spotify:artist:{A1},spotify:artist:{A2}", "Tyler\\, The Creator,Kali Uchis",
         f"spotify:album:{AL1}", "Flower Boy", f"spotify:artist:{A1}", "Tyler\\, The Creator",
         "2017-07-21", "https://i.scdn.co/image/ab67616d0000b273flower", "1", "7", "180386",
         "", "true", "82", "USQX91701278", "spotify:user:alice", "2021-03-04T10:20:30Z",
         "hip hop,rap", *FEATURES_1, "", "Columbia", "2017 Columbia"],
        [f"spotify:track:{T2}", "Midnight City", f"spotify:artist:{A3}", "M83",
         f"spotify:album:{AL2}", "Hurry Up\\, We're Dreaming", f"spotify:artist:{A3}", "M83",
         "2011-10", "https://i.scdn.co/image/ab67616d0000b273hurry", "1", "2", "243960", "",
         "false", "75", "FR0NT1100001", "spotify:user:alice", "2021-05-01T08:00:00Z",
         "electronica,french shoegaze", *FEATURES_2, "", "Naïve", "2011 Naïve"],
        [f"spotify:track:{T3}", "Ancient Hymn", f"spotify:artist:{A3}", "M83",
         f"spotify:album:{AL3}", "Dead Cities", f"spotify:artist:{A3}", "M83", "2003", "",
         "1", "1", "300000", "", "false", "40", "", "spotify:user:bob",
         "2022-01-02T00:00:00Z", "", *FEATURES_3, "", "Gooom Disques", ""],
    ]


def to_csv(header: list[str], rows: list[list[str]], *, delimiter: str = ",",
           quote_all: bool = True, lineterminator: str = "\n") -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=delimiter, lineterminator=lineterminator,
                        quoting=csv.QUOTE_ALL if quote_all else csv.QUOTE_MINIMAL)
    writer.writerow(header)
    writer.writerows(rows)
    return buf.getvalue()


def exportify_current(rows: list[list[str]] | None = None) -> str:
    """The current header with all three optional groups."""
    return to_csv(EXPORTIFY_HEADER + GENRE_HEADER + FEATURE_HEADER + ALBUM_HEADER,
                  current_rows() if rows is None else rows)


def exportify_plain() -> str:
    """The current header without the optional groups (restricted apps)."""
    return to_csv(EXPORTIFY_HEADER, [r[:len(EXPORTIFY_HEADER)] for r in current_rows()])


def exportify_old() -> str:
    rows = [[f"spotify:track:{T1}", "See You Again", f"spotify:artist:{A1}",
             "Tyler\\, The Creator", f"spotify:album:{AL1}", "Flower Boy", "1", "7", "180386",
             "spotify:user:alice", "2019-03-04T10:20:30Z"],
            [f"spotify:track:{T4}", "Blue Monday", "spotify:artist:0LyfQWJT6nXafLPZqxe9Of",
             "New Order", "spotify:album:2a0KQgF6wu0p0vC3PsZ0Y0", "Substance", "1", "1",
             "448000", "spotify:user:alice", "2019-03-05T10:20:30Z"]]
    return to_csv(OLD_HEADER, rows)


def exportify_fork() -> str:
    rows = [[f"spotify:track:{T1}", "See You Again", "Flower Boy", "Tyler\\, The Creator",
             "2017-07-21", "180386", "82", "true", "alice", "2021-03-04T10:20:30Z",
             "hip hop,rap", "Columbia", *FEATURES_1],
            [f"spotify:track:{T4}", "Blue Monday", "Substance", "New Order", "1987-08",
             "448000", "70", "false", "alice", "2021-03-05T10:20:30Z", "new wave",
             "Factory Records", *FEATURES_2]]
    return to_csv(FORK_HEADER, rows, quote_all=False)


def play(track: str | None, artist: str | None, uri: str | None, ms: int, *,
         episode: bool = False, audiobook: bool = False, ts: str = "2023-01-02T03:04:05Z") -> dict:
    """One extended-history play with every field Spotify writes."""
    return {
        "ts": ts, "platform": "android", "ms_played": ms, "conn_country": "DE",
        "ip_addr": "198.51.100.23", "master_metadata_track_name": track,
        "master_metadata_album_artist_name": artist,
        "master_metadata_album_album_name": "Some Album" if track else None,
        "spotify_track_uri": uri, "episode_name": "Episode 1" if episode else None,
        "episode_show_name": "A Show" if episode else None,
        "spotify_episode_uri": "spotify:episode:5Ka2gKsHvVQUqaOaYRhwjT" if episode else None,
        "audiobook_title": "A Book" if audiobook else None,
        "audiobook_uri": "spotify:audiobook:1" if audiobook else None,
        "audiobook_chapter_uri": None, "audiobook_chapter_title": None,
        "reason_start": "trackdone", "reason_end": "trackdone", "shuffle": False,
        "skipped": False, "offline": False, "offline_timestamp": None, "incognito_mode": False,
    }


def extended_history() -> list[dict]:
    """T1 three times (one short play), T2 by URI twice, a relinked URI of Midnight City, an
    unknown track, a podcast and an audiobook."""
    return [
        play("See You Again (feat. Kali Uchis)", "Tyler, The Creator", f"spotify:track:{T1}",
             180_000),
        play("See You Again (feat. Kali Uchis)", "Tyler, The Creator", f"spotify:track:{T1}",
             120_000),
        play("See You Again (feat. Kali Uchis)", "Tyler, The Creator", f"spotify:track:{T1}",
             5_000),
        play("Midnight City", "M83", f"spotify:track:{T2}", 240_000),
        play("Midnight City", "M83", "spotify:track:6GyFP1nfCDB8lbD2bG0Hq9", 60_000),
        play("Never Heard Of It", "Nobody", "spotify:track:1111111111111111111111", 90_000),
        play(None, None, None, 1_800_000, episode=True),
        play(None, None, None, 600_000, audiobook=True),
    ]


def account_history() -> list[dict]:
    return [
        {"endTime": "2023-01-02 10:00", "artistName": "M83", "trackName": "Ancient Hymn",
         "msPlayed": 200_000},
        {"endTime": "2023-01-02 10:05", "artistName": "m83", "trackName": "ancient  hymn",
         "msPlayed": 100_000},
        {"endTime": "2023-01-03 10:05", "artistName": "Unknown Artist",
         "trackName": "Unknown Track", "msPlayed": 100_000},
        {"endTime": "2023-01-04 10:05", "artistName": "Solo Act", "trackName": "Only Here",
         "msPlayed": 45_000},
    ]


def your_library() -> dict:
    return {
        "tracks": [{"artist": "M83", "album": "Hurry Up, We're Dreaming",
                    "track": "Midnight City", "uri": f"spotify:track:{T2}"},
                   {"artist": "New Order", "album": "Substance", "track": "Blue Monday",
                    "uri": f"spotify:track:{T4}"}],
        "albums": [{"artist": "M83", "album": "Dead Cities", "uri": f"spotify:album:{AL3}"}],
        "shows": [], "episodes": [{"name": "Ep", "show": "A Show", "uri": "spotify:episode:1"}],
        "artists": [{"name": "M83", "uri": f"spotify:artist:{A3}"}],
        "bannedTracks": [], "other": [],
    }


def playlists_json() -> dict:
    return {"playlists": [
        {"name": "Night Drive", "lastModifiedDate": "2023-02-01", "description": None,
         "numberOfFollowers": 0, "collaborators": [], "items": [
             {"track": {"trackName": "Midnight City", "artistName": "M83",
                        "albumName": "Hurry Up, We're Dreaming",
                        "trackUri": f"spotify:track:{T2}"},
              "episode": None, "audiobook": None, "localTrack": None,
              "addedDate": "2023-01-05"},
             {"track": None, "episode": {"episodeName": "Ep", "showName": "Show",
                                         "episodeUri": "spotify:episode:1"},
              "audiobook": None, "localTrack": None, "addedDate": "2023-01-06"},
             {"track": None, "episode": None, "audiobook": None,
              "localTrack": {"uri": "spotify:local:My+Band:Demo+Tape:Garage+Song:215"},
              "addedDate": "2023-01-07"},
         ]},
    ]}


def tracks_dataset() -> str:
    header = ["", "track_id", "artists", "album_name", "track_name", "popularity",
              "duration_ms", "explicit", "danceability", "energy", "key", "loudness", "mode",
              "speechiness", "acousticness", "instrumentalness", "liveness", "valence", "tempo",
              "time_signature", "track_genre"]
    rows = [
        ["0", T1, "Tyler, The Creator;Kali Uchis", "Flower Boy",
         "See You Again (feat. Kali Uchis)", "82", "180386", "True", "0.558", "0.559", "6",
         "-9.222", "1", "0.0959", "0.371", "7.24e-06", "0.109", "0.62", "78.558", "4",
         "hip-hop"],
        ["1", T1, "Tyler, The Creator;Kali Uchis", "Flower Boy",
         "See You Again (feat. Kali Uchis)", "82", "180386", "True", "0.558", "0.559", "6",
         "-9.222", "1", "0.0959", "0.371", "7.24e-06", "0.109", "0.62", "78.558", "4", "rap"],
        ["2", T4, "New Order", "Substance", "Blue Monday", "70", "448000", "False", "0.7",
         "0.9", "1", "-6.1", "1", "0.04", "0.001", "0.6", "0.2", "0.8", "130.1", "4",
         "new-wave"],
    ]
    return to_csv(header, rows, quote_all=False)


def songs_dataset() -> str:
    header = ["id", "name", "album", "album_id", "artists", "artist_ids", "track_number",
              "disc_number", "explicit", "danceability", "energy", "key", "loudness", "mode",
              "speechiness", "acousticness", "instrumentalness", "liveness", "valence", "tempo",
              "duration_ms", "time_signature", "year", "release_date"]
    rows = [
        [T2, "Midnight City", "Hurry Up, We're Dreaming", AL2, "['M83']", f"['{A3}']", "2",
         "1", "False", *FEATURES_2[:11], "243960", "4.0", "2011", "2011-10-18"],
        [T4, "Blue Monday", "Substance", "2a0KQgF6wu0p0vC3PsZ0Y0",
         "['New Order', \"Guns N' Roses\"]",
         "['0LyfQWJT6nXafLPZqxe9Of', '3qm84nBOXUEQ2vnTfUTTFC']", "1", "1", "False", "0.7",
         "0.9", "1", "-6.1", "1", "0.04", "0.001", "0.6", "0.2", "0.8", "130.1", "448000",
         "4.0", "1987", "1987"],
    ]
    return to_csv(header, rows, quote_all=False)


def json_bytes(value: object) -> bytes:
    return json.dumps(value, indent=2).encode("utf-8")


def zip_bytes(files: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in files.items():
            z.writestr(name, data)
    return buf.getvalue()


def privacy_zip() -> bytes:
    """A privacy export as Spotify ships it: a folder, music data and personal files."""
    return zip_bytes({
        "Spotify Extended Streaming History/Streaming_History_Audio_2023_0.json":
            json_bytes(extended_history()),
        "Spotify Extended Streaming History/Streaming_History_Video_2023.json": json_bytes([]),
        "Spotify Extended Streaming History/ReadMeFirst_ExtendedStreamingHistory.pdf":
            b"%PDF-1.4 not really",
        "Spotify Account Data/StreamingHistory_music_0.json": json_bytes(account_history()),
        "Spotify Account Data/YourLibrary.json": json_bytes(your_library()),
        "Spotify Account Data/Playlist1.json": json_bytes(playlists_json()),
        "Spotify Account Data/Userdata.json": json_bytes(
            {"username": "alice", "email": "alice@example.org", "birthdate": "1990-01-01"}),
        "Spotify Account Data/Payments.json": json_bytes({"card": "4111"}),
    })


def snapshot(store, library_id: str) -> dict:
    """Every row of a library (and its version), to check that a failed import changed nothing."""
    from lib.store.db import TABLES
    out = {"version": store.version(library_id)}
    for table, (keys, values) in TABLES.items():
        frame = store.query(f"SELECT * FROM {table} WHERE library_id = ? ORDER BY "
                            + ", ".join(keys), [library_id])
        out[table] = frame.astype(str).to_dict("list")
    return out
