-- How a series' base was chosen (src/base.h): one line, e.g. "guessed from
-- 3 of 3 pre-image blobs (the series has no base-commit)"; base_rule gains
-- 'fallback', 'guessed' and 'head'.  A check that could not start its work
-- says why (checks.error: "no base: ..."), so that `pwb report` shows it
-- and no report calls it a verdict about the series.
ALTER TABLE applies ADD COLUMN base_why TEXT;
ALTER TABLE checks ADD COLUMN error TEXT;
