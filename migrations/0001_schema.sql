-- The data model. Every fact carries its provenance: the source document
-- and the section of it that states the fact.

CREATE TABLE sources (
    id       INTEGER PRIMARY KEY,
    slug     TEXT NOT NULL UNIQUE,
    title    TEXT NOT NULL,
    kind     TEXT NOT NULL CHECK (kind IN ('overview', 'article', 'survey', 'dataset')),
    year     INTEGER CHECK (year IS NULL OR year BETWEEN 1900 AND 2100),
    origin   TEXT NOT NULL,          -- where the document came from (file name, URL)
    summary  TEXT NOT NULL
);

CREATE TABLE roles (
    id        INTEGER PRIMARY KEY,
    slug      TEXT NOT NULL UNIQUE
              CHECK (length(slug) BETWEEN 1 AND 80
                     AND slug NOT GLOB '*[^a-z0-9-]*'
                     AND slug NOT GLOB '-*' AND slug NOT GLOB '*-'),
    title     TEXT NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
    category  TEXT NOT NULL CHECK (length(category) BETWEEN 1 AND 80),
    summary   TEXT NOT NULL,
    -- Representative annual base pay in whole USD: the rounded mean of the
    -- role's exact average-base observations, kept current by the triggers
    -- below so that a ranking never aggregates salaries at read time.
    pay_usd   INTEGER CHECK (pay_usd IS NULL OR pay_usd > 0)
);
CREATE INDEX roles_by_pay ON roles (pay_usd IS NULL, pay_usd, slug);
CREATE INDEX roles_by_title ON roles (title COLLATE NOCASE, slug);

-- Which documents describe a role, and where.
CREATE TABLE role_mentions (
    role_id   INTEGER NOT NULL REFERENCES roles (id) ON DELETE CASCADE,
    source_id INTEGER NOT NULL REFERENCES sources (id),
    section   TEXT NOT NULL,
    PRIMARY KEY (role_id, source_id, section)
);

-- A salary figure as the source states it. role_id is NULL for figures about
-- people outside the data set's roles (e.g. a comparison group), which then
-- name their subject.
CREATE TABLE salaries (
    id         INTEGER PRIMARY KEY,
    role_id    INTEGER REFERENCES roles (id) ON DELETE RESTRICT,
    subject    TEXT,
    amount_usd INTEGER NOT NULL CHECK (amount_usd > 0 AND amount_usd < 100000000),
    kind       TEXT NOT NULL CHECK (kind IN ('base', 'total')),
    statistic  TEXT NOT NULL CHECK (statistic IN ('average', 'median', 'minimum', 'maximum')),
    -- 'exact': the figure is the statistic; 'at_least' ("$250,000+") and
    -- 'below' ("less than $100k") are bounds, never used as a point value.
    bound      TEXT NOT NULL DEFAULT 'exact' CHECK (bound IN ('exact', 'at_least', 'below')),
    scope      TEXT,                 -- e.g. seniority or employer tier, as stated
    year       INTEGER CHECK (year IS NULL OR year BETWEEN 1900 AND 2100),
    source_id  INTEGER NOT NULL REFERENCES sources (id),
    section    TEXT NOT NULL,
    note       TEXT,
    CHECK (role_id IS NOT NULL OR subject IS NOT NULL)
);
CREATE INDEX salaries_by_role ON salaries (role_id, kind, statistic, bound, amount_usd);

CREATE TRIGGER salaries_pay_insert AFTER INSERT ON salaries
WHEN NEW.role_id IS NOT NULL BEGIN
    UPDATE roles SET pay_usd = (
        SELECT CAST(round(avg(amount_usd)) AS INTEGER) FROM salaries
        WHERE role_id = NEW.role_id AND kind = 'base'
          AND statistic = 'average' AND bound = 'exact')
    WHERE id = NEW.role_id;
END;
CREATE TRIGGER salaries_pay_delete AFTER DELETE ON salaries
WHEN OLD.role_id IS NOT NULL BEGIN
    UPDATE roles SET pay_usd = (
        SELECT CAST(round(avg(amount_usd)) AS INTEGER) FROM salaries
        WHERE role_id = OLD.role_id AND kind = 'base'
          AND statistic = 'average' AND bound = 'exact')
    WHERE id = OLD.role_id;
END;
CREATE TRIGGER salaries_pay_update AFTER UPDATE ON salaries BEGIN
    UPDATE roles SET pay_usd = (
        SELECT CAST(round(avg(amount_usd)) AS INTEGER) FROM salaries
        WHERE role_id = roles.id AND kind = 'base'
          AND statistic = 'average' AND bound = 'exact')
    WHERE id IN (OLD.role_id, NEW.role_id);
END;

CREATE TABLE skills (
    id          INTEGER PRIMARY KEY,
    slug        TEXT NOT NULL UNIQUE
                CHECK (length(slug) BETWEEN 1 AND 80 AND slug NOT GLOB '*[^a-z0-9-]*'),
    name        TEXT NOT NULL,
    -- Position in the source's ranked demand list, exactly as published;
    -- NULL for skills the list does not rank.
    demand_rank INTEGER UNIQUE CHECK (demand_rank IS NULL OR demand_rank > 0),
    source_id   INTEGER REFERENCES sources (id),
    section     TEXT
);

-- A stated share about a skill: 'listing_share' is the percentage of job
-- listings naming it, 'usage_share' its share of use among practitioners.
CREATE TABLE skill_shares (
    id        INTEGER PRIMARY KEY,
    skill_id  INTEGER NOT NULL REFERENCES skills (id) ON DELETE CASCADE,
    metric    TEXT NOT NULL CHECK (metric IN ('listing_share', 'usage_share')),
    percent   REAL NOT NULL CHECK (percent >= 0 AND percent <= 100),
    qualifier TEXT NOT NULL DEFAULT 'exact' CHECK (qualifier IN ('exact', 'nearly', 'about', 'over')),
    scope     TEXT,
    source_id INTEGER NOT NULL REFERENCES sources (id),
    section   TEXT NOT NULL
);

CREATE TABLE role_skills (
    role_id   INTEGER NOT NULL REFERENCES roles (id) ON DELETE CASCADE,
    skill_id  INTEGER NOT NULL REFERENCES skills (id) ON DELETE CASCADE,
    source_id INTEGER NOT NULL REFERENCES sources (id),
    section   TEXT NOT NULL,
    PRIMARY KEY (role_id, skill_id)
);
CREATE INDEX role_skills_by_skill ON role_skills (skill_id, role_id);

CREATE TABLE industries (
    id        INTEGER PRIMARY KEY,
    slug      TEXT NOT NULL UNIQUE,
    name      TEXT NOT NULL,
    rank      INTEGER UNIQUE CHECK (rank IS NULL OR rank > 0),
    note      TEXT,
    source_id INTEGER NOT NULL REFERENCES sources (id),
    section   TEXT NOT NULL
);

CREATE TABLE factors (
    id        INTEGER PRIMARY KEY,
    slug      TEXT NOT NULL UNIQUE,
    name      TEXT NOT NULL,
    rank      INTEGER UNIQUE CHECK (rank IS NULL OR rank > 0),
    effect    TEXT,                  -- how the source says it moves pay
    source_id INTEGER NOT NULL REFERENCES sources (id),
    section   TEXT NOT NULL
);

-- Figures a source states that are neither salaries nor skill shares
-- (e.g. a forecast of jobs created).
CREATE TABLE facts (
    id        INTEGER PRIMARY KEY,
    subject   TEXT NOT NULL,
    statement TEXT NOT NULL,
    value     REAL,
    unit      TEXT,
    year      INTEGER,
    source_id INTEGER NOT NULL REFERENCES sources (id),
    section   TEXT NOT NULL
);

-- Every defect found in a source, and what was done about it.
CREATE TABLE data_notes (
    id        INTEGER PRIMARY KEY,
    source_id INTEGER NOT NULL REFERENCES sources (id),
    section   TEXT NOT NULL,
    defect    TEXT NOT NULL CHECK (defect IN ('malformed_figure', 'missing_rank',
                                   'missing_text', 'inconsistent_name', 'ambiguous_figure', 'other')),
    found     TEXT NOT NULL,         -- what is wrong, described (not quoted at length)
    action    TEXT NOT NULL          -- what the data set does about it
);
