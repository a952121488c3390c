-- the whole programme: baselines, growth targets, task sources, unit reports, report texts
ALTER TABLE chi_tieu_dieu_chinh ADD COLUMN nam_goc INTEGER;
ALTER TABLE chi_tieu_dieu_chinh ADD COLUMN cach_tang VARCHAR;
ALTER TABLE chi_tieu_dieu_chinh ADD COLUMN han DATE;
ALTER TABLE nhiem_vu ADD COLUMN nguon VARCHAR;
ALTER TABLE nhiem_vu ADD COLUMN thuong_xuyen BOOLEAN DEFAULT FALSE;
-- the value of a baseline year (2025) that a growth target is measured against
CREATE TABLE so_lieu_goc (
    indicator_id VARCHAR NOT NULL,
    commune VARCHAR NOT NULL,
    nam INTEGER NOT NULL,
    gia_tri DOUBLE NOT NULL,
    can_cu VARCHAR NOT NULL,
    nguoi_nhap VARCHAR NOT NULL,
    thoi_diem TIMESTAMP NOT NULL,
    PRIMARY KEY (indicator_id, commune, nam)
);
-- which unit reported for which month, and when (Công văn 001 §7: before the 18th)
CREATE TABLE bao_cao_don_vi (
    commune VARCHAR NOT NULL,
    thang DATE NOT NULL,
    don_vi VARCHAR NOT NULL,
    ngay_nhan DATE NOT NULL,
    ghi_chu VARCHAR,
    ten_tep VARCHAR,
    tep BLOB,
    nguoi_nhap VARCHAR NOT NULL,
    thoi_diem TIMESTAMP NOT NULL,
    PRIMARY KEY (commune, thang, don_vi)
);
-- the monthly report's written parts, every saved version kept
CREATE SEQUENCE noi_dung_bao_cao_seq START 1;
CREATE TABLE noi_dung_bao_cao (
    id INTEGER PRIMARY KEY,
    commune VARCHAR NOT NULL,
    thang DATE NOT NULL,
    muc VARCHAR NOT NULL,
    noi_dung VARCHAR NOT NULL,
    phien_ban INTEGER NOT NULL,
    nguoi_viet VARCHAR NOT NULL,
    thoi_diem TIMESTAMP NOT NULL
);
