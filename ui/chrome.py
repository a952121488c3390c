"""Streamlit's own words in Vietnamese. The file picker's button («Upload») and its limit
line («100MB per file • XLSX ...») come from Streamlit's frontend, which has no translation;
CSS hides them and writes the Vietnamese text in their place. What CSS cannot reach is
listed in tests/test_browser.py (ALLOWED_ENGLISH) with the reason."""

from __future__ import annotations

import streamlit as st

from core import settings

UPLOAD_BUTTON = "Chọn tệp"


def vietnamese_chrome() -> None:
    limit = settings.number("max_file_mb")
    st.markdown(f"""<style>
[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"] p {{
  font-size: 0;
}}
[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"] p::after {{
  content: "{UPLOAD_BUTTON}"; font-size: 1rem;
}}
[data-testid="stFileUploaderDropzoneInstructions"] span {{ font-size: 0; }}
[data-testid="stFileUploaderDropzoneInstructions"] span::after {{
  content: "Tối đa {limit} MB mỗi tệp · xlsx, xls, csv, txt, tsv, xml, html"; font-size: 0.875rem;
}}
</style>""", unsafe_allow_html=True)
