-- meetings, their conclusions, assignments as tasks, notices of conclusions
    CREATE SEQUENCE cuoc_hop_id_seq START 1;
    CREATE TABLE cuoc_hop (
        id INTEGER PRIMARY KEY,
        commune VARCHAR NOT NULL,
        ngay DATE NOT NULL,
        loai VARCHAR NOT NULL,
        chu_tri VARCHAR NOT NULL,
        thanh_phan VARCHAR,
        ky_xem_xet VARCHAR,
        dia_diem VARCHAR,
        khoa_luc TIMESTAMP,
        khoa_boi VARCHAR,
        tao_luc TIMESTAMP NOT NULL,
        tao_boi VARCHAR NOT NULL
    );
    CREATE SEQUENCE ket_luan_id_seq START 1;
    CREATE TABLE ket_luan (
        id INTEGER PRIMARY KEY,
        cuoc_hop_id INTEGER NOT NULL,
        stt INTEGER NOT NULL,
        noi_dung VARCHAR NOT NULL,
        chi_so VARCHAR,
        nhiem_vu_tt VARCHAR,
        don_vi VARCHAR,
        tao_luc TIMESTAMP NOT NULL,
        tao_boi VARCHAR NOT NULL
    );
    -- an assignment is a task of the commune whose source is the meeting
    ALTER TABLE nhiem_vu ADD COLUMN cuoc_hop_id INTEGER;
    ALTER TABLE nhiem_vu ADD COLUMN ket_luan_id INTEGER;
    ALTER TABLE nhiem_vu ADD COLUMN nguoi_chu_tri VARCHAR;
    -- every notice written is kept (its number, date, signer and the Word file)
    CREATE SEQUENCE thong_bao_id_seq START 1;
    CREATE TABLE thong_bao_ket_luan (
        id INTEGER PRIMARY KEY,
        cuoc_hop_id INTEGER NOT NULL,
        phien_ban INTEGER NOT NULL,
        so_ky_hieu VARCHAR,
        ngay_ban_hanh DATE NOT NULL,
        nguoi_ky VARCHAR,
        ten_tep VARCHAR NOT NULL,
        tep BLOB NOT NULL,
        tao_luc TIMESTAMP NOT NULL,
        tao_boi VARCHAR NOT NULL
    );
