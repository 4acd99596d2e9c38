"""Static export: pages, images and relative links that resolve; clean re-runs; the CLI.

The demo library is exported with a high --min-tracks (a few label pages plus the overview and the
library's clusters) so the test stays quick; a walker follows every relative link and image of
every page and checks the target exists and every PNG is a real PNG.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote

import pytest
from markdown_it import MarkdownIt

from lib.__main__ import main
from lib.reports.site import MARKER, ExportError, ExportOptions, export_site, plan_site
from lib.reports.document import PNG_SIGNATURE
from lib.store.scopes import Scope

MIN_TRACKS = 265  # three demo labels (290, 276, 272 tracks); nothing else is that big


def links_of(markdown: str) -> list[str]:
    """Every link and image target of a page (Markdown links, <img src>, <a href>)."""
    tokens = MarkdownIt("commonmark", {"html": True}).enable("table").parse(markdown)
    found: list[str] = []

    def walk(items) -> None:
        for tok in items:
            if tok.type in ("link_open",):
                found.append(tok.attrGet("href"))
            elif tok.type == "image":
                found.append(tok.attrGet("src"))
            elif tok.type in ("html_inline", "html_block"):
                found.extend(re.findall(r'(?:src|href)="([^"]+)"', tok.content))
            if tok.children:
                walk(tok.children)

    walk(tokens)
    return [f for f in found if f]


def check_site(root: Path) -> dict[str, int]:
    """Follow every relative link of every page; return counts. Fails on a broken link."""
    pages = sorted(root.rglob("*.md"))
    assert pages, "no pages written"
    seen_images: set[Path] = set()
    n_links = 0
    for page in pages:
        for target in links_of(page.read_text(encoding="utf-8")):
            if target.startswith(("https://", "http://")):
                assert target.startswith("https://open.spotify.com/"), (page, target)
                continue
            assert not target.startswith(("/", "data:", "javascript:")), (page, target)
            path = (page.parent / unquote(target.split("#")[0])).resolve()
            assert path.is_relative_to(root.resolve()), (page, target)
            assert path.is_file(), f"{page.relative_to(root)} links to missing {target}"
            n_links += 1
            if path.suffix == ".png":
                seen_images.add(path)
    for image in seen_images:
        data = image.read_bytes()
        assert data.startswith(PNG_SIGNATURE) and len(data) > 100, image
    all_pngs = set(p.resolve() for p in root.rglob("*.png"))
    assert all_pngs == seen_images, "images written but never linked"
    return {"pages": len(pages), "links": n_links, "images": len(seen_images)}


@pytest.fixture(scope="module")
def site(tmp_path_factory, demo_db_template):
    from lib.store.library import load_library
    from lib.store.db import Store

    store = Store(demo_db_template)
    library = load_library(store, "demo")
    store.close()
    out = tmp_path_factory.mktemp("export") / "site"
    summary = export_site(library, ExportOptions(out=out, min_tracks=MIN_TRACKS))
    return library, out, summary


def test_export_writes_linked_pages_that_all_resolve(site) -> None:
    library, out, summary = site
    big = library.labels.loc[library.labels["tracks"] >= MIN_TRACKS, "label"].tolist()
    assert len(big) == 3
    expected = {"README.md", "clusters.md"}
    for page in plan_site(library, MIN_TRACKS):
        if page.kind == "label":
            expected.add(page.path)
    written = {str(p.relative_to(out)) for p in out.rglob("*.md")}
    assert written == expected
    counts = check_site(out)
    assert counts["pages"] == 2 + 2 * 3 == summary.pages
    assert counts["images"] == summary.images
    assert (out / MARKER).exists()
    overview = (out / "README.md").read_text()
    for label in big:
        slug = label.lower().replace(" ", "_")
        assert f"[{label}](labels/{slug}/README.md)" in overview
        page = (out / "labels" / slug / "README.md").read_text()
        assert page.startswith(f"# {label}\n")
        assert "[See Clusters](clusters.md)" in page and "[Overview](../../README.md)" in page
        clusters = (out / "labels" / slug / "clusters.md").read_text()
        assert clusters.startswith(f"# Clusters in {label}\n\n![")
        assert f"Back to [{label}](README.md)" in clusters
    assert "[See Clusters of the whole library](clusters.md)" in overview
    # Label cells of track tables link to the label's page, as in the seed ("../..").
    crownpoint = (out / "labels" / "crownpoint_records" / "clusters.md").read_text()
    rows = [r for r in crownpoint.splitlines() if "open.spotify.com/track/" in r]
    assert rows and all("[Crownpoint Records](README.md)" in r for r in rows)
    # Artists have no page at this size: their names are plain text, never a broken link.
    assert "artists/" not in crownpoint


def test_parallel_export_writes_the_same_files(site, tmp_path) -> None:
    library, out, summary = site
    parallel = tmp_path / "parallel"
    got = export_site(library, ExportOptions(out=parallel, min_tracks=MIN_TRACKS), jobs=2)
    assert (got.pages, got.images) == (summary.pages, summary.images)
    files = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    again = {p.relative_to(parallel): p.read_bytes() for p in parallel.rglob("*") if p.is_file()}
    assert files.keys() == again.keys()
    assert [str(p) for p in files if files[p] != again[p]] == []


def test_album_art_is_shared_between_pages(site) -> None:
    _, out, _ = site
    art = list((out / "images" / "art").glob("*.png"))
    assert art
    refs = [m for p in out.rglob("*.md") for m in re.findall(r'src="([^"]*images/art/[^"]+)"',
                                                                p.read_text())]
    assert len(refs) > len(art)  # the same album art is used by several pages, stored once


def test_rerun_replaces_the_export_cleanly(site, tmp_path) -> None:
    library, _, _ = site
    out = tmp_path / "site"
    export_site(library, ExportOptions(out=out, min_tracks=10_000))
    (out / "stale.md").write_text("left over")
    summary = export_site(library, ExportOptions(out=out, min_tracks=10_000, k=3,
                                             features=("danceability", "energy", "valence")))
    assert not (out / "stale.md").exists()
    assert "**k = 3**, chosen by the user" in (out / "clusters.md").read_text()
    assert "`features=danceability,energy,valence`" in (out / "clusters.md").read_text()
    assert summary.pages == 2
    assert [p.name for p in tmp_path.iterdir()] == ["site"]  # no temp folders left behind
    check_site(out)


def test_refuses_a_folder_that_is_not_an_export(site, tmp_path) -> None:
    library, _, _ = site
    (tmp_path / "notes.txt").write_text("mine")
    with pytest.raises(ExportError, match="not a labelscope export"):
        export_site(library, ExportOptions(out=tmp_path, min_tracks=10_000))
    assert [p.name for p in tmp_path.iterdir()] == ["notes.txt"]


def test_failed_export_leaves_the_previous_one(site, tmp_path, monkeypatch) -> None:
    library, _, _ = site
    out = tmp_path / "site"
    export_site(library, ExportOptions(out=out, min_tracks=10_000))
    before = (out / "README.md").read_text()

    def boom(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr("lib.reports.site.overview_report", boom)
    with pytest.raises(RuntimeError):
        export_site(library, ExportOptions(out=out, min_tracks=10_000))
    assert (out / "README.md").read_text() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def test_plan_gives_unique_slugs(site) -> None:
    library, _, _ = site
    pages = plan_site(library, 1)
    paths = [p.path for p in pages]
    assert len(paths) == len(set(paths))
    kinds = {p.kind for p in pages}
    assert kinds == {"library", "label", "artist", "playlist", "genre"}


def test_cli_exports_one_scope(db_path, tmp_path, capsys) -> None:
    out = tmp_path / "one"
    code = main(["export", "--out", str(out), "--scope", 'label:"Aster Records"', "--k", "3",
                 "--features", "danceability,energy,valence", "--quiet"])
    assert code == 0
    assert sorted(str(p.relative_to(out)) for p in out.rglob("*.md")) == [
        "labels/aster_records/README.md", "labels/aster_records/clusters.md"]
    text = (out / "labels" / "aster_records" / "clusters.md").read_text()
    assert text.startswith("# Clusters in Aster Records") and text.count("## Cluster #") == 3
    check_site(out)
    printed = capsys.readouterr().out
    assert "Wrote 2 pages" in printed and "labels/aster_records/README.md" in printed


@pytest.mark.parametrize("args, message", [
    (["--scope", "label:No Such Label"], "No label called 'No Such Label'"),
    (["--scope", "band:X"], "Unknown scope"),
    (["--features", "danceability,loudnes"], "Unknown feature(s): loudnes"),
    (["--k", "1"], "--k must be from 2 to 20"),
    (["--k", "many"], "--k must be a number"),
])
def test_cli_explains_bad_options(db_path, tmp_path, capsys, args, message) -> None:
    code = main(["export", "--out", str(tmp_path / "x"), "--quiet", *args])
    assert code == 2
    assert message in capsys.readouterr().err
    assert not (tmp_path / "x").exists()


def test_scope_liked_exports_its_clusters(site, tmp_path) -> None:
    library, _, _ = site
    out = tmp_path / "liked"
    export_site(library, ExportOptions(out=out, k=2, scope=Scope("liked")))
    assert [str(p.relative_to(out)) for p in out.rglob("*.md")] == ["liked/clusters.md"]
    assert (out / "liked" / "clusters.md").read_text().startswith("# Clusters in Liked Songs")
    check_site(out)
