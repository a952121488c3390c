"""The programme's appendix as tasks: every one seeded, each deadline read as written."""

from __future__ import annotations

import datetime as dt

import yaml

from storage.tasks import SEED, deadline, list_tasks, seed

# tt -> the deadline its «Thời gian hoàn thành» gives (None: «Thường xuyên», «Theo lộ trình»,
# «Đã thực hiện»), checked against seeds/002's appendix line by line
EXPECTED = {
    "1.1": None, "1.2": dt.date(2026, 9, 30), "1.3": None,
    "2.1.1": dt.date(2026, 9, 30), "2.1.2": dt.date(2026, 9, 30), "2.1.3": dt.date(2026, 9, 30),
    "2.1.4": dt.date(2026, 9, 30), "2.1.5": dt.date(2026, 9, 30), "2.2": None,
    "2.3": dt.date(2026, 12, 31), "2.4": None, "3.1": dt.date(2026, 12, 31), "3.2": None,
    "3.3": dt.date(2026, 9, 30), "3.4": dt.date(2026, 9, 30), "3.5": dt.date(2026, 12, 31),
    "4.1": dt.date(2026, 12, 31), "4.2": dt.date(2026, 12, 31), "5.1": None,
    "5.2": dt.date(2026, 12, 31), "5.3": dt.date(2026, 12, 31), "5.4": None,
}


def test_every_appendix_task_is_seeded_with_its_deadline(con):
    assert seed(con) == len(EXPECTED)
    tasks = list_tasks(con, today=dt.date(2026, 11, 22))
    assert dict(zip(tasks["tt"], tasks["han"], strict=True)) == EXPECTED


def test_a_task_past_its_quarter_is_overdue(con):
    seed(con)
    tasks = list_tasks(con, today=dt.date(2026, 10, 1)).set_index("tt")
    assert bool(tasks.at["3.4", "qua_han"]) and not bool(tasks.at["3.5", "qua_han"])
    assert not bool(tasks.at["5.1", "qua_han"])  # done


def test_deadline_words_in_any_spelling():
    assert deadline("Quý III, năm 2026") == deadline("quy 3/2026") == dt.date(2026, 9, 30)
    assert deadline("Qúy IV năm 2026") == dt.date(2026, 12, 31)
    assert deadline("Trước ngày 15/11/2026") == dt.date(2026, 11, 15)
    assert deadline("Thường xuyên") is None


def test_the_seed_file_lists_each_task_once():
    tts = [t["tt"] for t in yaml.safe_load(SEED.read_text(encoding="utf-8"))["tasks"]]
    assert len(tts) == len(set(tts)) == len(EXPECTED)
