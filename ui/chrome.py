"""Streamlit's own words in Vietnamese. The file picker's button («Upload»), its limit line
(«100MB per file • XLSX ...») and the running indicator's «Stop» come from Streamlit's
frontend, which has no translation;
CSS hides them and writes the Vietnamese text in their place. What CSS cannot reach is
listed in tests/test_browser.py (ALLOWED_ENGLISH) with the reason."""

from __future__ import annotations

from typing import Any

import streamlit as st

from core import settings

UPLOAD_BUTTON = "Chọn tệp"


def vietnamese_chrome() -> None:
    limit = settings.number("max_file_mb")
    st.markdown(
        f"""<style>
[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"] p {{
  font-size: 0;
}}
[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"] p::after {{
  content: "{UPLOAD_BUTTON}"; font-size: 1rem;
}}
/* the running indicator's «Stop» */
[data-testid="stStatusWidget"] button {{ font-size: 0 !important; }}
[data-testid="stStatusWidget"] button::after {{ content: "Dừng"; font-size: 0.875rem; }}
[data-testid="stFileUploaderDropzoneInstructions"] span {{ font-size: 0; }}
[data-testid="stFileUploaderDropzoneInstructions"] span::after {{
  content: "Tối đa {limit} MB mỗi tệp"; font-size: 0.875rem;
}}
/* a file the picker itself refused (too large, wrong type): its English reason is only in a
   tooltip; the chip says it in Vietnamese */
[data-testid="stFileChip"][aria-invalid="true"] [role="alert"] {{ display: none; }}
[data-testid="stFileChip"][aria-invalid="true"]::after {{
  content: "Không nhận tệp này: lớn hơn {limit} MB hoặc không đúng loại tệp";
  display: block; width: 100%; font-size: 0.8rem; color: #c0392b; white-space: normal;
}}
/* a leader's phone (390 px): the period and the commune side by side, a smaller title, the
   counters on one line, so what lags is on the first screen */
@media (max-width: 640px) {{
  .st-key-chon_ky_xa [data-testid="stHorizontalBlock"] {{ flex-wrap: nowrap !important;
    gap: 0.5rem !important; }}
  .st-key-chon_ky_xa [data-testid="stColumn"] {{ min-width: 0 !important;
    width: calc(50% - 0.25rem) !important; flex: 1 1 0 !important; }}
  h1 {{ font-size: 1.6rem !important; padding-top: 0 !important; }}
  /* a card is two lines on a phone: its sparkline is on the indicator's own page */
  [data-testid="stMetric"] [data-testid="stMetricChart"],
  [data-testid="stMetric"] svg.stMetricChart {{ display: none !important; }}
  [data-testid="stMetric"] {{ padding: 0.35rem 0.6rem !important; }}
  [data-testid="stMetric"] > div {{ display: flex; flex-wrap: wrap; align-items: baseline;
    column-gap: 0.6rem; row-gap: 0; }}
  [data-testid="stMetric"] [data-testid="stMetricLabel"] {{ width: 100%; }}
  [data-testid="stMetricValue"] {{ font-size: 1.35rem !important; }}
  [data-testid="stHorizontalBlock"] {{ gap: 0.5rem !important; }}
  h2 {{ font-size: 1.3rem !important; }}
  [data-testid="stMain"] input {{ font-size: 0.9rem !important; }}
  /* a chart's title cannot wrap; the heading or tab above it already names it */
  .js-plotly-plot .gtitle {{ display: none; }}
  [data-testid="stMainBlockContainer"] {{ padding-top: 3.6rem !important; }}  /* under the header */
}}
/* no blank band above the title: the header holds only the menu button */
[data-testid="stMainBlockContainer"] {{ padding-top: 3rem; }}
/* a style block drawn by st.markdown is an empty element that still takes a gap (a blank
   band above a slide's buttons); the style applies all the same */
[data-testid="stElementContainer"]:has(style):not(:has(p, h1, h2, h3, li, table, span, img,
  svg, canvas, button, input)) {{ display: none; }}
/* plotly's toolbar: English tooltips, and on a phone it covers the chart's title */
.modebar-container {{ display: none !important; }}
/* the ⋮ menu («Print», «Record screen», «Made with Streamlit»): client.toolbarMode is
   "minimal" and no menu item is set, so there is nothing to show; hidden in case */
[data-testid="stMainMenu"] {{ display: none !important; }}
/* cards, headings, file lines and HTML tables wrap their text: nothing is cut by «…» */
[data-testid="stMetricLabel"], [data-testid="stMetricLabel"] *,
[data-testid="stMetricValue"], [data-testid="stMetricValue"] *,
[data-testid="stMetricDelta"] * {{
  white-space: normal !important; overflow: visible !important;
  text-overflow: clip !important; overflow-wrap: break-word; height: auto !important;
}}
[data-testid="stMetricValue"] {{ font-size: clamp(1.4rem, 2.2vw, 2.1rem) !important; }}
h1, h2, h3, h4, [data-testid="stHeadingWithActionElements"] * {{ overflow-wrap: break-word; }}
[data-testid="stExpander"] summary p, [data-testid="stExpander"] summary span {{
  white-space: normal !important; overflow-wrap: break-word;
}}
[data-testid="stTable"] td, [data-testid="stTable"] th {{
  white-space: normal !important; overflow-wrap: break-word; min-width: 4rem;
}}
/* a button's label wraps in a narrow column instead of ending in «…» */
button [data-testid="stMarkdownContainer"] p {{ white-space: normal !important;
  overflow: visible !important; text-overflow: clip !important; }}
.dem {{ display: flex; flex-wrap: wrap; gap: 0.4rem; margin: 0.2rem 0 0.6rem 0; }}
.dem span {{ border-radius: 0.4rem; padding: 0.15rem 0.6rem; font-size: 0.95rem;
  color: white; white-space: nowrap; }}
.dem-cham {{ background: #dc3545; }} .dem-gan {{ background: #b58900; }}
.dem-dat {{ background: #198754; }} .dem-thieu {{ background: #6c757d; }}
.dem-tien-do {{ background: #0d6efd; }}
.dem-chua {{ background: #adb5bd; color: #212529 !important; }}
</style>""",
        unsafe_allow_html=True,
    )
    # a phone: the menu closes once a page is chosen (Streamlit closes it only for its own
    # page list, which is switched off); Streamlit's narrow-screen breakpoint is 768 px
    st.sidebar.html(
        """<script>
if (!window.kpiMenuCloses) {
  window.kpiMenuCloses = true;
  document.addEventListener("click", (e) => {
    const link = e.target.closest('[data-testid="stSidebar"] a');
    if (!link || window.innerWidth > 768) return;
    const close = document.querySelector('[data-testid="stSidebarCollapseButton"] button');
    if (close) setTimeout(() => close.click(), 0);
  }, true);
}
</script>""",
        unsafe_allow_javascript=True,
    )


def file_picker(label: str, types: list[str], key: str, **kwargs: Any) -> Any:
    """``st.file_uploader`` whose Vietnamese hint lists the types this picker accepts (the
    frontend's own line is English and is hidden by ``vietnamese_chrome``)."""
    limit = settings.number("max_file_mb")
    shown = ", ".join(dict.fromkeys(t.lower().lstrip(".") for t in types))
    st.html(f"""<style>.st-key-{key} [data-testid="stFileUploaderDropzoneInstructions"]
span::after {{ content: "Tối đa {limit} MB mỗi tệp · {shown}"; }}</style>""")
    return st.file_uploader(label, type=types, key=key, **kwargs)
