-- hand-entered figures remember the import they came from (for undo)
ALTER TABLE so_lieu_nhap_tay ADD COLUMN import_id INTEGER;
