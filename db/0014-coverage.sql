-- Coverage, recorded as a check of each patch (src/coverage.h): count of
-- `of` changed executable lines ran under the suites; NULL for the other
-- checks.  The broad build (src/broadbuild.h) is a check of each patch
-- too ("allmodconfig") and needs no column of its own.
ALTER TABLE check_patch_checks ADD COLUMN count INTEGER;
ALTER TABLE check_patch_checks ADD COLUMN of INTEGER;
