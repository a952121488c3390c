-- tasks belong to a commune: nhiem_vu keyed by (commune, tt)
    -- the same TT («1.1») is a different task in each commune's own programme
    CREATE TABLE nhiem_vu_theo_xa (
        commune VARCHAR NOT NULL,
        tt VARCHAR NOT NULL,
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
        cap_nhat_boi VARCHAR,
        nguon VARCHAR,
        thuong_xuyen BOOLEAN DEFAULT FALSE,
        PRIMARY KEY (commune, tt)
    );
    -- the tasks kept so far were the installation's: its commune (set by an admin), else
    -- the one real commune with data, else the commune whose programme they came from;
    -- the text "nan" an unchanged save used to write is no text at all
    INSERT INTO nhiem_vu_theo_xa
    SELECT COALESCE(
               (SELECT gia_tri FROM cau_hinh WHERE khoa = 'xa_cai_dat' AND gia_tri <> ''),
               (SELECT min(c) FROM (
                    SELECT commune AS c FROM imports WHERE undone_at IS NULL
                    UNION SELECT commune FROM so_lieu_nhap_tay) AS real_communes
                WHERE c <> 'Xã Mẫu' HAVING count(DISTINCT c) = 1),
               'Xã Diễn Châu'),
           tt, nhom, noi_dung, chu_tri,
           CASE WHEN lower(trim(phoi_hop)) IN ('nan', 'none', '') THEN NULL ELSE phoi_hop END,
           CASE WHEN lower(trim(san_pham)) IN ('nan', 'none', '') THEN NULL ELSE san_pham END,
           CASE WHEN lower(trim(tham_quyen)) IN ('nan', 'none', '') THEN NULL
                ELSE tham_quyen END,
           thoi_han, han, trang_thai, ngay_hoan_thanh,
           CASE WHEN lower(trim(ghi_chu)) IN ('nan', 'none', '') THEN NULL ELSE ghi_chu END,
           cap_nhat_luc, cap_nhat_boi, nguon, thuong_xuyen
    FROM nhiem_vu;
    DROP TABLE nhiem_vu;
    ALTER TABLE nhiem_vu_theo_xa RENAME TO nhiem_vu;
