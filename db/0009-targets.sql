-- Build targets (arch.h): the architecture and the toolchain a kernel was
-- built for and with.  builds.toolchain keeps the compiler's version line;
-- compiler is the toolchain's name (gcc, clang).  A check records the
-- target its cells were built for.  Rows from before are x86_64 + gcc.

ALTER TABLE builds ADD COLUMN arch TEXT NOT NULL DEFAULT 'x86_64';
ALTER TABLE builds ADD COLUMN compiler TEXT NOT NULL DEFAULT 'gcc';
ALTER TABLE checks ADD COLUMN arch TEXT NOT NULL DEFAULT 'x86_64';
ALTER TABLE checks ADD COLUMN compiler TEXT NOT NULL DEFAULT 'gcc';
CREATE INDEX builds_commit ON builds(commit_id, config_name, arch, compiler);
