-- imports, case versions, current cases, aggregate reports
CREATE SEQUENCE import_id_seq START 1;
CREATE TABLE imports (
    import_id INTEGER PRIMARY KEY,
    file_name VARCHAR NOT NULL,
    sha256 VARCHAR NOT NULL,
    kind VARCHAR NOT NULL,
    fmt VARCHAR,
    sheet VARCHAR,
    commune VARCHAR NOT NULL,
    as_of DATE NOT NULL,
    as_of_source VARCHAR,
    period_start DATE,
    period_end DATE,
    rows_inserted INTEGER NOT NULL DEFAULT 0,
    rows_updated INTEGER NOT NULL DEFAULT 0,
    rows_unchanged INTEGER NOT NULL DEFAULT 0,
    rows_rejected INTEGER NOT NULL DEFAULT 0,
    imported_at TIMESTAMP NOT NULL,
    imported_by VARCHAR,
    undone_at TIMESTAMP,
    undone_by VARCHAR
);
CREATE TABLE import_problems (
    import_id INTEGER NOT NULL,
    sheet VARCHAR,
    row_number INTEGER,
    column_name VARCHAR,
    value VARCHAR,
    reason VARCHAR
);
-- every snapshot's rows, so that the latest as-of wins whatever the import order
-- and an import can be undone
CREATE TABLE ho_so_versions ({{case_columns}});
-- the current state of each case, rebuilt from the versions
CREATE TABLE ho_so ({{case_columns}});
CREATE TABLE bao_cao_tong_hop (
    import_id INTEGER NOT NULL,
    commune VARCHAR NOT NULL,
    thang DATE NOT NULL,
    kind VARCHAR NOT NULL,
    as_of DATE NOT NULL,
    linh_vuc VARCHAR NOT NULL,
    chi_so VARCHAR NOT NULL,
    gia_tri DOUBLE
);
CREATE TABLE data_version (id INTEGER PRIMARY KEY, version BIGINT NOT NULL);
INSERT INTO data_version VALUES (1, 0);
