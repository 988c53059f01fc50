-- migrations/0006_role_pay_linear.sql for PostgreSQL: the same view, with
-- the aliases PostgreSQL requires on subqueries in FROM and bigint casts.
--
-- The pay rule of 0005, unchanged, computed in time linear in a role's
-- reports. The first form numbered every report with row_number() and
-- compared each number with the report count, a correlated subquery that
-- was evaluated again for every report: quadratic, seconds for a few
-- thousand reports of one role and hours after a bulk import. Here each
-- ranking counts its own rows (count(*) OVER ()) in the same pass. Same
-- rules: nearest-rank percentiles, the median the mean of the two middle
-- reports of an even count.
DROP VIEW role_pay;
CREATE VIEW role_pay AS
WITH r AS (
    SELECT roles.id AS role_id,
        (SELECT count(*) FROM salaries s WHERE s.role_id = roles.id AND s.kind = 'base'
            AND s.statistic = 'individual' AND s.bound = 'exact') AS n,
        (SELECT value FROM settings WHERE key = 'min_reports') AS min_n
    FROM roles
),
q AS (
    SELECT r.role_id, r.n, r.min_n,
        (SELECT CAST(round(avg(amount_usd)) AS bigint) FROM (
            SELECT amount_usd, row_number() OVER (ORDER BY amount_usd) AS rn,
                count(*) OVER () AS c FROM salaries s
            WHERE s.role_id = r.role_id AND s.kind = 'base' AND s.statistic = 'individual'
              AND s.bound = 'exact') AS ranked
         WHERE rn IN ((c + 1) / 2, (c + 2) / 2)) AS p50,
        (SELECT amount_usd FROM (
            SELECT amount_usd, row_number() OVER (ORDER BY amount_usd) AS rn,
                count(*) OVER () AS c FROM salaries s
            WHERE s.role_id = r.role_id AND s.kind = 'base' AND s.statistic = 'individual'
              AND s.bound = 'exact') AS ranked
         WHERE rn = (c * 25 + 99) / 100) AS p25,
        (SELECT amount_usd FROM (
            SELECT amount_usd, row_number() OVER (ORDER BY amount_usd) AS rn,
                count(*) OVER () AS c FROM salaries s
            WHERE s.role_id = r.role_id AND s.kind = 'base' AND s.statistic = 'individual'
              AND s.bound = 'exact') AS ranked
         WHERE rn = (c * 75 + 99) / 100) AS p75,
        (SELECT CAST(round(avg(amount_usd)) AS bigint) FROM salaries s
            WHERE s.role_id = r.role_id AND s.kind = 'base' AND s.statistic = 'average'
            AND s.bound = 'exact') AS published
    FROM r
)
SELECT role_id,
    CASE WHEN n > 0 AND n >= min_n THEN p50 ELSE published END AS pay_usd,
    CASE WHEN n > 0 AND n >= min_n THEN 'reported_median'
         WHEN published IS NOT NULL THEN 'published_average' END AS pay_basis,
    n AS pay_n,
    CASE WHEN n > 0 AND n >= min_n THEN p25 END AS pay_p25,
    CASE WHEN n > 0 AND n >= min_n THEN p50 END AS pay_p50,
    CASE WHEN n > 0 AND n >= min_n THEN p75 END AS pay_p75
FROM q;
