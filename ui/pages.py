"""The page list: file, title, icon and the least role that opens it. ``app.py`` builds the
navigation from it on every run; each page also checks the role itself (ui.auth.require)."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlparse

import streamlit as st

from storage.accounts import ROLES, allowed

PAGES: dict[str, list[tuple[str, str, str, str]]] = {
    "Theo dõi": [
        ("pages/tong_quan.py", "Tổng quan", "📊", "xem"),
        ("pages/chi_so.py", "Chỉ số", "📈", "xem"),
        ("pages/ho_so_qua_han.py", "Hồ sơ quá hạn", "⏰", "xem"),
        ("pages/nhiem_vu.py", "Nhiệm vụ", "✅", "xem"),
        ("pages/cuoc_hop.py", "Cuộc họp", "📝", "nhap_lieu"),
        ("pages/nhac_viec.py", "Nhắc việc", "🔔", "nhap_lieu"),
        ("pages/che_do_hop.py", "Chế độ họp", "🖥️", "xem"),
        ("pages/bao_cao.py", "Báo cáo", "📄", "xem"),
        ("pages/xep_hang.py", "Đánh giá, xếp hạng", "🥇", "xem"),
        ("pages/so_sanh_xa.py", "So sánh các xã", "🏆", "xem"),
    ],
    "Dữ liệu": [
        ("pages/tai_du_lieu.py", "Tải dữ liệu", "📤", "nhap_lieu"),
        ("pages/nhap_so_lieu.py", "Nhập số liệu", "✍️", "nhap_lieu"),
        ("pages/chat_luong.py", "Chất lượng dữ liệu", "🔎", "xem"),
        ("pages/quan_tri.py", "Quản trị", "🔐", "quan_tri"),
    ],
}


PROVINCE_ONLY = {"pages/so_sanh_xa.py"}


def navigation(role: str, commune_account: bool = False) -> st.navigation:  # type: ignore[valid-type]
    """The pages this role may open. Streamlit's own page list is switched off
    (``client.showSidebarNavigation``): it would list every file in pages/ to a visitor who
    has not signed in. The sidebar links are drawn by ``run``, for this role only; an
    account tied to one commune does not get the province's comparison."""
    return st.navigation(_sections(role, commune_account), position="hidden")


def _sections(role: str, commune_account: bool) -> dict[str, list]:
    sections = {
        section: [
            st.Page(path, title=title, icon=icon, default=path.endswith("tong_quan.py"))
            for path, title, icon, need in items
            if allowed(role, need) and not (commune_account and path in PROVINCE_ONLY)
        ]
        for section, items in PAGES.items()
    }
    return {k: v for k, v in sections.items() if v}


def _asked_slug() -> str:
    """The page named in the browser's address (``/bao_cao`` -> ``bao_cao``), if any."""
    try:
        url = st.context.url or ""
    except Exception:  # no browser behind this run (a test harness)
        return ""
    return urlparse(url).path.rstrip("/").rsplit("/", 1)[-1]


SLUGS = {
    Path(path).stem: (title, need) for items in PAGES.values() for path, title, _, need in items
}
WANTED = "trang_muon_mo"  # the address asked for before sign-in


def remember_wanted_page() -> None:
    """Signed out: keep the page and the query the address asked for (a bookmark, a shared
    link such as ``/bao_cao?ky=2026-09``), to open them once the sign-in succeeds. No page
    list is sent to a browser that has not signed in (ui.gate), so the browser cannot carry
    it over the sign-in itself."""
    from streamlit.runtime.scriptrunner_utils.script_run_context import get_script_run_ctx

    ctx = get_script_run_ctx()
    slug = (ctx.pages_manager.intended_page_name if ctx is not None else None) or _asked_slug()
    if WANTED not in st.session_state and (slug in SLUGS or st.query_params):
        st.session_state[WANTED] = (slug or "", st.query_params.to_dict())


def _refusal(title: str, icon: str, slug: str, reason: str) -> st.Page:  # type: ignore[valid-type]
    """A page this role may not open, kept at its own address with a sentence that says so
    (without it Streamlit shows its English «Page not found» window and the overview)."""

    def refused() -> None:
        st.title(f"{icon} {title}")
        st.error(f"Tài khoản của bạn không mở được trang «{title}» ({reason}).")
        st.page_link(PAGES["Theo dõi"][0][0], label="Về trang Tổng quan", icon="📊")

    refused.__name__ = f"khong_co_quyen_{slug}"
    return st.Page(refused, title=title, icon=icon, url_path=slug)


def run(role: str, commune_account: bool = False) -> None:
    """Open the page asked for (the one remembered through sign-in, else the address's),
    a refusal at the address of a page this role may not open, then the sidebar links,
    drawn after the page so they carry the period and commune the page has just settled on
    (one history entry per visit: the page finds its ``?ky=&xa=`` already in the address)."""
    sections = _sections(role, commune_account)
    mine = {
        page._url_path: page for pages in sections.values() for page in pages
    }  # the default page's url_path reads "": its own name here
    refused = [
        _refusal(
            title,
            icon,
            Path(path).stem,
            "chỉ dành cho tài khoản cấp tỉnh"
            if allowed(role, need)
            else f"cần vai trò «{ROLES[need]}»",
        )
        for items in PAGES.values()
        for path, title, icon, need in items
        if Path(path).stem not in mine
    ]
    nav = st.navigation({**sections, "": refused} if refused else sections, position="hidden")
    links = st.sidebar.empty()
    drawn = _links(links, sections)  # at once, so the menu is there while the page is computed
    if wanted := st.session_state.pop(WANTED, None):
        slug, query = wanted
        here = nav._url_path
        if slug in mine and (slug != here or query != st.query_params.to_dict()):
            st.switch_page(mine[slug], query_params=query)
        elif query and not st.query_params:
            st.query_params.from_dict(query)
    try:
        nav.run()
    finally:
        # again only when the page has settled on another period or commune: redrawing the
        # same links replaces them under the pointer, and a click just then would be lost
        if _query() != drawn:
            _links(links, sections)


def _query() -> dict[str, str]:
    return {k: st.session_state[k] for k in ("ky", "xa") if st.session_state.get(k)}


def _links(box, sections: dict[str, list]) -> dict[str, str]:
    """The sidebar's links, carrying the period and commune; returns what they carry."""
    query = _query()
    with box.container():
        for section, pages in sections.items():
            st.caption(section)
            for page in pages:
                st.page_link(page, query_params=query or None)
    return query
