"""Helpers shared by the tests and the benchmarks: a real ``streamlit run`` on a free port,
a raw Streamlit websocket client, headless Chromium, waits sized for a busy machine, and a
bounded background load to prove it. Nothing in the application imports this package
(import-linter: .importlinter)."""
