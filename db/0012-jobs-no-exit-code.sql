-- A job keeps its status (ok, failed, no-kernel, infra-error); the exit
-- status `pwb job run` gives is the command's, not the database's.

ALTER TABLE jobs DROP COLUMN exit_code;
