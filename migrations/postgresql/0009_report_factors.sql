-- migrations/0009_report_factors.sql for PostgreSQL: the same columns in
-- the same order; the GLOB checks become regular expressions and
-- `bigint` replaces INTEGER (docs/postgresql.md).
--
-- The five factors that move pay, as optional dimensions of a salary
-- report (meant for individual reports; the published figures of the
-- seed documents carry none, and the seed states no figure per factor, so
-- every existing row keeps NULL). The checks repeat model/'s rules as a
-- last guard: a row that breaks them never reaches the table, whatever
-- path wrote it.
ALTER TABLE salaries ADD COLUMN location text COLLATE "C"
    CHECK (location IS NULL OR location ~ '^[A-Z]{2}(-[A-Z0-9]{1,3})?$');
ALTER TABLE salaries ADD COLUMN remote bigint CHECK (remote IS NULL OR remote IN (0, 1));
ALTER TABLE salaries ADD COLUMN experience_years bigint
    CHECK (experience_years IS NULL OR experience_years BETWEEN 0 AND 60);
ALTER TABLE salaries ADD COLUMN education text COLLATE "C"
    CHECK (education IS NULL OR education IN ('high_school', 'associate', 'bachelor', 'master', 'phd'));
ALTER TABLE salaries ADD COLUMN industry_id bigint REFERENCES industries (id) ON DELETE RESTRICT;
ALTER TABLE salaries ADD COLUMN company_stage text COLLATE "C"
    CHECK (company_stage IS NULL OR company_stage IN ('startup', 'growth', 'established'));
