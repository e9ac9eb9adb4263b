-- Benchmark samples: one row per metric per suite run (one boot).

CREATE TABLE metric_samples (
	run_id  INTEGER NOT NULL REFERENCES suite_runs(id) ON DELETE CASCADE,
	name    TEXT NOT NULL,               -- e.g. hog_ms/subs=2
	value   REAL NOT NULL,
	unit    TEXT NOT NULL,
	PRIMARY KEY (run_id, name)
);

