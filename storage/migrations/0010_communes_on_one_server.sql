-- a province on one server: communes grouped as data, accounts tied to a commune
-- NULL: the account sees every commune (the province); else only this one
ALTER TABLE tai_khoan ADD COLUMN xa VARCHAR;
-- which province and cluster (former district) a commune belongs to
CREATE TABLE dia_ban (
    xa VARCHAR PRIMARY KEY,
    tinh VARCHAR NOT NULL,
    cum VARCHAR
);
