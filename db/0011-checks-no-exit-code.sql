-- A check keeps its status and verdict; the exit status pwb check gives
-- for them is the command's to say (pwb report shows the same one), not
-- the database's.

ALTER TABLE checks DROP COLUMN exit_code;
