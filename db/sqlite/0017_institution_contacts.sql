-- An institution's contact for the enterprises it makes offers to (shown to them, to the bank itself, to admin and
-- the regulator), and a version for If-Match when the admin changes it.

ALTER TABLE institutions ADD COLUMN contact_person TEXT NULL;
ALTER TABLE institutions ADD COLUMN contact_phone TEXT NULL;
ALTER TABLE institutions ADD COLUMN contact_email TEXT NULL;
ALTER TABLE institutions ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
