"""Markdown reports in the original tool's format: building blocks, page and cluster reports, the static site."""
