"""Normalising Vietnamese text the way exports need it."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Old-style tone placement ("hoá", "thuỷ") is common in Vietnamese exports; fold it to
# the new style so header matching does not depend on the vendor's keyboard.
_TONE_PLACEMENT = {
    "oá": "óa",
    "oà": "òa",
    "oả": "ỏa",
    "oã": "õa",
    "oạ": "ọa",
    "oé": "óe",
    "oè": "òe",
    "oẻ": "ỏe",
    "oẽ": "õe",
    "oẹ": "ọe",
    "uý": "úy",
    "uỳ": "ùy",
    "uỷ": "ủy",
    "uỹ": "ũy",
    "uỵ": "ụy",
}
_TONE_RE = re.compile("|".join(_TONE_PLACEMENT))
_SPACE_RE = re.compile(r"\s+")


def nfc(value: str) -> str:
    return unicodedata.normalize("NFC", value)


def clean(value: object) -> str:
    """A cell as text: NFC, trimmed, inner whitespace collapsed to single spaces."""
    if value is None:
        return ""
    text = nfc(str(value)).replace("\u00a0", " ")
    return _SPACE_RE.sub(" ", text).strip()


@lru_cache(maxsize=1 << 16)
def key(value: object) -> str:
    """Matching key for headers and value words: case, spacing and tone placement folded."""
    text = clean(value).casefold()
    text = _TONE_RE.sub(lambda m: _TONE_PLACEMENT[m.group(0)], text)
    return text.strip(" :.;*")


def ascii_fold(value: str) -> str:
    """Drop diacritics (for file names and loose comparisons)."""
    text = unicodedata.normalize("NFD", value.replace("đ", "d").replace("Đ", "D"))
    return "".join(c for c in text if not unicodedata.combining(c))


_CONTROL_RE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def printable(value: object) -> str:
    """A name from outside (a file name, a cell) safe to echo on a terminal or a log line:
    control characters, escape codes and bidi overrides shown as \\xNN instead of acting."""
    return _CONTROL_RE.sub(lambda m: f"\\x{ord(m.group(0)):02x}", str(value))


# --- text from a file or a user, shown by Streamlit or plotly ---------------------------------
# Streamlit reads titles, captions, messages, metric and widget labels and st.table cells as
# GitHub Markdown; plotly reads chart text (titles, axis, hover, annotations) as a small HTML.
# A name from a file («Lĩnh vực», «Cán bộ», a commune, a file name) must stay text in both:
# no link, no image (fetched by every viewer's browser), no heading, no emphasis.
# What Markdown acts on, escaped with a backslash (CommonMark escapes any ASCII
# punctuation). A bare web or mail address is turned into a link by GitHub Markdown, so the
# «:» of «scheme://» and «mailto:», the «@» inside an address and the «.» after «www» are
# escaped too; elsewhere «:», «.», «_» read as written (a message or a file name is left as
# its reader expects it).
_MARKDOWN = str.maketrans({c: "\\" + c for c in "\\`*[]<>|~$@"})  # «[» ends links, images
_AUTOLINK = re.compile(
    r"(?i)(?<=[a-z0-9+.-])(:)(?=//)|(?<=mailto)(:)|(?<=xmpp)(:)"
    r"|(?<=\w)(@)(?=\w)|(?<=www)(\.)"
)
_LINE_START = re.compile(r"(?m)^(\s*)(\d*)([-+*>#=.)])")


def plain_markdown(value: object) -> str:
    """A string from a file or a user, to be shown literally inside Streamlit Markdown."""
    text = str(value).translate(_MARKDOWN)
    text = _AUTOLINK.sub(lambda m: "\\" + m.group(0), text)
    # a list or quote marker at a line's start («- », «1. ») would restructure the line
    text = _LINE_START.sub(lambda m: m.group(1) + m.group(2) + "\\" + m.group(3), text)
    return text.replace("\n", "  \n")  # each line of a message stays a line


def plain_plot(value: object) -> str:
    """A string from a file or a user, to be shown literally in a plotly chart (titles,
    axis ticks, hover, legends): its HTML subset (<a href>, <img>, <b>) becomes text."""
    return str(value).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


_HTML_QUIET = {c: f"&#{ord(c)};" for c in "[]()!:@*_`~#|\\$"}


def plain_html(value: object) -> str:
    """A string from a file or a user inside HTML that Streamlit draws with
    ``unsafe_allow_html`` (meeting mode's slides): HTML-escaped, and what Markdown would act
    on written as character references, which the browser shows as the same characters."""
    import html

    text = html.escape(str(value), quote=True)
    return "".join(_HTML_QUIET.get(c, c) for c in text)


_UNSAFE_IN_NAME = re.compile(r"[^A-Za-z0-9_-]+")


def file_part(value: object, fallback: str = "tep") -> str:
    """A name from data (a commune, an indicator) as one safe part of a file name: ASCII,
    letters, digits, «_» and «-» only, so «/», «..», control codes or a leading dash can
    never turn it into another path or an option."""
    text = _UNSAFE_IN_NAME.sub("_", ascii_fold(str(value))).strip("_-")
    return text[:60].rstrip("_-") or fallback
