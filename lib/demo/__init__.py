"""The embedded demo library: a deterministic, offline generator and its fictional word lists."""
