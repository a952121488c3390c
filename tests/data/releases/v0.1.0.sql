-- The schema kpi-xa v0.1.0 creates in an empty database, written by scripts/release_schema.py v0.1.0.
-- Do not edit: regenerate it.
CREATE SEQUENCE import_id_seq INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START 1 NO CYCLE;
CREATE SEQUENCE nhat_ky_id_seq INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START 1 NO CYCLE;
CREATE SEQUENCE so_lieu_id_seq INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START 1 NO CYCLE;
CREATE TABLE bao_cao_tong_hop(import_id INTEGER NOT NULL, commune VARCHAR NOT NULL, thang DATE NOT NULL, kind VARCHAR NOT NULL, as_of DATE NOT NULL, linh_vuc VARCHAR NOT NULL, chi_so VARCHAR NOT NULL, gia_tri DOUBLE);
CREATE TABLE cau_hinh(khoa VARCHAR PRIMARY KEY, gia_tri VARCHAR NOT NULL);
CREATE TABLE chi_tieu_dieu_chinh(indicator_id VARCHAR, nam INTEGER, commune VARCHAR, kind VARCHAR NOT NULL, gia_tri DOUBLE, thap DOUBLE, cao DOUBLE, can_cu VARCHAR NOT NULL, nguoi_sua VARCHAR NOT NULL, sua_luc TIMESTAMP NOT NULL, PRIMARY KEY(indicator_id, nam, commune));
CREATE TABLE data_version(id INTEGER PRIMARY KEY, "version" BIGINT NOT NULL);
CREATE TABLE ho_so(commune VARCHAR NOT NULL, ma_ho_so VARCHAR NOT NULL, as_of DATE NOT NULL, import_id INTEGER NOT NULL, ten_tthc VARCHAR, linh_vuc VARCHAR, kenh VARCHAR, muc_do VARCHAR, ngay_tiep_nhan TIMESTAMP, ngay_hen_tra TIMESTAMP, ngay_ket_thuc TIMESTAMP, trang_thai VARCHAR, so_hoa_tphs BOOLEAN, ket_qua_dien_tu BOOLEAN, tai_su_dung BOOLEAN, phi BIGINT, thanh_toan_truc_tuyen BOOLEAN, xac_thuc_vneid BOOLEAN, danh_gia VARCHAR, can_bo VARCHAR);
CREATE TABLE ho_so_versions(commune VARCHAR NOT NULL, ma_ho_so VARCHAR NOT NULL, as_of DATE NOT NULL, import_id INTEGER NOT NULL, ten_tthc VARCHAR, linh_vuc VARCHAR, kenh VARCHAR, muc_do VARCHAR, ngay_tiep_nhan TIMESTAMP, ngay_hen_tra TIMESTAMP, ngay_ket_thuc TIMESTAMP, trang_thai VARCHAR, so_hoa_tphs BOOLEAN, ket_qua_dien_tu BOOLEAN, tai_su_dung BOOLEAN, phi BIGINT, thanh_toan_truc_tuyen BOOLEAN, xac_thuc_vneid BOOLEAN, danh_gia VARCHAR, can_bo VARCHAR);
CREATE TABLE import_problems(import_id INTEGER NOT NULL, sheet VARCHAR, row_number INTEGER, column_name VARCHAR, "value" VARCHAR, reason VARCHAR);
CREATE TABLE imports(import_id INTEGER PRIMARY KEY, file_name VARCHAR NOT NULL, sha256 VARCHAR NOT NULL, kind VARCHAR NOT NULL, fmt VARCHAR, sheet VARCHAR, commune VARCHAR NOT NULL, as_of DATE NOT NULL, as_of_source VARCHAR, period_start DATE, period_end DATE, rows_inserted INTEGER DEFAULT(0) NOT NULL, rows_updated INTEGER DEFAULT(0) NOT NULL, rows_unchanged INTEGER DEFAULT(0) NOT NULL, rows_rejected INTEGER DEFAULT(0) NOT NULL, imported_at TIMESTAMP NOT NULL, imported_by VARCHAR, undone_at TIMESTAMP, undone_by VARCHAR);
CREATE TABLE khoa_thang(commune VARCHAR, thang DATE, khoa_luc TIMESTAMP NOT NULL, khoa_boi VARCHAR NOT NULL, ghi_chu VARCHAR, PRIMARY KEY(commune, thang));
CREATE TABLE nhat_ky(id INTEGER PRIMARY KEY, thoi_diem TIMESTAMP NOT NULL, nguoi VARCHAR NOT NULL, hanh_dong VARCHAR NOT NULL, doi_tuong VARCHAR, chi_tiet VARCHAR);
CREATE TABLE nhiem_vu(tt VARCHAR PRIMARY KEY, nhom VARCHAR, noi_dung VARCHAR NOT NULL, chu_tri VARCHAR, phoi_hop VARCHAR, san_pham VARCHAR, tham_quyen VARCHAR, thoi_han VARCHAR, han DATE, trang_thai VARCHAR DEFAULT('chua_thuc_hien') NOT NULL, ngay_hoan_thanh DATE, ghi_chu VARCHAR, cap_nhat_luc TIMESTAMP, cap_nhat_boi VARCHAR);
CREATE TABLE schema_migrations("version" INTEGER PRIMARY KEY, "name" VARCHAR NOT NULL, applied_at TIMESTAMP NOT NULL);
CREATE TABLE so_lieu_nhap_tay(id INTEGER PRIMARY KEY, indicator_id VARCHAR NOT NULL, commune VARCHAR NOT NULL, thang DATE NOT NULL, gia_tri DOUBLE, tu_so DOUBLE, mau_so DOUBLE, nguon VARCHAR NOT NULL, nguoi_nhap VARCHAR NOT NULL, thoi_diem TIMESTAMP NOT NULL, ghi_chu VARCHAR, phien_ban INTEGER NOT NULL, import_id INTEGER);
CREATE TABLE tai_khoan(ten_dang_nhap VARCHAR PRIMARY KEY, ho_ten VARCHAR NOT NULL, vai_tro VARCHAR NOT NULL, mat_khau_bam VARCHAR, tao_luc TIMESTAMP NOT NULL, tao_boi VARCHAR NOT NULL, hoat_dong BOOLEAN DEFAULT(true) NOT NULL);
INSERT INTO "data_version" VALUES (1, 0);
INSERT INTO "schema_migrations" VALUES (1, 'imports, case versions, current cases, aggregate reports', '2026-12-01 08:27:29.682613');
INSERT INTO "schema_migrations" VALUES (2, 'hand-entered figures with versions', '2026-12-01 08:27:29.684933');
INSERT INTO "schema_migrations" VALUES (3, 'hand-entered figures remember the import they came from (for undo)', '2026-12-01 08:27:29.686738');
INSERT INTO "schema_migrations" VALUES (4, 'the programme''s tasks with the 6 rõ', '2026-12-01 08:27:29.688524');
INSERT INTO "schema_migrations" VALUES (5, 'locked months and the audit trail', '2026-12-01 08:27:29.690318');
INSERT INTO "schema_migrations" VALUES (6, 'accounts with hashed passwords and roles; installation secrets', '2026-12-01 08:27:29.692168');
INSERT INTO "schema_migrations" VALUES (7, 'targets set by an admin, overriding the programme''s for a year (and a commune)', '2026-12-01 08:27:29.693683');
