-- hand-entered figures with versions
CREATE SEQUENCE so_lieu_id_seq START 1;
CREATE TABLE so_lieu_nhap_tay (
    id INTEGER PRIMARY KEY,
    indicator_id VARCHAR NOT NULL,
    commune VARCHAR NOT NULL,
    thang DATE NOT NULL,
    gia_tri DOUBLE,
    tu_so DOUBLE,
    mau_so DOUBLE,
    nguon VARCHAR NOT NULL,
    nguoi_nhap VARCHAR NOT NULL,
    thoi_diem TIMESTAMP NOT NULL,
    ghi_chu VARCHAR,
    phien_ban INTEGER NOT NULL
);
