"""Indicators against targets: definitions and targets as data (YAML), computed in DuckDB."""
