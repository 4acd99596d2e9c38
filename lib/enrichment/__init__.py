"""Enrichment providers: fill a library's missing audio features, labels and genres.

Order (each fills only what the ones before left empty; every provider reports what it added):

========================  ===========================  ============================  =========
provider                  adds                         sends                         default
========================  ===========================  ============================  =========
``spotify_features``      audio features               your sign-in, to Spotify      on
``reccobeats``            audio features               Spotify track ids             off
``imported``              features, labels, genres     nothing (local files)         on
``musicbrainz``           labels, families, genres     UPCs and ISRCs, 1 request/s   off
``deezer``                tempo, loudness              ISRCs, 50 requests / 5 s      off
========================  ===========================  ============================  =========

Third-party services are off by default; :data:`PROVIDERS` carries the one-line explanation of
what each sends, which the UI shows next to its toggle. In the app they run only after the user
clicks an offer that says what is sent to whom (:mod:`lib.enrichment.consent`, stored per library);
the headless ``python -m lib sync`` runs them only with its flags.
"""

from __future__ import annotations

from typing import Sequence

from lib.enrichment import deezer, imported, musicbrainz, reccobeats, spotify_features
from lib.enrichment.base import EnrichContext, ProviderInfo, ProviderResult

_MODULES = {m.INFO.key: m for m in (spotify_features, reccobeats, imported, musicbrainz,
                                      deezer)}
PROVIDERS: dict[str, ProviderInfo] = {key: m.INFO for key, m in _MODULES.items()}
DEFAULT_PROVIDERS: tuple[str, ...] = tuple(k for k, p in PROVIDERS.items() if p.default_on)


def enrich(ctx: EnrichContext, providers: Sequence[str]) -> list[ProviderResult]:
    """Run the chosen providers in the documented order; each merges what it found at once.

    A provider that fails reports its error in its result; the others still run.
    """
    unknown = set(providers) - set(PROVIDERS)
    if unknown:
        raise ValueError(f"unknown providers: {sorted(unknown)}; known: {list(PROVIDERS)}")
    results = []
    for key, module in _MODULES.items():
        if key not in providers:
            continue
        ctx.emit(PROVIDERS[key].title, 0, None, f"{PROVIDERS[key].title}…")
        try:
            result = module.run(ctx)
        except Exception as exc:  # a provider's failure must not lose the others' work
            if getattr(type(exc), "__module__", "").startswith("streamlit"):
                raise
            result = ProviderResult(key, PROVIDERS[key].title, error=str(exc))
        results.append(result)
        ctx.emit(PROVIDERS[key].title, 1, 1, result.line())
    return results


__all__ = ["DEFAULT_PROVIDERS", "PROVIDERS", "EnrichContext", "ProviderInfo", "ProviderResult",
           "enrich"]
