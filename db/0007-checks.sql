-- pwb check: one row per check of a series, its builds (base and every
-- patch) and the suites compared.  The comparison itself is recomputed
-- from suite_runs / case_results / metric_samples when a report is made.

CREATE TABLE checks (
	id           INTEGER PRIMARY KEY,
	series_id    INTEGER REFERENCES series(id) ON DELETE SET NULL,
	source       TEXT NOT NULL,            -- as given on the command line
	repo_path    TEXT NOT NULL,
	config_name  TEXT NOT NULL,
	apply_id     INTEGER REFERENCES applies(id) ON DELETE SET NULL,
	base_commit  TEXT,
	tip_commit   TEXT,
	repeat       INTEGER NOT NULL,         -- --repeat, 0: each suite's own
	status       TEXT NOT NULL,            -- running, done, interrupted, error
	verdict      TEXT,                     -- no-regression, regression,
	                                       -- does-not-apply, does-not-build,
	                                       -- infra-error
	exit_code    INTEGER,
	pid          INTEGER,                  -- of the pwb running it
	started_at   INTEGER NOT NULL,
	finished_at  INTEGER
);

CREATE TABLE check_builds (
	check_id   INTEGER NOT NULL REFERENCES checks(id) ON DELETE CASCADE,
	idx        INTEGER NOT NULL,           -- 0 the base, N patch N
	commit_id  TEXT NOT NULL,
	build_id   INTEGER REFERENCES builds(id) ON DELETE SET NULL,
	status     TEXT NOT NULL,
	PRIMARY KEY (check_id, idx)
);

CREATE TABLE check_suites (
	check_id    INTEGER NOT NULL REFERENCES checks(id) ON DELETE CASCADE,
	suite       TEXT NOT NULL,
	suite_hash  TEXT NOT NULL,
	base_tree   TEXT NOT NULL,             -- git tree ids of the two sides
	cand_tree   TEXT NOT NULL,
	status      TEXT NOT NULL,             -- compared, infra-error
	error       TEXT,
	PRIMARY KEY (check_id, suite)
);
