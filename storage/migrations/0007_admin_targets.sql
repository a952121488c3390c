-- targets set by an admin, overriding the programme's for a year (and a commune)
CREATE TABLE chi_tieu_dieu_chinh (
    indicator_id VARCHAR NOT NULL,
    nam INTEGER NOT NULL,
    commune VARCHAR NOT NULL,  -- '' for every commune
    kind VARCHAR NOT NULL,
    gia_tri DOUBLE,
    thap DOUBLE,
    cao DOUBLE,
    can_cu VARCHAR NOT NULL,
    nguoi_sua VARCHAR NOT NULL,
    sua_luc TIMESTAMP NOT NULL,
    PRIMARY KEY (indicator_id, nam, commune)
);
