"""Reports: golden structure of the clusters and label reports of a fixed demo scope, the seed's
format, escaping of hostile names end to end, the .md and .zip downloads.

Golden files (tests/golden/*.txt) hold the *skeleton* of a report: headings, "N tracks" lines,
table headers with their row counts, <details> summaries and image paths. Regenerate them after an
intended change with ``UPDATE_GOLDEN=1 python -m pytest tests/test_report.py``.
"""

from __future__ import annotations

import html as html_lib
import io
import os
import re
import zipfile
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from lib.clusters.kmeans import cluster_view
from lib.demo.generator import generate_library
from lib.analysis.entities import build_entity_page
from lib.clusters.features import PRESETS, build_matrix
from lib.store.library import load_library
from lib.reports.document import PNG_SIGNATURE, Doc, ImageError, Report, render_art, track_table
from lib.reports.clusters import clusters_report
from lib.reports.pages import entity_report, overview_report
from lib.store.scopes import Scope, scope_tracks
from ui.downloads import _Once

GOLDEN = Path(__file__).parent / "golden"
LABEL = "Aster Records"  # a mid-size label of the demo library (96 tracks)
EVIL = "| <script>alert(1)</script> [x](javascript:alert(1))"
SEED_HEADER = "| Art | Track | Album | Artists | Label | Score | 💚 | 🔗 |"
SEED_ALIGN = "|:---|:---|:---|:---|:---|---:|:---|:---|"


def skeleton(markdown: str) -> str:
    """The structure of a report: what golden files compare."""
    out: list[str] = []
    rows = 0
    for line in markdown.splitlines():
        if line.startswith("|"):
            if re.fullmatch(r"\|(:?-+:?\|)+", line):
                continue
            if rows == 0:
                out.append(line if "<img" not in line else "| (table) |")
            rows += 1
            continue
        if rows:
            out.append(f"  [{rows - 1} rows]")
            rows = 0
        if not line.strip():
            continue
        if line.startswith("#") or re.fullmatch(r"[\d,]+ (tracks|songs|track|song)", line) or \
                line.startswith(("<details>", "</details>")):
            out.append(line)
        elif line.startswith("!["):
            out.append("![](" + line.rsplit("](", 1)[1])
        elif line.startswith("- **"):
            out.append(line.split("**")[1].join(["- **", "**"]))
        else:
            out.append("¶")
    if rows:
        out.append(f"  [{rows - 1} rows]")
    return "\n".join(out) + "\n"


def check_golden(name: str, markdown: str) -> None:
    path = GOLDEN / name
    got = skeleton(markdown)
    if os.environ.get("UPDATE_GOLDEN"):
        path.parent.mkdir(exist_ok=True)
        path.write_text(got, encoding="utf-8")
    assert got == path.read_text(encoding="utf-8"), f"{name} changed (UPDATE_GOLDEN=1 to accept)"


def cells(row: str) -> list[str]:
    """The cells of a table row (data never contains a raw "|": it is escaped as &#124;)."""
    return [c.strip() for c in row.strip().strip("|").split("|")]


def render(markdown: str) -> str:
    return MarkdownIt("commonmark", {"html": True}).enable("table").render(markdown)


@pytest.fixture
def label_clusters(demo_library):
    scope = Scope("label", LABEL)
    tracks = scope_tracks(demo_library, scope)
    view = cluster_view(tracks, build_matrix(tracks, PRESETS["sound"].features), 3)
    return scope, tracks, view, clusters_report(scope, tracks, view)


# --- golden structure ----------------------------------------------------------------------------

def test_clusters_report_structure_is_golden(label_clusters) -> None:
    check_golden("clusters-aster-records.txt", label_clusters[3].markdown)


def test_label_report_structure_is_golden(demo_library) -> None:
    report = entity_report(build_entity_page(demo_library, "label", LABEL))
    check_golden("label-aster-records.txt", report.markdown)


# --- the seed's format ---------------------------------------------------------------------------

def test_clusters_report_follows_the_seed(label_clusters) -> None:
    scope, tracks, view, report = label_clusters
    text = report.markdown
    blocks = text.split("\n\n")
    assert blocks[0] == f"# Clusters in {LABEL}"
    assert blocks[1] == f"![Clusters in {LABEL}: " + blocks[1].split(": ", 1)[1]
    assert blocks[1].endswith("](images/clusters_scatter.png)")
    result = view.result
    assert "**k = 3**, chosen by the user" in text
    assert "`features=danceability,energy,speechiness,acousticness,instrumentalness,valence," \
           "tempo,loudness`" in text
    by_id = tracks.set_index("track_id")
    for i, cluster in enumerate(result.clusters):
        section = text.split(f"## Cluster #{cluster.number}\n\n", 1)[1]
        assert section.startswith(f"{cluster.size} tracks\n\n**{cluster.name}**")
        table = section[section.index(SEED_HEADER):]
        lines = table.splitlines()
        assert lines[1] == SEED_ALIGN
        rows = lines[2:2 + min(10, cluster.size)]
        # The 10 tracks nearest the centre, nearest first, as the clustering says.
        reps = list(cluster.representative_ids)
        assert [cells(r)[1] for r in rows] == [by_id.loc[t, "track_name"] for t in reps]
        for row, track_id in zip(rows, reps):
            art, _, _, _, _, score, heart, link = cells(row)
            assert link == f"[🔗](https://open.spotify.com/track/{track_id})"
            assert heart == ("💚" if by_id.loc[track_id, "liked"] else "")
            assert score == str(int(round(by_id.loc[track_id, "score"])))
            assert re.fullmatch(r'<img src="images/art/[0-9a-f]{16}\.png" alt="" width="50" />',
                                art)
        if cluster.size > 10:
            assert f"<details><summary>See all {cluster.size} tracks</summary>" in section
    assert text.count("## Cluster #") == 3


def test_hearts_and_scores_match_the_tracks(label_clusters) -> None:
    _, tracks, view, report = label_clusters
    liked = tracks.set_index("track_id")["liked"]
    rows = [r for r in report.markdown.splitlines() if "open.spotify.com/track/" in r]
    assert len(rows) == view.result.n_used  # every clustered track is listed exactly once
    for row in rows:
        track_id = re.search(r"open\.spotify\.com/track/(\w+)", row).group(1)
        heart = cells(row)[-2]
        assert (heart == "💚") == bool(liked[track_id])


def test_entity_reports_of_every_kind(demo_library) -> None:
    library = demo_library
    for kind, name in [("artist", library.artists["name"].iloc[0]),
                       ("playlist", library.playlists["name"].iloc[0]),
                       ("genre", library.genres["genre"].iloc[0])]:
        page = build_entity_page(library, kind, name)
        text = entity_report(page).markdown
        assert text.startswith(f"# {name}\n\n{page.summary.tracks} songs\n")
        assert "## Track Features" in text and "## Top Albums" in text
        assert text.count("<details><summary>See all") >= 1
        assert "| Art | Tracks | 💚 | Album | Release Date | 🔗 |" in text
    label = entity_report(build_entity_page(library, "label", LABEL)).markdown
    assert "Appears as: " in label and "## Tracks released under Aster Records" in label
    assert "| Art | Tracks | 💚 | Artist | 🔗 |" in label
    assert "| 10 most Danceable tracks | 10 least Danceable tracks |" in label


def test_overview_report(demo_library) -> None:
    text = overview_report(demo_library).markdown
    assert text.startswith("# Library overview\n\n3,400 tracks")
    for heading in ("## Top Labels", "## Top Artists", "## Top Albums", "## Top Genres",
                    "## Playlists", "## Release years"):
        assert heading in text


# --- escaping end to end -------------------------------------------------------------------------

@pytest.fixture
def evil_library(store):
    """A small generated library whose first track, album, artist, label, playlist and genre are
    all called EVIL (and the album art is a javascript: URL)."""
    data = generate_library(300, seed=7)
    f = data.frames
    f["tracks"].loc[0, "name"] = EVIL
    album = f["tracks"].loc[0, "album_id"]
    albums = f["albums"]
    albums.loc[albums["album_id"] == album, ["name", "label_raw", "image_url"]] = \
        [EVIL, EVIL, "javascript:alert(1)"]
    artist = f["track_artists"].loc[f["track_artists"]["track_id"] == f["tracks"].loc[0,
                                                                                 "track_id"],
                                    "artist_id"].iloc[0]
    f["artists"].loc[f["artists"]["artist_id"] == artist, "name"] = EVIL
    f["artist_genres"].loc[f["artist_genres"]["artist_id"] == artist, "genre"] = EVIL
    f["playlists"].loc[0, ["name", "description"]] = [EVIL, EVIL]
    store.replace_library("evil", data, name="Evil", kind="test")
    return load_library(store, "evil")


def _assert_safe(markdown: str) -> None:
    rendered = render(markdown)
    assert "<script" not in rendered
    for url in re.findall(r'(?:href|src)="([^"]*)"', rendered):
        assert url.startswith(("https://open.spotify.com/", "images/", "../", "README.md",
                               "clusters.md")), url
    shown = html_lib.unescape(re.sub(r"<[^>]+>", "", rendered)).replace("\u2060", "")
    assert EVIL in shown  # the word joiners that stop link finders are invisible


def test_hostile_names_render_as_text_everywhere(evil_library) -> None:
    library = evil_library
    artist = library.artists.loc[library.artists["name"] == EVIL, "name"].iloc[0]
    reports = [entity_report(build_entity_page(library, "artist", artist)),
               entity_report(build_entity_page(library, "playlist", EVIL)),
               entity_report(build_entity_page(library, "genre", EVIL))]
    label = [la for la in library.labels["label"] if "script" in la][0]
    reports.append(entity_report(build_entity_page(library, "label", label)))
    scope = Scope("playlist", EVIL)
    tracks = scope_tracks(library, scope)
    view = cluster_view(tracks, build_matrix(tracks, PRESETS["sound"].features), 2)
    reports.append(clusters_report(scope, tracks, view))
    reports.append(overview_report(library))
    for report in reports:
        _assert_safe(report.to_markdown())
        assert 'src="javascript' not in report.markdown
    track_row = [r for r in reports[1].markdown.splitlines()
                 if "[🔗](https://open.spotify.com/track/" in r and "&lt;script" in r][0]
    assert len(cells(track_row)) == 8  # the name did not add table cells


# --- downloads -----------------------------------------------------------------------------------

def test_markdown_download_leaves_out_local_images(label_clusters) -> None:
    report = label_clusters[3]
    standalone = report.to_markdown()
    assert "images/" not in standalone and "<img" not in standalone
    assert standalone.count("| |") >= 10  # art cells are left empty, tables keep their columns
    assert standalone.startswith(f"# Clusters in {LABEL}\n\n- **k = 3**")


def test_web_album_art_stays_in_the_markdown(demo_library) -> None:
    tracks = demo_library.tracks.head(3).assign(image_url="https://i.scdn.co/image/abc")
    doc = Doc()
    doc.add(track_table(doc, tracks))
    text = doc.build("t", "t").to_markdown()
    assert text.count('<img src="https://i.scdn.co/image/abc" alt="" width="50" />') == 3


def test_zip_holds_report_and_real_pngs_linked_relatively(label_clusters) -> None:
    report = label_clusters[3]
    data = report.to_zip()
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        names = set(zf.namelist())
        text = zf.read("report.md").decode("utf-8")
        pngs = {n: zf.read(n) for n in names if n.endswith(".png")}
    assert names == {"report.md", *pngs}
    assert "images/clusters_scatter.png" in pngs and "images/cluster_1_profile.png" in pngs
    for name, png in pngs.items():
        assert png.startswith(PNG_SIGNATURE), name
        width, height = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
        assert width >= 40 and height >= 40, name
    scatter = pngs["images/clusters_scatter.png"]
    assert int.from_bytes(scatter[16:20], "big") >= 1000  # 720 px wide at scale 2, plus legend
    referenced = set(re.findall(r'(?:\]\(|src=")(images/[^)"]+)', text))
    assert referenced == set(pngs)


def test_unrenderable_images_are_left_out_of_the_zip() -> None:
    report = Report("t", "t", "# T\n\n![chart](images/bad.png)\n\nok\n",
                    {"images/bad.png": b"not a png"})
    with zipfile.ZipFile(io.BytesIO(report.to_zip())) as zf:
        assert zf.namelist() == ["report.md"]
        assert zf.read("report.md").decode() == "# T\n\nok\n"


def test_art_conversion_refuses_svg_that_reaches_outside() -> None:
    ok = "data:image/svg+xml;utf8,<svg xmlns='http://www.w3.org/2000/svg' width='8' " \
         "height='8'><rect width='8' height='8' fill='red'/></svg>"
    assert render_art(ok).startswith(PNG_SIGNATURE)
    for bad in ("data:image/svg+xml;utf8,<svg xmlns='http://www.w3.org/2000/svg'>"
                "<image href='file:///etc/passwd'/></svg>",
                "data:image/png;base64,aGVsbG8=", "data:text/html,<b>x</b>",
                "data:image/gif;base64,R0lGODlhAQABAAAAACw="):
        with pytest.raises(ImageError):
            render_art(bad)


def test_both_buttons_share_one_build() -> None:
    calls = []

    def build() -> Report:
        calls.append(1)
        return Report("t", "t", "# T\n")

    once = _Once(build)
    assert calls == []  # nothing is built until a button is clicked
    assert once.markdown() == b"# T\n"
    assert zipfile.ZipFile(io.BytesIO(once.zip())).read("report.md") == b"# T\n"
    assert calls == [1]


def test_reports_are_deterministic(demo_library) -> None:
    page = build_entity_page(demo_library, "genre", demo_library.genres["genre"].iloc[2])
    assert entity_report(page).markdown == entity_report(page).markdown
