"""The Data page's import section (issue #6 fills it in)."""

import streamlit as st


def render() -> None:
    st.subheader("Import files")
