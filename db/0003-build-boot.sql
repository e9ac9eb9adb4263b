-- Kernel builds, boots in QEMU and what triage found on their consoles.

CREATE TABLE builds (
	id            INTEGER PRIMARY KEY,
	repo_path     TEXT NOT NULL,
	rev           TEXT NOT NULL,         -- as given
	commit_id     TEXT,
	tree_id       TEXT NOT NULL,
	config_name   TEXT NOT NULL,
	config_hash   TEXT,                  -- of the final .config
	toolchain     TEXT,                  -- "gcc (Debian 12.2.0-14) 12.2.0"
	cache_key     TEXT,                  -- tree + config + toolchain
	status        TEXT NOT NULL,         -- ok, failed, config-error, timeout,
	                                     -- interrupted, infra-error
	error         TEXT,                  -- first error lines, or why
	seconds       REAL,
	vmlinux_size  INTEGER,
	bzimage_size  INTEGER,
	warnings      INTEGER NOT NULL DEFAULT 0,
	new_warnings  INTEGER NOT NULL DEFAULT 0,
	artifacts     TEXT,                  -- directory holding bzImage
	cached_from   INTEGER REFERENCES builds(id),
	log_gz        BLOB,
	started_at    INTEGER NOT NULL
);
CREATE INDEX builds_key ON builds(cache_key, status);

CREATE TABLE build_warnings (
	build_id  INTEGER NOT NULL REFERENCES builds(id) ON DELETE CASCADE,
	file      TEXT NOT NULL,
	line      INTEGER,
	message   TEXT NOT NULL,
	new       INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX build_warnings_build ON build_warnings(build_id);

CREATE TABLE boots (
	id            INTEGER PRIMARY KEY,
	build_id      INTEGER REFERENCES builds(id) ON DELETE SET NULL,
	kernel        TEXT NOT NULL,         -- image booted
	qemu_version  TEXT,
	accel         TEXT,                  -- kvm or tcg
	mem_mb        INTEGER,
	cpus          INTEGER,
	cmdline       TEXT,
	status        TEXT NOT NULL,         -- ok, kernel-failure, timeout,
	                                     -- infra-error, interrupted
	end_status    INTEGER,               -- /init's command status
	error         TEXT,
	seconds       REAL,
	console_gz    BLOB,
	started_at    INTEGER NOT NULL
);

CREATE TABLE findings (
	id          INTEGER PRIMARY KEY,
	boot_id     INTEGER NOT NULL REFERENCES boots(id) ON DELETE CASCADE,
	kind        TEXT NOT NULL,
	title       TEXT NOT NULL,
	failure     INTEGER NOT NULL,        -- counts as a kernel failure
	lines       TEXT,
	first_line  INTEGER
);
CREATE INDEX findings_boot ON findings(boot_id);
