-- locked months and the audit trail
CREATE TABLE khoa_thang (
    commune VARCHAR NOT NULL,
    thang DATE NOT NULL,
    khoa_luc TIMESTAMP NOT NULL,
    khoa_boi VARCHAR NOT NULL,
    ghi_chu VARCHAR,
    PRIMARY KEY (commune, thang)
);
CREATE SEQUENCE nhat_ky_id_seq START 1;
CREATE TABLE nhat_ky (
    id INTEGER PRIMARY KEY,
    thoi_diem TIMESTAMP NOT NULL,
    nguoi VARCHAR NOT NULL,
    hanh_dong VARCHAR NOT NULL,
    doi_tuong VARCHAR,
    chi_tiet VARCHAR
);
