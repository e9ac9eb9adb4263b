-- Suite runs (one per boot) and their cases.

CREATE TABLE suite_runs (
	id          INTEGER PRIMARY KEY,
	suite       TEXT NOT NULL,
	suite_hash  TEXT NOT NULL,           -- of the suite's files
	build_id    INTEGER REFERENCES builds(id) ON DELETE SET NULL,
	boot_id     INTEGER REFERENCES boots(id) ON DELETE SET NULL,
	repeat_idx  INTEGER NOT NULL,
	status      TEXT NOT NULL,           -- passed, failed, infra-error,
	                                     -- kernel-failure, interrupted
	error       TEXT,
	started_at  INTEGER NOT NULL
);

CREATE TABLE case_results (
	run_id    INTEGER NOT NULL REFERENCES suite_runs(id) ON DELETE CASCADE,
	name      TEXT NOT NULL,
	status    TEXT NOT NULL,             -- pass, fail, skip, todo, crashed
	directive TEXT,
	diag      TEXT,
	PRIMARY KEY (run_id, name)
);
