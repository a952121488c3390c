-- accounts with hashed passwords and roles; installation secrets
CREATE TABLE tai_khoan (
    ten_dang_nhap VARCHAR PRIMARY KEY,
    ho_ten VARCHAR NOT NULL,
    vai_tro VARCHAR NOT NULL,
    mat_khau_bam VARCHAR,
    tao_luc TIMESTAMP NOT NULL,
    tao_boi VARCHAR NOT NULL,
    hoat_dong BOOLEAN NOT NULL DEFAULT TRUE
);
CREATE TABLE cau_hinh (khoa VARCHAR PRIMARY KEY, gia_tri VARCHAR NOT NULL);
