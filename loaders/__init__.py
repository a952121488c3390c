"""Reading the portal's exports and storing them in DuckDB.

The public entry points are :func:`loaders.reader.read_file` (detect, map, validate)
and :func:`storage.imports.import_files` (store, log, undo).
"""
