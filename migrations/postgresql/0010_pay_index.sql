-- migrations/0010_pay_index.sql for PostgreSQL: the same partial index.
--
-- GET /pay, /pay/standing and /factors/{slug} read the individual exact
-- base reports of a role (or of every role) with their factors. This index
-- holds only those reports, by role and amount, with every factor, so a
-- read is one range of the index (an index-only scan once the table is
-- vacuumed), and a read of every role is a scan of it.
CREATE INDEX salaries_pay ON salaries (role_id, amount_usd, location, remote, experience_years,
    education, industry_id, company_stage, year)
    WHERE kind = 'base' AND statistic = 'individual' AND bound = 'exact';
