from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# everything the tests need is in the repository (tests/data/SOURCES says where it came from)
SAMPLES = ROOT / "tests" / "data"
DIEN_CHAU = SAMPLES / "dien_chau"
BAD = SAMPLES / "bad"
REALWORLD = SAMPLES / "realworld"
SEEDS_DIR = SAMPLES / "seeds"  # the commune's documents the targets and tasks come from
COMMUNE = "Xã Diễn Châu"
# a shared folder beside the clone, when there is one, may add extra corpora; never required
SHARED = Path(os.environ.get("KPI_SHARED", ROOT.parent / "shared"))


def extra_corpus(name: str) -> list[Path]:
    """Files of ``shared/samples/<name>`` beside the clone that tests/data does not hold
    already (same bytes), or nothing when there is no such folder."""
    import hashlib

    folder = SHARED / "samples" / name
    if not folder.is_dir():
        return []
    have = {
        hashlib.sha256(p.read_bytes()).digest() for p in (SAMPLES / name).rglob("*") if p.is_file()
    }
    return sorted(
        p
        for p in folder.rglob("*")
        if p.is_file()
        and p.suffix != ".txt"
        and hashlib.sha256(p.read_bytes()).digest() not in have
    )


@pytest.fixture(autouse=True)
def _isolated_settings(monkeypatch, tmp_path):
    # no test may touch the real data/kpi.duckdb or depend on the developer's environment
    monkeypatch.setenv("KPI_DB", str(tmp_path / "kpi.duckdb"))
    monkeypatch.setenv("KPI_LOG_DIR", str(tmp_path / "logs"))
    monkeypatch.delenv("KPI_COMMUNE", raising=False)
    monkeypatch.setenv("KPI_USER", "kiem_thu")
    # sign-in has its own tests (test_roles.py); elsewhere the single-user mode is used
    monkeypatch.setenv("KPI_AUTH", "0")
    for name in ("KPI_ADMIN_USER", "KPI_ADMIN_PASSWORD", "KPI_DEMO"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture(scope="module")
def browser():
    """Headless Chromium (Debian's) for one test module; open pages with
    testing.browser.new_page so that every wait is sized for a busy machine."""
    from testing.browser import chromium

    with chromium() as b:
        yield b


@pytest.fixture
def db_path(tmp_path) -> Path:
    return tmp_path / "kpi.duckdb"


@pytest.fixture
def con(db_path):
    from storage.database import connect

    connection = connect(db_path)
    yield connection
    connection.close()


def sample_files() -> list[Path]:
    return sorted(DIEN_CHAU.iterdir())


@pytest.fixture(scope="session")
def samples_db(tmp_path_factory) -> Path:
    """A database with every Diễn Châu sample imported, shared by read-only tests."""
    from storage.database import connect
    from storage.imports import import_files

    path = tmp_path_factory.mktemp("samples") / "kpi.duckdb"
    con = connect(path)
    results = import_files(con, sample_files(), commune=COMMUNE, user="kiem_thu")
    assert all(r.ok for r in results), [r.message for r in results if not r.ok]
    con.close()
    return path


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory) -> Path:
    """The demo database, seeded once per test session through the real import path (the
    app does the same on first start); tests copy it instead of seeding 11,000 cases each."""
    from indicators.definitions import manual_indicators
    from storage import demo, tasks
    from storage.database import connect

    folder = tmp_path_factory.mktemp("demo")
    path = folder / "kpi.duckdb"
    con = connect(path)
    demo.seed_demo(con, folder, manual_indicators())
    tasks.seed(con)
    con.close()
    return path


@pytest.fixture
def demo_db(demo_template, db_path) -> Path:
    """This test's own copy of the demo database, at KPI_DB."""
    import shutil

    shutil.copy(demo_template, db_path)
    return db_path
