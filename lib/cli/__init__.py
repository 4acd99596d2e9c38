"""Headless jobs behind ``python -m lib``: one module per command."""
