"""Reading the portal's exports and storing them in DuckDB.

The public entry points are :func:`loaders.reader.read_file` (detect, map, validate)
and :func:`loaders.store.import_files` (store, log, undo).
"""
