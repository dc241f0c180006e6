-- An institution's contact for the enterprises it makes offers to (shown to them, to the bank itself, to admin and
-- the regulator), and a version for If-Match when the admin changes it.

ALTER TABLE institutions ADD
    contact_person NVARCHAR(100) NULL,
    contact_phone  NVARCHAR(40)  NULL,
    contact_email  NVARCHAR(254) NULL,
    version        BIGINT        NOT NULL CONSTRAINT df_institutions_version DEFAULT 1;
