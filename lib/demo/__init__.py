"""The embedded demo library: a deterministic, offline generator (:mod:`.generator`) and its
fictional word lists (:mod:`.names`).

    ensure_demo(store)                 # writes the demo library once (force=True regenerates it)
    data = generate_library(3400, seed=DEMO_SEED)
"""

from lib import front_door

__getattr__, __all__ = front_door(__name__, {
    "generator": ("DEFAULT_TRACKS", "DEMO_DESCRIPTION", "DEMO_LIBRARY_ID", "DEMO_SEED",
                  "ensure_demo", "generate_library"),
})
