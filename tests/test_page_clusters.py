"""Clusters page (AppTest): URL ↔ controls, k slider, feature sets, scopes and their messages."""

from __future__ import annotations

import json

from lib.clusters.kmeans import N_REPRESENTATIVES
from lib.store.scopes import Scope, scope_tracks
from tests.conftest import shown

# The tabs' labels are URL values (?show=Profiles): renaming one breaks shared links.
TABS = ["Map", "Profiles", "Labels", "Tracks", "Choosing k", "Trust"]


def sections(at) -> list[str]:
    """The clusters the page lists under "What sets each cluster apart" ("#1 Name · …")."""
    lines = [line[2:].replace("**", "") for m in at.markdown
             for line in shown(m.value).splitlines() if line.startswith("- **#")]
    return [line for line in lines if "of the clustered tracks" in line]


def axis_titles(at) -> tuple[str, str]:
    spec = json.loads(at.get("vega_lite_chart")[0].proto.spec)
    enc = spec["layer"][0]["encoding"]
    return enc["x"]["title"], enc["y"]["title"]


def texts(elements) -> str:
    return shown(" ".join(e.value for e in elements))


def subheaders(at) -> list[str]:
    return [h.value for h in at.subheader]


def test_default_view_clusters_the_library(app) -> None:
    at = app("app_pages/clusters.py")
    assert not at.exception
    assert at.title[0].value == "Clusters in the whole library"
    assert at.query_params["k"] == "auto" and at.query_params["preset"] == "sound"
    # The Map tab is open; the others have not run (no profile, no stability re-fits).
    assert [t.label for t in at.tabs] == TABS and "show" not in at.query_params
    assert len(at.get("vega_lite_chart")) == 1 and "Each dot is a track" in texts(at.caption)
    assert not {"What sets each cluster apart", "Can you trust these clusters?",
                "How many clusters?"} & set(subheaders(at))
    # Demo tracks without audio features are left out and counted, with the way out.
    assert "have no audio features; pick 'Metadata only'" in texts(at.info)
    assert "Scaling:" in texts(at.caption)
    at = app("app_pages/clusters.py", show="Profiles")
    found = sections(at)
    assert len(found) >= 2 and at.metric[1].value == str(len(found))
    # Auto shows why it chose k.
    at = app("app_pages/clusters.py", show="Choosing k")
    assert "How many clusters?" in subheaders(at)
    assert f"Auto chose k = {at.metric[1].value}" in texts(at.caption).replace("**", "")


def test_the_url_names_the_open_tab(app) -> None:
    for tab, heading in [("Profiles", "What sets each cluster apart"),
                         ("Labels", "Labels across clusters"),
                         ("Tracks", "Every track of a cluster"),
                         ("Trust", "Can you trust these clusters?")]:
        at = app("app_pages/clusters.py", k="3", show=tab)
        assert not at.exception, [e.value for e in at.exception]
        assert heading in subheaders(at) and len(subheaders(at)) <= 2, (tab, subheaders(at))
    at = app("app_pages/clusters.py", k="3", show="<script>")  # not a tab: the map, and no error
    assert not at.exception and "Each dot is a track" in texts(at.caption)


def test_k_slider_changes_the_number_of_cluster_sections(app) -> None:
    at = app("app_pages/clusters.py", k="3", show="Profiles")
    assert len(sections(at)) == 3
    at.slider(key="cl_k").set_value(5).run()
    assert not at.exception
    assert len(sections(at)) == 5
    assert at.query_params["k"] == "5"
    assert at.button_group(key="cl_k_mode").value == "choose"
    at.slider(key="cl_k").set_value(3).run()
    assert len(sections(at)) == 3


def test_query_params_open_the_scope_and_k(app, demo_library) -> None:
    label = demo_library.labels["label"].iloc[0]
    at = app("app_pages/clusters.py", scope="label", name=label, k="3", show="Profiles")
    assert not at.exception
    assert at.title[0].value == f"Clusters in {label}"
    assert at.selectbox(key="cl_scope_kind").value == "label"
    assert at.selectbox(key="cl_scope_name").value == label
    assert at.slider(key="cl_k").value == 3
    assert len(sections(at)) == 3
    n = len(scope_tracks(demo_library, Scope("label", label)))
    assert f"{n:,} tracks in scope" in texts(at.caption)


def test_changing_the_feature_set_changes_the_axis_names(app) -> None:
    at = app("app_pages/clusters.py", k="4")
    before = axis_titles(at)
    at.multiselect(key="cl_features").set_value(["speechiness", "liveness",
                                                 "instrumentalness"]).run()
    assert not at.exception
    after = axis_titles(at)
    assert after != before
    assert any(w in after[0] for w in ("Speechy", "Melodic", "Live", "Produced", "Instrumental",
                                       "Vocal"))
    assert at.query_params["features"] == "speechiness,liveness,instrumentalness"
    assert at.selectbox(key="cl_preset").value == "custom"
    at.selectbox(key="cl_preset").set_value("mood").run()
    assert at.query_params["preset"] == "mood" and "features" not in at.query_params
    assert axis_titles(at) != after


def test_metadata_only_includes_tracks_without_audio_features(app, demo_library) -> None:
    at = app("app_pages/clusters.py", preset="metadata", k="4", show="Profiles")
    assert not at.exception
    assert "have no audio features" not in texts(at.info)
    assert at.metric[0].value == f"{len(demo_library.tracks):,}"
    assert len(sections(at)) == 4


def test_small_scope_and_bad_params_get_clear_messages(app, demo_library) -> None:
    labels = demo_library.labels
    small = labels[labels["tracks"].between(4, 12)]["label"].iloc[0]
    at = app("app_pages/clusters.py", scope="label", name=small, k="20", show="Profiles")
    assert not at.exception
    warning = texts(at.warning)
    assert "20 clusters need at least 21" in warning
    assert len(sections(at)) == at.slider(key="cl_k").value < 20

    at = app("app_pages/clusters.py", scope="label", name="No Such Label", k="many")
    assert not at.exception
    warning = texts(at.warning)
    assert "No label called" in warning and "No Such Label" in warning
    assert "k must be a number" in warning
    assert at.title[0].value == "Clusters in the whole library"


def test_a_one_track_scope_says_so(app, demo_library) -> None:
    artists = demo_library.artists
    name = artists[artists["tracks"] == 1]["name"].iloc[0]
    at = app("app_pages/clusters.py", scope="artist", name=name, preset="metadata",
             show="Profiles")
    assert not at.exception
    assert "Only 1 track with the chosen features" in texts(at.warning)
    assert not sections(at)


def test_original_rule_and_the_curve_tab(app) -> None:
    at = app("app_pages/clusters.py", k="original", show="Choosing k")
    assert not at.exception
    assert "How many clusters?" in subheaders(at)
    assert "Auto would choose k = " in texts(at.caption).replace("**", "")
    at = app("app_pages/clusters.py", k="original", show="Profiles")
    assert at.metric[1].value == str(len(sections(at)))


def test_representative_tables_link_to_our_pages(app) -> None:
    at = app("app_pages/clusters.py", k="2", show="Profiles")
    table = at.dataframe[0].value
    assert len(table) == 2 * N_REPRESENTATIVES  # the nearest of each cluster, in one table
    assert list(table.columns) == ["Cluster", "Art", "Track", "Album", "Artists", "Label", "Score",
                                   "💚", "🔗"]
    names = [line.split(" · ")[0] for line in sections(at)]
    assert [shown(c) for c in table["Cluster"].unique()] == names  # in cluster order
    assert not table["Artists"].str.startswith("/").any()  # names; a selected cell opens the page
    assert table["🔗"].str.startswith("https://open.spotify.com/track/").all()


def test_a_library_without_audio_features_starts_on_metadata(app, store) -> None:
    from lib.demo.generator import generate_library
    from lib.store.db import LOCAL_LIBRARY_ID

    data = generate_library(400, seed=7)
    data.frames["audio_features"] = data.frames["audio_features"].iloc[0:0]
    store.replace_library(LOCAL_LIBRARY_ID, data, name="No features", kind="local")
    at = app("app_pages/clusters.py", k="3", show="Profiles")
    assert not at.exception
    assert "has audio features: clustering on metadata" in texts(at.warning)
    assert at.query_params["preset"] == "metadata"
    assert len(sections(at)) == 3
    # Asking for audio features explicitly says why nothing can be clustered.
    at = app("app_pages/clusters.py", preset="sound", show="Profiles")
    assert not at.exception
    assert "None of the chosen features has any value" in texts(at.warning)
    assert not sections(at)
