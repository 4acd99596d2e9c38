"""The Data page's Spotify section (issue #7 fills it in)."""

import streamlit as st


def render() -> None:
    st.subheader("Spotify")
