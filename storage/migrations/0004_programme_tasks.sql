-- the programme's tasks with the 6 rõ
CREATE TABLE nhiem_vu (
    tt VARCHAR PRIMARY KEY,
    nhom VARCHAR,
    noi_dung VARCHAR NOT NULL,
    chu_tri VARCHAR,
    phoi_hop VARCHAR,
    san_pham VARCHAR,
    tham_quyen VARCHAR,
    thoi_han VARCHAR,
    han DATE,
    trang_thai VARCHAR NOT NULL DEFAULT 'chua_thuc_hien',
    ngay_hoan_thanh DATE,
    ghi_chu VARCHAR,
    cap_nhat_luc TIMESTAMP,
    cap_nhat_boi VARCHAR
);
