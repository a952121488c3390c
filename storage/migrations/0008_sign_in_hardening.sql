-- sign-in hardening: failed attempts, lockout, forced password change, sessions
ALTER TABLE tai_khoan ADD COLUMN so_lan_sai INTEGER DEFAULT 0;
ALTER TABLE tai_khoan ADD COLUMN khoa_den TIMESTAMP;
ALTER TABLE tai_khoan ADD COLUMN phai_doi_mat_khau BOOLEAN DEFAULT FALSE;
-- a sign-in: only the SHA-256 of its random token is kept, so neither the database nor
-- a backup of it can be turned into a working cookie
CREATE TABLE phien_dang_nhap (
    token_bam VARCHAR PRIMARY KEY,
    ten_dang_nhap VARCHAR NOT NULL,
    tao_luc TIMESTAMP NOT NULL,
    het_han TIMESTAMP NOT NULL,
    thu_hoi_luc TIMESTAMP
);
-- the old cookie-signing key is not needed any more
DELETE FROM cau_hinh WHERE khoa = 'cookie_key';
