"""The store: one DuckDB file holding every library, and the frames pages read from it."""
