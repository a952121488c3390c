"""Every user-visible string on the pages is Vietnamese: no English label left over from
the code and no raw field name (``ty_le_so_hoa``) leaking into a table or a message.
Streamlit's own widget chrome (menus, "Browse files") is not part of the page tree."""

from __future__ import annotations

import re

import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import ROOT
from tests.test_app_pages import PAGES

ENGLISH = {
    "the",
    "and",
    "of",
    "to",
    "for",
    "with",
    "select",
    "upload",
    "file",
    "files",
    "error",
    "value",
    "values",
    "status",
    "target",
    "delta",
    "period",
    "commune",
    "indicator",
    "save",
    "download",
    "page",
    "data",
    "total",
    "none",
    "nan",
    "true",
    "false",
    "loading",
    "submit",
    "cancel",
    "show",
    "hide",
    "click",
    "table",
    "chart",
    "trend",
    "rows",
    "row",
    "column",
    "columns",
    "name",
    "date",
    "month",
    "year",
    "quarter",
    "import",
    "history",
    "undo",
    "overdue",
    "tasks",
    "task",
    "meeting",
    "next",
    "previous",
    "back",
    "settings",
    "summary",
    "count",
    "rate",
    "source",
    "note",
    "user",
    "unknown",
    "null",
    "yes",
    "no",
}
RAW_FIELD = re.compile(r"\b[a-z]+(?:_[a-z0-9]+)+\b")


def visible_strings(at: AppTest) -> list[str]:
    out: list[str] = []
    for kind in (
        "title",
        "header",
        "subheader",
        "markdown",
        "caption",
        "info",
        "success",
        "warning",
        "error",
    ):
        out += [str(e.value) for e in getattr(at, kind)]
    out += [m.label for m in at.metric]
    for kind in (
        "button",
        "selectbox",
        "radio",
        "text_input",
        "number_input",
        "checkbox",
        "toggle",
        "multiselect",
    ):
        for w in getattr(at, kind):
            out.append(w.label)
            out += [str(o) for o in getattr(w, "options", [])]
    out += [t.label for t in at.tabs] + [e.label for e in at.expander]
    for frame in at.dataframe:
        out += [str(c) for c in frame.value.columns]
    return [s for s in out if s]


def offending(text: str) -> list[str]:
    # style blocks, links, inline code and file names are not prose
    prose = re.sub(r"(?s)<style>.*?</style>|`[^`]*`|https?://\S+|\S+\.(?:xlsx|xls|csv)\b", "", text)
    words = re.findall(r"\w+", prose)
    bad = [w for w in words if w.isascii() and w.lower() in ENGLISH]
    bad += RAW_FIELD.findall(prose)
    return bad


@pytest.mark.parametrize("name", PAGES)
def test_every_visible_string_is_vietnamese(name, demo_db):
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    if name != "tong_quan":
        at.switch_page(f"pages/{name}.py").run()
    assert not at.exception
    strings = visible_strings(at)
    assert len(strings) > 5
    problems = {s: offending(s) for s in strings if offending(s)}
    assert problems == {}


def test_the_check_catches_english_and_raw_names():
    assert offending("Upload file") == ["Upload", "file"]
    assert offending("Giá trị ty_le_so_hoa") == ["ty_le_so_hoa"]
    assert offending("Tỷ lệ hồ sơ trực tuyến (DVC, VNeID, Excel)") == []
