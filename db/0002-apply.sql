-- Kernel trees registered with `pwb tree add`, and the results of
-- `pwb apply`: one row per run, one row per patch.

CREATE TABLE trees (
	id        INTEGER PRIMARY KEY,
	name      TEXT NOT NULL UNIQUE,
	path      TEXT NOT NULL UNIQUE,     -- absolute path of the repository
	added_at  INTEGER NOT NULL
);

CREATE TABLE applies (
	id          INTEGER PRIMARY KEY,
	series_id   INTEGER NOT NULL REFERENCES series(id) ON DELETE CASCADE,
	repo_path   TEXT NOT NULL,
	base        TEXT NOT NULL,          -- commit id
	base_rule   TEXT NOT NULL,          -- 'option' (--base) or 'base-commit'
	branch      TEXT,
	head        TEXT,                   -- last commit made, when all applied
	status      TEXT NOT NULL,          -- 'applied' or 'failed'
	reused_from INTEGER REFERENCES applies(id),
	created_at  INTEGER NOT NULL
);
CREATE INDEX applies_series ON applies(series_id, repo_path, base);

CREATE TABLE apply_patches (
	apply_id    INTEGER NOT NULL REFERENCES applies(id) ON DELETE CASCADE,
	idx         INTEGER NOT NULL,
	status      TEXT NOT NULL,          -- applied, failed, skipped
	strategy    TEXT,                   -- exact, offset, three-way
	offset      INTEGER,                -- largest hunk offset, in lines
	commit_id   TEXT,
	error       TEXT,
	PRIMARY KEY (apply_id, idx)
);
