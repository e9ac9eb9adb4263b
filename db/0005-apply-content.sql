-- What an apply was made from (patches, messages, trailers, authors), so
-- that a series whose trailers changed since is applied afresh, not reused.
ALTER TABLE applies ADD COLUMN content_hash TEXT;
