-- GET /pay, /pay/standing and /factors/{slug} read the individual exact
-- base reports of a role (or of every role) with their factors. Through
-- salaries_by_role each of them is a lookup of its table row: at a million
-- reports, about 0.3 s of CPU for a role of 219,000. This index holds only
-- those reports, by role and amount, with every factor, so a read is one
-- range of the index and no row lookup (22 ms for the same role), and a
-- read of every role is a scan of it.
CREATE INDEX salaries_pay ON salaries (role_id, amount_usd, location, remote, experience_years,
    education, industry_id, company_stage, year)
    WHERE kind = 'base' AND statistic = 'individual' AND bound = 'exact';
