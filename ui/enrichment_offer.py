"""Ask once, in the flow: offer to fetch missing audio features / labels, and the stored answers.

:func:`offer_section` shows, for the active library, one button per kind below 90 % coverage
("Fetch audio features for 2,431 tracks from ReccoBeats — sends their Spotify track ids"); the
click stores the answer (lib.enrichment.consent) and runs that provider. Providers already
allowed run once per library version without asking again. :func:`consent_settings` lists and
changes the answers on the Data page. Nothing reaches a third party without a click.
"""

from __future__ import annotations

import streamlit as st

from lib.enrichment import PROVIDERS, EnrichContext, enrich
from lib.enrichment import consent
from lib.reports import markdown
from lib.spotify.config import ConfigError, load_config
from ui.cache import get_store

UI_LIMITS = {"musicbrainz": 900}  # batched: about a 25,000-track library's labels per click
AUTO_KEY = "_enrich_auto_done"    # library_id → version after the last automatic run
CHOICES = {"ask": "Ask me", consent.YES: "Yes, after each sync or import", consent.NO: "No"}


def _config():
    """Service URLs (environment, else secrets); a missing Spotify client id does not matter."""
    try:
        secrets = st.secrets
    except Exception:  # no secrets file
        secrets = None
    try:
        return load_config(secrets)
    except ConfigError:
        return load_config(None)


def _run(library_id: str, providers: list[str], label: str) -> list[str]:
    store = get_store()
    lines: list[str] = []
    with st.status(label, expanded=True) as status:
        line = st.empty()

        def progress(event) -> None:
            line.caption(markdown.streamlit_text(f"{event.step}: {event.message}"))
        ctx = EnrichContext(store, library_id, _config(), progress=progress,
                            max_requests=dict(UI_LIMITS))
        for result in enrich(ctx, providers):
            lines.append(result.line())
            lines += result.notes
        status.update(label="Enrichment done", state="complete", expanded=False)
    return lines


def _auto_run(library_id: str) -> None:
    """Run the providers the user allowed, once per library version (nothing asked twice)."""
    store = get_store()
    allowed = consent.consented(store, library_id)
    done = st.session_state.setdefault(AUTO_KEY, {})
    if not allowed or done.get(library_id) == store.version(library_id):
        return
    g = consent.gaps(store, library_id)
    needs = {"musicbrainz": g["labels askable"], "deezer": g["tempo by isrc"],
             "reccobeats": g["features by spotify id"]}
    wanted = [p for p in allowed if needs.get(p)]
    if wanted:
        lines = _run(library_id, wanted, "Fetching what you allowed for this library…")
        st.session_state["_enrich_offer_lines"] = lines
    done[library_id] = store.version(library_id)


def offer_section(library_id: str) -> None:
    """The coverage offers for ``library_id`` (nothing when coverage is fine or answered)."""
    store = get_store()
    _auto_run(library_id)
    for line in st.session_state.pop("_enrich_offer_lines", []):
        st.caption(markdown.streamlit_text(line))
    offers = consent.offers(store, library_id)
    if not offers:
        return
    with st.container(border=True):
        st.markdown("**Fill the gaps?** " + " ".join(
            f"Only {o.coverage:.0%} of the tracks have {markdown.streamlit_text(o.kind)}." for o in offers)
            + " These free services can add them; nothing is sent until you click.")
        for offer in offers:
            info = PROVIDERS[offer.provider]
            left, right = st.columns([4, 1], vertical_alignment="center")
            if left.button(offer.button, key=f"_offer_{offer.provider}", icon="✨",
                           help=info.sends):
                consent.record(store, library_id, offer.provider, consent.YES)
                lines = _run(library_id, [offer.provider], f"{info.title}…")
                st.session_state["_enrich_offer_lines"] = lines
                st.session_state.setdefault(AUTO_KEY, {})[library_id] = store.version(library_id)
                st.rerun()
            if right.button("Not for this library", key=f"_offer_no_{offer.provider}",
                            help="Don't ask again; change it under Third-party sources."):
                consent.record(store, library_id, offer.provider, consent.NO)
                st.rerun()
            st.caption(markdown.streamlit_text(info.sends))


def consent_settings(library_id: str) -> None:
    """Per third-party provider: ask / yes / no for this library, changeable."""
    store = get_store()
    info = store.library(library_id)
    if info is None or info.kind == "demo":  # fictional ids: nothing to send anywhere
        return
    current = consent.answers(store, library_id)
    st.markdown("**Third-party sources for this library**")
    for key, info in PROVIDERS.items():
        if not info.third_party:
            continue
        now = current.get(key, "ask")
        choice = st.segmented_control(
            info.title, list(CHOICES), default=now, format_func=CHOICES.get,
            # The stored answer is part of the key: an answer given elsewhere (an offer's
            # button) starts a fresh control instead of being undone by this one's old state.
            key=f"_consent_{library_id}_{key}_{now}", help=info.sends)
        if choice is not None and choice != now:
            consent.record(store, library_id, key, None if choice == "ask" else choice)
            st.rerun()
        st.caption(markdown.streamlit_text(info.sends))
