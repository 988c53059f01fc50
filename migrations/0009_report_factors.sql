-- The five factors that move pay, as optional dimensions of a salary
-- report (meant for individual reports; the published figures of the
-- seed documents carry none, and the seed states no figure per factor, so
-- every existing row keeps NULL). The checks repeat model/'s rules as a
-- last guard: a row that breaks them never reaches the table, whatever
-- path wrote it.
--   location          ISO 3166-1 alpha-2 country, optionally with its
--                     ISO 3166-2 subdivision: 'GB', 'US-WA', 'DE-BE'
--   remote            0 or 1
--   experience_years  whole years, 0-60
--   education         high_school, associate, bachelor, master, phd
--   industry_id       an industry of /industries
--   company_stage     startup, growth, established
ALTER TABLE salaries ADD COLUMN location TEXT
    CHECK (location IS NULL OR (length(location) BETWEEN 2 AND 6
           AND substr(location, 1, 2) NOT GLOB '*[^A-Z]*'
           AND (length(location) = 2 OR (substr(location, 3, 1) = '-' AND length(location) >= 4
                AND substr(location, 4) NOT GLOB '*[^A-Z0-9]*'))));
ALTER TABLE salaries ADD COLUMN remote INTEGER CHECK (remote IS NULL OR remote IN (0, 1));
ALTER TABLE salaries ADD COLUMN experience_years INTEGER
    CHECK (experience_years IS NULL OR experience_years BETWEEN 0 AND 60);
ALTER TABLE salaries ADD COLUMN education TEXT
    CHECK (education IS NULL OR education IN ('high_school', 'associate', 'bachelor', 'master', 'phd'));
ALTER TABLE salaries ADD COLUMN industry_id INTEGER REFERENCES industries (id) ON DELETE RESTRICT;
ALTER TABLE salaries ADD COLUMN company_stage TEXT
    CHECK (company_stage IS NULL OR company_stage IN ('startup', 'growth', 'established'));
