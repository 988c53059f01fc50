-- What the read API needs beyond the base schema (migrations/0003_read_api.sql):
-- full-text search over roles, which industries hire for which roles, and
-- indexes for every filter.

-- SQLite's FTS5 table roles_fts (tokenizer porter unicode61) becomes a GIN
-- index over a tsvector computed from the row itself: the text lives once,
-- in roles, and no trigger is needed to keep the index in step.
-- The configuration stems English words like porter but, unlike the
-- built-in 'english', drops no stop words: FTS5 indexes every word, and a
-- prefix query such as "the*" or "a*" must find what it finds there.
CREATE TEXT SEARCH DICTIONARY techpay_stem (TEMPLATE = snowball, LANGUAGE = english);
CREATE TEXT SEARCH CONFIGURATION techpay_search (COPY = simple);
ALTER TEXT SEARCH CONFIGURATION techpay_search
    ALTER MAPPING FOR asciiword, asciihword, hword_asciipart, word, hword, hword_part
    WITH techpay_stem;

-- The searchable document of a role: the title weighted A and the summary
-- B, so that a query can tell the two columns apart as FTS5's can. The
-- body is parsed once, here, so the configuration is bound by identity and
-- not looked up through search_path at query time.
CREATE FUNCTION roles_search_document(title text, summary text) RETURNS tsvector
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN setweight(to_tsvector('techpay_search', title), 'A')
        || setweight(to_tsvector('techpay_search', summary), 'B');
CREATE INDEX roles_fts ON roles USING gin (roles_search_document(title, summary));

-- Industries a source names as hiring for a role.
CREATE TABLE role_industries (
    role_id     bigint NOT NULL REFERENCES roles (id) ON DELETE CASCADE,
    industry_id bigint NOT NULL REFERENCES industries (id) ON DELETE CASCADE,
    source_id   bigint NOT NULL REFERENCES sources (id),
    section     text COLLATE "C" NOT NULL,
    PRIMARY KEY (role_id, industry_id)
);
CREATE INDEX role_industries_by_industry ON role_industries (industry_id, role_id);

CREATE INDEX roles_by_category ON roles (category, pay_usd);
CREATE INDEX salaries_by_amount ON salaries (amount_usd, id);
CREATE INDEX salaries_by_source ON salaries (source_id);
CREATE INDEX role_mentions_by_source ON role_mentions (source_id);
CREATE INDEX skill_shares_by_skill ON skill_shares (skill_id);
