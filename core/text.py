"""Normalising Vietnamese text the way exports need it."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Old-style tone placement ("hoá", "thuỷ") is common in Vietnamese exports; fold it to
# the new style so header matching does not depend on the vendor's keyboard.
_TONE_PLACEMENT = {
    "oá": "óa", "oà": "òa", "oả": "ỏa", "oã": "õa", "oạ": "ọa",
    "oé": "óe", "oè": "òe", "oẻ": "ỏe", "oẽ": "õe", "oẹ": "ọe",
    "uý": "úy", "uỳ": "ùy", "uỷ": "ủy", "uỹ": "ũy", "uỵ": "ụy",
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
