-- migrations/0007_ranking_indexes.sql for PostgreSQL: the same statements.
--
-- The highest total-pay figure of a role (GET /roles total_pay, sort=total_pay,
-- /compare) is read with ORDER BY amount_usd DESC LIMIT 1 over the role's
-- 'total' rows. salaries_by_role puts statistic and bound before the
-- amount, so that read sorted every total figure of the role: tens of
-- thousands for a popular role after a bulk import, 0.1 s for a ranking of
-- 10,000 roles. This index holds only the 'total' rows, in the order read,
-- so each lookup is one seek.
CREATE INDEX salaries_total_by_role ON salaries (role_id, amount_usd DESC, id)
    WHERE kind = 'total';

-- A role's rank by pay (/compare) is one more than the number of roles
-- paid more: a count over this index rather than a ranking of all roles.
CREATE INDEX roles_by_pay_usd ON roles (pay_usd);
