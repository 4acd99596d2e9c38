"""Hostile import files, built by code (nothing is committed as a blob).

Each builder returns ``(file name, bytes)``. Small ones are cheap; the big ones (zip bombs, giant
lines) are meant for the memory tests, which run the import in a child process and measure its
peak RSS (see :mod:`tests.hostile.measure`).
"""

from __future__ import annotations

import io
import json
import zipfile

from tests import importers_samples as S

MB = 1024 * 1024
HISTORY = "Streaming_History_Audio_2020_0.json"


def play(**fields) -> dict:
    return {"ts": "2020-01-01T10:00:00Z", "ms_played": 40_000,
            "master_metadata_track_name": "Song", "master_metadata_album_artist_name": "Band",
            "master_metadata_album_album_name": "Album",
            "spotify_track_uri": "spotify:track:" + S.T1, **fields}


def json_file(name: str, value) -> tuple[str, bytes]:
    return name, json.dumps(value).encode()


def zip_of(members: dict[str, bytes], *, compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression) as z:
        for name, data in members.items():
            z.writestr(name, data)
    return buf.getvalue()


# -- case 4: wrong JSON types and lone surrogates ------------------------------------------------
WRONG_TYPES = {
    "library albums is a number": ("YourLibrary.json", b'{"tracks":[],"albums":5}'),
    "library tracks is a number": ("YourLibrary.json", b'{"tracks":5}'),
    "library everything odd": ("YourLibrary.json",
                               b'{"tracks":[1,null,{"track":["x"]},{"track":"ok","artist":{},'
                               b'"album":[1],"uri":7}],"artists":"x","shows":{"a":1}}'),
    "playlist items is a number": ("Playlist1.json", b'{"playlists":[{"name":"p","items":5}]}'),
    "playlist odd fields": ("Playlist1.json",
                            b'{"playlists":[{"name":{"a":1},"description":[1],"items":[{"track":'
                            b'{"trackName":"t","artistName":5,"albumName":{},"trackUri":[1]},'
                            b'"addedDate":99999999999999},{"localTrack":"spotify:local:a"}]}]}'),
    "playlists is an object": ("Playlist1.json", b'{"playlists":{"a":1}}'),
    "history surrogate": (HISTORY, b'[{"ms_played":40000,"master_metadata_track_name":'
                                   b'"bad \\ud800","master_metadata_album_artist_name":"a"}]'),
    "account history surrogate": ("StreamingHistory_music_0.json",
                                  b'[{"msPlayed":40000,"trackName":"ok","artistName":'
                                  b'"bad \\udfff"}]'),
    "playlist name surrogate": ("Playlist1.json",
                                b'{"playlists":[{"name":"bad \\ud800","items":[]}]}'),
    "playlist item surrogate": ("Playlist1.json",
                                b'{"playlists":[{"name":"p","items":[{"track":{"trackName":'
                                b'"x \\ud800","artistName":"y"}}]}]}'),
    "library track surrogate": ("YourLibrary.json", b'{"tracks":[{"track":"x","artist":"\\ud800"}]}'),
    "surrogate key": ("YourLibrary.json", b'{"tracks":[],"\\ud800":1}'),
}

# -- case 7: numbers out of range ----------------------------------------------------------------
OUT_OF_RANGE = {
    "ms 1e400": (HISTORY, b'[{"ms_played":1e400,"master_metadata_track_name":"x",'
              b'"master_metadata_album_artist_name":"a"}]'),
    "ms 9e17 twenty times": json_file(HISTORY, [play(ms_played=9e17)] * 20),
    "ms huge integer": (HISTORY, b'[{"ms_played":' + b"9" * 400 + b',"master_metadata_track_'
                                 b'name":"x"}]'),
    "msPlayed negative zero and nan": ("StreamingHistory_music_0.json",
                                       b'[{"msPlayed":NaN,"trackName":"a","artistName":"b"},'
                                       b'{"msPlayed":-Infinity,"trackName":"a","artistName":"b"}]'),
}


# -- nesting, NUL bytes, odd layouts -------------------------------------------------------------
def deeply_nested_json(depth: int = 100_000) -> tuple[str, bytes]:
    return HISTORY, b"[" * depth + b"]" * depth


def nul_bytes_csv() -> tuple[str, bytes]:
    return "liked.csv", S.exportify_current().encode().replace(b"Song", b"So\x00ng", 1)


def many_columns_csv(n: int = 1_000_000) -> tuple[str, bytes]:
    """A header of ``n`` columns (plus one real Exportify row)."""
    header = "Track URI,Track Name,Artist Name(s)," + ",".join(f"c{i}" for i in range(n))
    return "wide.csv", (header + "\nspotify:track:" + S.T1 + ",a,b" + "," * n + "\n").encode()


def giant_line_csv(size: int = 50 * MB) -> tuple[str, bytes]:
    """One unquoted line of ``size`` bytes after a valid header."""
    return "liked.csv", b"Track URI,Track Name,Artist Name(s)\n" + b"x" * size + b"\n"


def giant_field_csv(size: int = 20 * MB) -> tuple[str, bytes]:
    """A quoted cell of ``size`` bytes holding newlines (pyarrow's "straddling object")."""
    cell = ("x" * 1000 + "\n") * (size // 1001)
    return "liked.csv", ("Track URI,Track Name,Artist Name(s)\nspotify:track:" + S.T1
                         + ',"' + cell + '",b\n').encode()


# -- case 2, 3, 8: archives ----------------------------------------------------------------------
def zip_bomb(member_mb: int = 150, members: int = 2) -> tuple[str, bytes]:
    """``members`` CSVs of ``member_mb`` MB of one repeated Exportify row (~200 times smaller
    zipped: 2 × 150 MB is a 1.5 MB zip)."""
    header, row = S.exportify_current().splitlines()[:2]
    data = (header + "\n" + (row + "\n") * (member_mb * MB // (len(row) + 1))).encode()
    return "my_spotify_data.zip", zip_of({f"{i}.csv": data for i in range(members)})


def many_members(n: int = 4000) -> tuple[str, bytes]:
    return "my_spotify_data.zip", zip_of({f"MyData/Playlist{i}.json": b'{"playlists":[]}'
                                          for i in range(n)})


def truncated_zips() -> list[tuple[str, bytes]]:
    """The privacy-export sample cut at a few places (directory, middle of a member…)."""
    whole = S.privacy_zip()
    return [(f"cut_{n}.zip", whole[:n]) for n in (len(whole) - 10, len(whole) - 30,
                                                 len(whole) // 2, 30)]


def traversal_names() -> tuple[str, bytes]:
    """Members named like paths out of an extraction folder (we never extract to disk)."""
    def playlist(name: str) -> bytes:
        return json.dumps({"playlists": [{"name": name, "items": [{"track": {
            "trackName": "t", "artistName": "a", "trackUri": "spotify:track:" + S.T1}}]}]}).encode()

    return "my_spotify_data.zip", zip_of({"../../../../tmp/Playlist1.json": playlist("p1"),
                                          "/etc/Playlist2.json": playlist("p2"),
                                          "C:\\Windows\\YourLibrary.json": b'{"tracks":[]}'})


def nested_zip() -> tuple[str, bytes]:
    inner = zip_bomb(5, 1)[1]
    return "my_spotify_data.zip", zip_of({"inner.zip": inner,
                                          "YourLibrary.json": S.json_bytes(S.your_library())})


def gzip_as_json() -> tuple[str, bytes]:
    import gzip
    return "YourLibrary.json", gzip.compress(S.json_bytes(S.your_library()))


# -- case 1: album art ---------------------------------------------------------------------------
SVG = "xmlns='http://www.w3.org/2000/svg'"


def svg_uri(svg: str, *, base64_: bool = False) -> str:
    if base64_:
        import base64
        return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()
    return "data:image/svg+xml," + svg


# SVG art that used to abort or stall the process when rasterised; each must now give a small
# PNG (its size rewritten) or be refused.
HEAVY_SVG = {
    "width 3e5": svg_uri(f"<svg {SVG} width='3e5' height='3e5'><rect width='9' height='9'/></svg>"),
    "viewBox 30000": svg_uri(f"<svg {SVG} viewBox='0 0 30000 30000'><circle cx='15000' "
                             "cy='15000' r='15000' fill='red'/></svg>"),
    "width 99999999px": svg_uri(f"<svg {SVG} width='99999999px' height='1e308'><rect/></svg>",
                                base64_=True),
    "huge stroke and scale": svg_uri(f"<svg {SVG} width='64' height='64'><g transform='scale(1e30)'>"
                                     "<rect width='1' height='1' stroke='red' stroke-width='1e30'/>"
                                     "</g></svg>"),
    "20000-segment path": svg_uri(f"<svg {SVG} width='64' height='64'><path d='M0 0 " + " ".join(
        f"L{i % 64} {i * 7 % 64}" for i in range(20000)) + "' fill='blue'/></svg>"),
    "negative viewBox": svg_uri(f"<svg {SVG} viewBox='0 0 -5 nan' width='-1' height='abc'>"
                                "<rect width='9' height='9'/></svg>"),
}
REFUSED_ART = {
    "http": "http://example.com/a.png",
    "javascript": "javascript:alert(1)",
    "html data": "data:text/html,<script>alert(1)</script>",
    "quote in url": "https://example.com/a.png\" onerror=\"alert(1)",
    "long url": "https://example.com/" + "a" * 5000,
    "too many bytes": svg_uri(f"<svg {SVG}>" + "<rect/>" * 50_000 + "</svg>"),
    "svg image": svg_uri(f"<svg {SVG}><image href='file:///etc/passwd'/></svg>"),
    "svg xlink": svg_uri(f"<svg {SVG} xmlns:x='http://www.w3.org/1999/xlink'><use x:href='#a'/>"
                         "</svg>"),
    "svg entity": svg_uri("<!DOCTYPE svg [<!ENTITY a 'aaaa'>]><svg " + SVG + ">&a;</svg>"),
    "svg script": svg_uri(f"<svg {SVG}><script>alert(1)</script></svg>"),
    "svg filter": svg_uri(f"<svg {SVG}><filter id='f'><feGaussianBlur stdDeviation='1e9'/>"
                          "</filter></svg>"),
    "svg style": svg_uri(f"<svg {SVG}><rect style='fill:url(https://evil.example/x)'/></svg>"),
    "svg outside url": svg_uri(f"<svg {SVG}><rect fill='url(https://evil.example/x)'/></svg>"),
    "svg onload": svg_uri(f"<svg {SVG} onload='alert(1)'/>"),
    "svg not xml": svg_uri("<svg"),
    "svg foreign root": svg_uri("<html/>"),
    "bad base64": "data:image/png;base64,!!!",
    "png not png": "data:image/png;base64,aGVsbG8=",
    "gif says png": "data:image/png;base64,R0lGODlhAQABAAAAACw=",
}


def png_header_uri(width: int, height: int) -> str:
    """A PNG data URI whose header claims ``width`` × ``height`` pixels (a decompression bomb
    once decoded; the header alone is a few bytes)."""
    import base64
    import struct
    import zlib
    def chunk(kind: bytes, body: bytes) -> bytes:
        return (struct.pack(">I", len(body)) + kind + body
                + struct.pack(">I", zlib.crc32(kind + body)))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    data = (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\0" * 64))
            + chunk(b"IEND", b""))
    return "data:image/png;base64," + base64.b64encode(data).decode()


def exportify_with_art(urls: list[str]) -> tuple[str, bytes]:
    """An Exportify CSV with one track per art URL (rows 2, 3, …)."""
    rows = []
    for i, url in enumerate(urls):
        row = S.current_rows()[0][:]
        row[0] = "spotify:track:" + f"{i:04d}" + S.T1[4:]
        row[1] = f"Track {i}"
        row[4] = "spotify:album:" + f"{i:04d}" + S.AL1[4:]
        row[5] = f"Album {i}"
        row[9] = url
        rows.append(row)
    return "liked_songs.csv", S.exportify_current(rows).encode()
