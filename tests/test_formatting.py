"""Numbers and quarter numerals have one home (core.formatting), used by the audit trail,
the reader's findings, task deadlines, file titles and period labels alike."""

from __future__ import annotations

import pytest

from core import formatting as fmt
from core.periods import parse
from loaders.titles import period_from_text
from storage.audit import sentence
from storage.tasks import deadline


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (1234.0, "1.234"),
        (86.5, "86,5"),
        (0.12345678, "0,1235"),
        (100.0, "100"),
        (1234567.25, "1.234.567,25"),
    ],
)
def test_a_trimmed_number_keeps_what_matters(value, text):
    assert fmt.number(value, 4, trim=True) == text


def test_the_audit_trail_writes_numbers_the_vietnamese_way():
    import json

    said = sentence("nhap_so_lieu", json.dumps({"gia_tri": 1234.5, "tu_so": 12.0}))
    assert "1.234,5" in said and "12" in said and "12,0" not in said


@pytest.mark.parametrize(("word", "number"), [("I", 1), ("ii", 2), ("III", 3), ("iv", 4), ("3", 3)])
def test_quarter_numerals_are_read_in_either_case_or_as_digits(word, number):
    assert fmt.quarter_number(word) == number


def test_quarter_numerals_are_written_roman():
    assert [fmt.quarter_numeral(q) for q in range(1, 5)] == ["I", "II", "III", "IV"]


def test_every_module_reads_and_writes_quarters_alike():
    import datetime as dt

    for q in range(1, 5):
        label = parse(f"2026-Q{q}").label  # "Quý III/2026"
        assert label == f"Quý {fmt.QUARTER_NUMERALS[q - 1]}/2026"
        start, end = period_from_text(label)
        assert (start, end) == (parse(f"2026-Q{q}").start, parse(f"2026-Q{q}").end)
        assert deadline(label) == end
    assert deadline("Trước Quý IV/2026") == dt.date(2026, 9, 30)
