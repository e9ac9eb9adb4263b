-- Jobs (job.h): builds and suite boots that ran as jobs, locally or on a
-- cluster, and were imported from their bundles.  job_id makes an import
-- idempotent: a bundle whose job is here already adds nothing.

CREATE TABLE jobs (
	id          INTEGER PRIMARY KEY,
	job_id      TEXT NOT NULL UNIQUE,      -- from the job's spec
	kind        TEXT NOT NULL,             -- build, suite
	backend     TEXT NOT NULL,             -- local, slurm, import
	status      TEXT NOT NULL,             -- ok, failed, no-kernel,
	                                       -- infra-error
	exit_code   INTEGER,
	attempts    INTEGER NOT NULL DEFAULT 1,
	bundle      TEXT,                      -- directory imported from
	imported_at INTEGER NOT NULL
);
