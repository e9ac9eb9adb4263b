-- Threads fetched from lore (or read from an mbox), their messages, the
-- series assembled from them, their patches and the trailers collected
-- from replies.  Dates are Unix seconds (UTC) plus the sender's offset.

CREATE TABLE threads (
	id          INTEGER PRIMARY KEY,
	root_msgid  TEXT NOT NULL UNIQUE,
	source      TEXT NOT NULL,          -- URL fetched or file read
	lore_base   TEXT,                   -- archive base, for Link: trailers
	fetched_at  INTEGER NOT NULL,
	mbox_gz     BLOB NOT NULL           -- the thread as received, gzip
);

CREATE TABLE messages (
	id           INTEGER PRIMARY KEY,
	thread_id    INTEGER NOT NULL REFERENCES threads(id) ON DELETE CASCADE,
	msgid        TEXT NOT NULL UNIQUE,  -- without <>
	msgid_derived INTEGER NOT NULL DEFAULT 0, -- 1: made from content
	in_reply_to  TEXT,
	refs         TEXT,                  -- References, space separated
	parent_msgid TEXT,                  -- parent inside this thread
	from_name    TEXT,
	from_email   TEXT,
	date         INTEGER,
	date_tz      INTEGER,               -- offset east of UTC, minutes
	subject      TEXT NOT NULL,
	list_id      TEXT,
	headers      TEXT NOT NULL,
	body         TEXT NOT NULL,         -- decoded text, UTF-8
	raw_gz       BLOB NOT NULL          -- the message as received, gzip
);
CREATE INDEX messages_thread ON messages(thread_id);
CREATE INDEX messages_parent ON messages(parent_msgid);

CREATE TABLE series (
	id           INTEGER PRIMARY KEY,
	thread_id    INTEGER NOT NULL REFERENCES threads(id) ON DELETE CASCADE,
	msgid        TEXT NOT NULL UNIQUE,  -- cover letter, else patch 1
	version      INTEGER NOT NULL,
	subject      TEXT NOT NULL,         -- without [PATCH ...]
	prefixes     TEXT NOT NULL DEFAULT '', -- e.g. "RFC net-next"
	cover_msgid  TEXT,
	base_commit  TEXT,
	prerequisites TEXT,                 -- prerequisite-patch-id lines
	total        INTEGER NOT NULL,
	complete     INTEGER NOT NULL,
	date         INTEGER
);
CREATE INDEX series_thread ON series(thread_id);

CREATE TABLE patches (
	id           INTEGER PRIMARY KEY,
	series_id    INTEGER NOT NULL REFERENCES series(id) ON DELETE CASCADE,
	idx          INTEGER NOT NULL,
	msgid        TEXT NOT NULL,
	subject      TEXT NOT NULL,
	author_name  TEXT NOT NULL,
	author_email TEXT NOT NULL,
	date         INTEGER,
	date_tz      INTEGER,
	message      TEXT NOT NULL,         -- commit message
	diffstat     TEXT NOT NULL,         -- text between --- and the diff
	diff         TEXT NOT NULL,
	patch_id     TEXT NOT NULL,         -- git patch-id --stable
	UNIQUE (series_id, idx)
);

CREATE TABLE trailers (
	id           INTEGER PRIMARY KEY,
	patch_row    INTEGER NOT NULL REFERENCES patches(id) ON DELETE CASCADE,
	kind         TEXT NOT NULL,         -- Reviewed-by, Acked-by, ...
	person       TEXT NOT NULL,
	from_msgid   TEXT NOT NULL,
	UNIQUE (patch_row, kind, person)
);
