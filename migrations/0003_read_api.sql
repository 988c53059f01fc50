-- What the read API needs beyond the base schema: full-text search over
-- roles, which industries hire for which roles, and indexes for every filter.

-- External-content FTS5 index over roles: the text lives once, in roles;
-- the triggers keep the index in step with every write.
CREATE VIRTUAL TABLE roles_fts USING fts5(
    title, summary,
    content = 'roles', content_rowid = 'id',
    tokenize = 'porter unicode61 remove_diacritics 2'
);
INSERT INTO roles_fts (rowid, title, summary) SELECT id, title, summary FROM roles;

CREATE TRIGGER roles_fts_insert AFTER INSERT ON roles BEGIN
    INSERT INTO roles_fts (rowid, title, summary) VALUES (NEW.id, NEW.title, NEW.summary);
END;
CREATE TRIGGER roles_fts_delete AFTER DELETE ON roles BEGIN
    INSERT INTO roles_fts (roles_fts, rowid, title, summary)
    VALUES ('delete', OLD.id, OLD.title, OLD.summary);
END;
CREATE TRIGGER roles_fts_update AFTER UPDATE OF title, summary ON roles BEGIN
    INSERT INTO roles_fts (roles_fts, rowid, title, summary)
    VALUES ('delete', OLD.id, OLD.title, OLD.summary);
    INSERT INTO roles_fts (rowid, title, summary) VALUES (NEW.id, NEW.title, NEW.summary);
END;

-- Industries a source names as hiring for a role.
CREATE TABLE role_industries (
    role_id     INTEGER NOT NULL REFERENCES roles (id) ON DELETE CASCADE,
    industry_id INTEGER NOT NULL REFERENCES industries (id) ON DELETE CASCADE,
    source_id   INTEGER NOT NULL REFERENCES sources (id),
    section     TEXT NOT NULL,
    PRIMARY KEY (role_id, industry_id)
);
CREATE INDEX role_industries_by_industry ON role_industries (industry_id, role_id);

CREATE INDEX roles_by_category ON roles (category, pay_usd);
CREATE INDEX salaries_by_amount ON salaries (amount_usd, id);
CREATE INDEX salaries_by_source ON salaries (source_id);
CREATE INDEX role_mentions_by_source ON role_mentions (source_id);
CREATE INDEX skill_shares_by_skill ON skill_shares (skill_id);
