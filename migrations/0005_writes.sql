-- Writes: individual salary reports, pay from many observations, the audit
-- trail and idempotent imports.

-- Settings the database itself needs: how many individual reports make a
-- role's pay their median (kept equal to --min-reports at start-up), and
-- whether pay is maintained row by row (a bulk import switches that off
-- inside its transaction and recomputes the roles it touched at the end).
CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value INTEGER NOT NULL
);
INSERT INTO settings (key, value) VALUES ('min_reports', 5), ('pay_live', 1);

-- Salaries again, with the statistics an import brings: one person's
-- reported salary ('individual') and published percentiles. SQLite cannot
-- alter a CHECK, so the table is rebuilt; ids are kept.
CREATE TABLE salaries_new (
    id         INTEGER PRIMARY KEY,
    role_id    INTEGER REFERENCES roles (id) ON DELETE RESTRICT,
    subject    TEXT,
    amount_usd INTEGER NOT NULL CHECK (amount_usd > 0 AND amount_usd < 100000000),
    kind       TEXT NOT NULL CHECK (kind IN ('base', 'total')),
    statistic  TEXT NOT NULL CHECK (statistic IN ('average', 'median', 'minimum', 'maximum',
                                                  'individual', 'p25', 'p75')),
    bound      TEXT NOT NULL DEFAULT 'exact' CHECK (bound IN ('exact', 'at_least', 'below')),
    scope      TEXT,
    year       INTEGER CHECK (year IS NULL OR year BETWEEN 1900 AND 2100),
    source_id  INTEGER NOT NULL REFERENCES sources (id),
    section    TEXT NOT NULL,
    note       TEXT,
    CHECK (role_id IS NOT NULL OR subject IS NOT NULL)
);
INSERT INTO salaries_new SELECT id, role_id, subject, amount_usd, kind, statistic, bound,
    scope, year, source_id, section, note FROM salaries;
DROP TABLE salaries;
ALTER TABLE salaries_new RENAME TO salaries;
CREATE INDEX salaries_by_role ON salaries (role_id, kind, statistic, bound, amount_usd);
CREATE INDEX salaries_by_amount ON salaries (amount_usd, id);
CREATE INDEX salaries_by_source ON salaries (source_id);

-- How a role's pay is derived, and the spread of its individual reports.
ALTER TABLE roles ADD COLUMN pay_basis TEXT
    CHECK (pay_basis IS NULL OR pay_basis IN ('published_average', 'reported_median'));
ALTER TABLE roles ADD COLUMN pay_n INTEGER NOT NULL DEFAULT 0;  -- individual base reports
ALTER TABLE roles ADD COLUMN pay_p25 INTEGER;
ALTER TABLE roles ADD COLUMN pay_p50 INTEGER;
ALTER TABLE roles ADD COLUMN pay_p75 INTEGER;

-- The pay rule, in one place: the median of the individual base reports
-- when there are at least min_reports of them, else the mean of the exact
-- published average base salaries. Percentiles are nearest-rank; the
-- median averages the two middle reports of an even count.
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
        (SELECT CAST(round(avg(amount_usd)) AS INTEGER) FROM (
            SELECT amount_usd, row_number() OVER (ORDER BY amount_usd) AS rn FROM salaries s
            WHERE s.role_id = r.role_id AND s.kind = 'base' AND s.statistic = 'individual'
              AND s.bound = 'exact')
         WHERE rn IN ((r.n + 1) / 2, (r.n + 2) / 2)) AS p50,
        (SELECT amount_usd FROM (
            SELECT amount_usd, row_number() OVER (ORDER BY amount_usd) AS rn FROM salaries s
            WHERE s.role_id = r.role_id AND s.kind = 'base' AND s.statistic = 'individual'
              AND s.bound = 'exact')
         WHERE rn = (r.n * 25 + 99) / 100) AS p25,
        (SELECT amount_usd FROM (
            SELECT amount_usd, row_number() OVER (ORDER BY amount_usd) AS rn FROM salaries s
            WHERE s.role_id = r.role_id AND s.kind = 'base' AND s.statistic = 'individual'
              AND s.bound = 'exact')
         WHERE rn = (r.n * 75 + 99) / 100) AS p75,
        (SELECT CAST(round(avg(amount_usd)) AS INTEGER) FROM salaries s
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
CREATE TRIGGER salaries_pay_insert AFTER INSERT ON salaries
WHEN NEW.role_id IS NOT NULL AND (SELECT value FROM settings WHERE key = 'pay_live') = 1 BEGIN
    UPDATE roles SET (pay_usd, pay_basis, pay_n, pay_p25, pay_p50, pay_p75) =
        (SELECT pay_usd, pay_basis, pay_n, pay_p25, pay_p50, pay_p75 FROM role_pay
         WHERE role_pay.role_id = roles.id)
    WHERE id = NEW.role_id;
END;
CREATE TRIGGER salaries_pay_delete AFTER DELETE ON salaries
WHEN OLD.role_id IS NOT NULL AND (SELECT value FROM settings WHERE key = 'pay_live') = 1 BEGIN
    UPDATE roles SET (pay_usd, pay_basis, pay_n, pay_p25, pay_p50, pay_p75) =
        (SELECT pay_usd, pay_basis, pay_n, pay_p25, pay_p50, pay_p75 FROM role_pay
         WHERE role_pay.role_id = roles.id)
    WHERE id = OLD.role_id;
END;
CREATE TRIGGER salaries_pay_update AFTER UPDATE ON salaries
WHEN (SELECT value FROM settings WHERE key = 'pay_live') = 1 BEGIN
    UPDATE roles SET (pay_usd, pay_basis, pay_n, pay_p25, pay_p50, pay_p75) =
        (SELECT pay_usd, pay_basis, pay_n, pay_p25, pay_p50, pay_p75 FROM role_pay
         WHERE role_pay.role_id = roles.id)
    WHERE id IN (OLD.role_id, NEW.role_id);
END;

-- Bring every role to the rule once.
UPDATE roles SET (pay_usd, pay_basis, pay_n, pay_p25, pay_p50, pay_p75) =
    (SELECT pay_usd, pay_basis, pay_n, pay_p25, pay_p50, pay_p75 FROM role_pay
     WHERE role_pay.role_id = roles.id);

-- Every write: who (the token's id, never the token), what and when.
CREATE TABLE audit (
    id       INTEGER PRIMARY KEY,
    at       TEXT NOT NULL,         -- RFC 3339 UTC
    token_id TEXT NOT NULL,
    method   TEXT NOT NULL,
    route    TEXT NOT NULL,         -- the route pattern, e.g. /roles/{slug}
    target   TEXT NOT NULL,         -- the path written to
    before   TEXT,                  -- JSON summary of the resource before, NULL when created
    after    TEXT                   -- JSON summary after, NULL when deleted
);
CREATE INDEX audit_by_time ON audit (at, id);

-- Idempotent imports: the first answer for a key is replayed.
CREATE TABLE idempotency (
    key        TEXT PRIMARY KEY,
    request    TEXT NOT NULL,       -- a hash of method, path and body, to refuse key reuse
    status     INTEGER NOT NULL,
    body       TEXT NOT NULL,
    created_at TEXT NOT NULL
);
