"""The page list: file, title, icon and the least role that opens it. ``app.py`` builds the
navigation from it on every run; each page also checks the role itself (ui.auth.require)."""

from __future__ import annotations

import streamlit as st

from storage.accounts import allowed

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


WANTED = "trang_muon"  # the page a browser asked for before its sign-in


def remember_wanted_page() -> None:
    """Before sign-in, keep the page the address named (a bookmark, a link): no page list is
    sent to a browser that has not signed in (ui.gate), so the browser cannot carry it over
    the sign-in itself."""
    from streamlit.runtime.scriptrunner_utils.script_run_context import get_script_run_ctx

    ctx = get_script_run_ctx()
    name = ctx.pages_manager.intended_page_name if ctx is not None else None
    if name:
        st.session_state[WANTED] = (name, st.query_params.to_dict())


def navigation(role: str, commune_account: bool = False) -> st.navigation:  # type: ignore[valid-type]
    """The pages this role may open. Streamlit's own page list is switched off
    (``client.showSidebarNavigation``): it would list every file in pages/ to a visitor who
    has not signed in. The sidebar links are drawn here, for this role only; an account
    tied to one commune does not get the province's comparison."""
    sections = {
        section: [st.Page(path, title=title, icon=icon, default=path.endswith("tong_quan.py"))
                  for path, title, icon, need in items if allowed(role, need)
                  and not (commune_account and path in PROVINCE_ONLY)]
        for section, items in PAGES.items()
    }
    sections = {k: v for k, v in sections.items() if v}
    nav = st.navigation(sections, position="hidden")
    wanted, params = st.session_state.pop(WANTED, None) or (None, {})
    for page in (p for pages in sections.values() for p in pages):
        if wanted and page.url_path == wanted and page.url_path != nav.url_path:
            # the bookmarked page and its period, right after the sign-in
            st.switch_page(page, query_params=params)
    with st.sidebar:
        for section, pages in sections.items():
            st.caption(section)
            for page in pages:
                st.page_link(page)
    return nav
