-- Which tests a run ran, when they are not pwb's own (bench/suites/) but
-- the tree's: a kselftest suite builds tools/testing/selftests/DIR of the
-- commit it boots, so each side runs its own tree's version of the tests.
-- "tools/testing/selftests/mm at COMMIT"; NULL for the suites pwb ships.

ALTER TABLE suite_runs ADD COLUMN tests_from TEXT;
