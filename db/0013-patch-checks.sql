-- The checks run on every patch of a checked series (src/patchcheck.h):
-- the tree's checkpatch.pl, Fixes: tags, sign-offs.  They inform; the
-- check's verdict is its builds' and suites'.
CREATE TABLE check_patch_checks (
	check_id  INTEGER NOT NULL REFERENCES checks(id) ON DELETE CASCADE,
	idx       INTEGER NOT NULL,          -- the patch, 1..N
	name      TEXT NOT NULL,             -- checkpatch, fixes, signoff
	status    TEXT NOT NULL,             -- pass, warn, fail, skip
	summary   TEXT NOT NULL,
	lines     TEXT,                      -- what it found, a line each
	PRIMARY KEY (check_id, idx, name)
);
