-- Writes (migrations/0005_writes.sql): individual salary reports, pay from
-- many observations, the audit trail and idempotent imports.

-- Settings the database itself needs: how many individual reports make a
-- role's pay their median (kept equal to --min-reports at start-up), and
-- whether pay is maintained row by row (a bulk import switches that off
-- inside its transaction and recomputes the roles it touched at the end).
CREATE TABLE settings (
    key   text COLLATE "C" PRIMARY KEY,
    value bigint NOT NULL
);
INSERT INTO settings (key, value) VALUES ('min_reports', 5), ('pay_live', 1);

-- Salaries again, with the statistics an import brings: one person's
-- reported salary ('individual') and published percentiles. SQLite
-- rebuilds the table to change a CHECK; PostgreSQL replaces the
-- constraint in place, which keeps the rows, ids and indexes as they are.
ALTER TABLE salaries DROP CONSTRAINT salaries_statistic_check,
    ADD CONSTRAINT salaries_statistic_check
    CHECK (statistic IN ('average', 'median', 'minimum', 'maximum',
                         'individual', 'p25', 'p75'));
-- Dropping the old table dropped its triggers in SQLite; here they go by name.
DROP TRIGGER salaries_pay_insert ON salaries;
DROP TRIGGER salaries_pay_delete ON salaries;
DROP TRIGGER salaries_pay_update ON salaries;
DROP FUNCTION salaries_pay_0001();

-- How a role's pay is derived, and the spread of its individual reports.
ALTER TABLE roles ADD COLUMN pay_basis text COLLATE "C"
    CHECK (pay_basis IS NULL OR pay_basis IN ('published_average', 'reported_median'));
ALTER TABLE roles ADD COLUMN pay_n bigint NOT NULL DEFAULT 0;  -- individual base reports
ALTER TABLE roles ADD COLUMN pay_p25 bigint;
ALTER TABLE roles ADD COLUMN pay_p50 bigint;
ALTER TABLE roles ADD COLUMN pay_p75 bigint;

-- The pay rule, in one place: the median of the individual base reports
-- when there are at least min_reports of them, else the mean of the exact
-- published average base salaries. Percentiles are nearest-rank; the
-- median averages the two middle reports of an even count. count(*) is a
-- bigint, so the divisions below truncate as SQLite's integer divisions
-- do, and round() of the numeric avg() rounds halves away from zero.
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
            SELECT amount_usd, row_number() OVER (ORDER BY amount_usd) AS rn FROM salaries s
            WHERE s.role_id = r.role_id AND s.kind = 'base' AND s.statistic = 'individual'
              AND s.bound = 'exact') AS ranked
         WHERE rn IN ((r.n + 1) / 2, (r.n + 2) / 2)) AS p50,
        (SELECT amount_usd FROM (
            SELECT amount_usd, row_number() OVER (ORDER BY amount_usd) AS rn FROM salaries s
            WHERE s.role_id = r.role_id AND s.kind = 'base' AND s.statistic = 'individual'
              AND s.bound = 'exact') AS ranked
         WHERE rn = (r.n * 25 + 99) / 100) AS p25,
        (SELECT amount_usd FROM (
            SELECT amount_usd, row_number() OVER (ORDER BY amount_usd) AS rn FROM salaries s
            WHERE s.role_id = r.role_id AND s.kind = 'base' AND s.statistic = 'individual'
              AND s.bound = 'exact') AS ranked
         WHERE rn = (r.n * 75 + 99) / 100) AS p75,
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

-- Row-by-row maintenance for ordinary writes; a bulk import turns it off
-- (pay_live = 0) and recomputes the roles it touched before committing.
-- A trigger's WHEN cannot read a table, so the pay_live test is in the body.
CREATE FUNCTION salaries_pay_live() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    touched bigint[];
BEGIN
    IF (SELECT value FROM settings WHERE key = 'pay_live') IS DISTINCT FROM 1 THEN
        RETURN NULL;
    END IF;
    IF TG_OP = 'INSERT' THEN
        touched := ARRAY[NEW.role_id];
    ELSIF TG_OP = 'DELETE' THEN
        touched := ARRAY[OLD.role_id];
    ELSE
        touched := ARRAY[OLD.role_id, NEW.role_id];
    END IF;
    UPDATE roles SET (pay_usd, pay_basis, pay_n, pay_p25, pay_p50, pay_p75) =
        (SELECT pay_usd, pay_basis, pay_n, pay_p25, pay_p50, pay_p75 FROM role_pay
         WHERE role_pay.role_id = roles.id)
    WHERE id = ANY (touched);
    RETURN NULL;
END;
$$;
CREATE TRIGGER salaries_pay_insert AFTER INSERT ON salaries
    FOR EACH ROW WHEN (NEW.role_id IS NOT NULL) EXECUTE FUNCTION salaries_pay_live();
CREATE TRIGGER salaries_pay_delete AFTER DELETE ON salaries
    FOR EACH ROW WHEN (OLD.role_id IS NOT NULL) EXECUTE FUNCTION salaries_pay_live();
CREATE TRIGGER salaries_pay_update AFTER UPDATE ON salaries
    FOR EACH ROW EXECUTE FUNCTION salaries_pay_live();

-- Bring every role to the rule once.
UPDATE roles SET (pay_usd, pay_basis, pay_n, pay_p25, pay_p50, pay_p75) =
    (SELECT pay_usd, pay_basis, pay_n, pay_p25, pay_p50, pay_p75 FROM role_pay
     WHERE role_pay.role_id = roles.id);

-- Every write: who (the token's id, never the token), what and when.
-- Times stay RFC 3339 text written by techpayd, so that both engines hold
-- and return the same bytes.
CREATE TABLE audit (
    id       bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    at       text COLLATE "C" NOT NULL,         -- RFC 3339 UTC
    token_id text COLLATE "C" NOT NULL,
    method   text COLLATE "C" NOT NULL,
    route    text COLLATE "C" NOT NULL,         -- the route pattern, e.g. /roles/{slug}
    target   text COLLATE "C" NOT NULL,         -- the path written to
    before   text COLLATE "C",                  -- JSON summary of the resource before, NULL when created
    after    text COLLATE "C"                   -- JSON summary after, NULL when deleted
);
CREATE INDEX audit_by_time ON audit (at, id);

-- Idempotent imports: the first answer for a key is replayed.
CREATE TABLE idempotency (
    key        text COLLATE "C" PRIMARY KEY,
    request    text COLLATE "C" NOT NULL,       -- a hash of method, path and body, to refuse key reuse
    status     bigint NOT NULL,
    body       text COLLATE "C" NOT NULL,
    created_at text COLLATE "C" NOT NULL
);
