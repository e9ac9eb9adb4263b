/*
 * kbuild: build a kernel revision out of tree, incrementally.
 *
 * The source is a checkout slot (checkout.h) moved to the revision; the
 * build directory belongs to (tree, config) and is reused across
 * revisions, so moving between nearby commits rebuilds only what changed.
 * A config is a fragment under bench/configs/NAME.config whose first line
 * may name a base target ("# pwb-base: tinyconfig"); it is merged over the
 * base with the kernel's merge_config.sh, then olddefconfig, and every
 * option it asks for is checked in the result.  ccache is used when
 * installed.  A (tree, config, toolchain) already built OK is not built
 * again: its bzImage is kept under <workdir>/artifacts (oldest evicted
 * beyond build.cachesize).
 */
#ifndef PWB_KBUILD_H
#define PWB_KBUILD_H

#include <git2.h>
#include <sqlite3.h>

struct pwb_ctx;

/*
 * A build's progress: each line of make's output worth showing ("CC
 * mm/foo.o", its indent dropped; as make wrote it, not escaped), and NULL
 * once a make ended.  pwb prints the last one on a terminal
 * (src/cli/progress.c).
 */
typedef void (*kbuild_progress_fn)(void *ud, const char *line);

struct kbuild_request {
	const char *tree_arg;	/* --tree */
	const char *rev;
	const char *config;	/* NAME or path; default: the arch's */
	const char *arch;	/* arch.h name; NULL: x86_64 */
	const char *toolchain;	/* gcc, clang; NULL: gcc */
	int slot;
	kbuild_progress_fn progress;	/* NULL: none */
	void *progress_ud;
	char *const *vars;	/* more make variables for the image and
				 * modules (GCOV_PROFILE_x.o=y), or NULL: a
				 * cache key and a builds row of their own */
	const char *variant;	/* with vars: the builds row's config name
				 * gets "+variant" ("qemu-x86_64+gcov"); the
				 * build directory stays the config's */
	int need_build_dir;	/* the build directory must hold this tree
				 * (out-of-tree modules are built in it); the
				 * slot stays locked (kbuild_result.lock_fd) */
};

/* A build's status; the database keeps build_status_name(). */
enum build_status {
	BUILD_NONE,		/* no result (nothing was recorded) */
	BUILD_OK,
	BUILD_FAILED,		/* make failed: the code's fault */
	BUILD_CONFIG_ERROR,	/* the config does not configure or an option
				 * it asks for did not take */
	BUILD_TIMEOUT,		/* build.timeout or no output for too long */
	BUILD_INFRA_ERROR,	/* make could not start or was killed */
	BUILD_INTERRUPTED,
};
const char *build_status_name(enum build_status s);
/* 0, or -1 when s is no status (*out is then BUILD_INFRA_ERROR). */
int build_status_parse(const char *s, enum build_status *out);

struct kbuild_result {
	long id;		/* builds row */
	enum build_status status;
	char *error;
	char commit[GIT_OID_HEXSZ + 1];
	char tree[GIT_OID_HEXSZ + 1];
	char *config_name;
	char *config_hash;
	char *toolchain;	/* the compiler's version line */
	char *arch;		/* the target (arch.h names) */
	char *compiler;		/* the toolchain's name: gcc, clang */
	char *bzimage;		/* artifact path when ok (the arch's image) */
	char *build_dir;
	char *src_dir;
	double seconds;
	long started_at;	/* unix time, 0 unknown */
	long vmlinux_size, bzimage_size;
	int warnings, new_warnings;
	int cached;
	int lock_fd;		/* need_build_dir: the slot stays locked
				 * until kbuild_unlock / _release */
};

/* Returns 0 when a result was recorded (look at r->status), -1 otherwise. */
int kbuild(struct pwb_ctx *ctx, const struct kbuild_request *q,
	   struct kbuild_result *r);
void kbuild_result_release(struct kbuild_result *r);
/* A recorded build (builds row id) as a result: no build or source
 * directory, nothing locked.  0, 1 no such row, -1 database. */
int kbuild_load(sqlite3 *db, long id, struct kbuild_result *r);
/* The newest recorded build of commit with config for arch with compiler
 * (NULL: x86_64, gcc) that is a result (ok, failed, config-error: not an
 * interrupted or infrastructure one).  0 with *id set, 1 none, -1 database. */
int kbuild_find(sqlite3 *db, const char *commit, const char *config,
		const char *arch, const char *compiler, long *id);
/*
 * A build made elsewhere (the executor's recorded backend), recorded as
 * kbuild records its own: r's status, error, commit, tree, config,
 * toolchain, arch and compiler fields; r->id is set.  0, or -1 (database,
 * said).
 */
int kbuild_record(sqlite3 *db, const char *repo, const char *rev,
		  struct kbuild_result *r);
/* Let other pwb processes use the checkout slot and build directory. */
void kbuild_unlock(struct kbuild_result *r);
/*
 * The make variables for building against r (out-of-tree modules): its
 * arch and toolchain's (arch_make_vars), into argv[max].  Returns the
 * count, or -1 when r names an arch or toolchain pwb does not know.
 */
int kbuild_make_vars(const struct kbuild_result *r, int ccache, char **argv,
		     size_t max);
/* Whether ccache is on PATH and not turned off by CCACHE_DISABLE (as
 * ccache reads it: set, and not 0/false/no/disable); pwb builds through it
 * when it is.  Off, ccache costs about 9% of a cold build in process starts
 * alone (bench/README.md), so pwb leaves it out. */
int kbuild_have_ccache(void);

/*
 * Objects built alone under a broad config (the broad build of pwb check,
 * broadbuild.h): the request's tree, rev, config (a fragment whose base is
 * allmodconfig), arch, toolchain and slot; one configured build directory
 * per (tree, arch, toolchain, config) like kbuild()'s, reused, so a later
 * call compiles only its objects.  Each object is removed first so that
 * make compiles it (ccache replays the compiler's messages) and its
 * diagnostics show; make runs with -k and the extra variables (W=1).
 * Nothing is recorded in the database.
 */
struct kbuild_diag {
	char *file;		/* relative to the tree */
	long line;
	int error;		/* 1 error, 0 warning (sparse's: always 0) */
	int sparse;		/* sparse said it (C=2), not the compiler */
	char *msg;		/* "implicit declaration of ... [-Wfoo]" */
};

struct kbuild_objects_result {
	enum build_status status;	/* ok: make ran to its end or failed
					 * on the code (diags have errors);
					 * config-error, timeout, infra-error,
					 * interrupted: error says */
	char *error;
	struct kbuild_diag *diags;	/* unique by (file, line, msg) */
	size_t ndiags;
	char **not_built;		/* objects make did not compile (no
					 * rule builds them under this
					 * config and arch) */
	size_t nnot_built;
	double seconds;
};
/* objects: "mm/mmu_notifier.o", mapped to the Makefile that builds them
 * (kbuild_object_target).  With sparse (and sparse installed), a second
 * make with C=2 runs sparse on the objects' sources, its messages marked
 * as its own (a sparse "error:" is a warning here: it stops no build).
 * 0 (r->status says how it went) or -1 (said: the tree, the revision,
 * the fragment). */
int kbuild_objects(struct pwb_ctx *ctx, const struct kbuild_request *q,
		   char *const *objects, size_t n, char *const *vars,
		   int sparse, struct kbuild_objects_result *r);
/* Whether sparse is installed (C=1 / C=2 can run). */
int kbuild_have_sparse(void);
void kbuild_objects_result_release(struct kbuild_objects_result *r);
/*
 * The make target that builds object obj ("dir/file.o") in the source
 * tree at src: obj itself, unless dir's Makefile is not descended into but
 * included by another directory's (amdgpu's Makefile includes amdkfd's:
 * "drivers/gpu/drm/amd/amdgpu/../amdkfd/kfd_svm.o").  Owned.
 */
char *kbuild_object_target(const char *src, const char *obj);

/* The build as JSON (jansson reference, caller decrefs). */
struct json_t;
struct json_t *json_build(const struct kbuild_result *r);
/*
 * What a build's status (the string the database keeps) means to the
 * callers: built; the kernel does not build or configure (the code's
 * fault); infra-error or timeout (not the code's); interrupted.
 */
enum build_outcome {
	BUILD_OUT_OK,
	BUILD_OUT_BROKEN,
	BUILD_OUT_INFRA,
	BUILD_OUT_INTERRUPTED,
};
enum build_outcome kbuild_outcome(enum build_status status);


/*
 * The modules of the build in build_dir, in its modules.order order
 * ("lib/list-test.ko"; "lib/list-test.o" from 6.2 on), as paths of their
 * .ko: *kos (owned, each entry and the array; kbuild_modules_free), *n of
 * them; an entry that is not a relative path inside the build directory
 * is left out.  0, or -1 when there is no modules.order (errno).
 */
int kbuild_modules(const char *build_dir, char ***kos, size_t *n);
void kbuild_modules_free(char **kos, size_t n);
/*
 * The module NAME (test_hmm) of that build: 0 and *path (owned) its .ko,
 * 1 not in modules.order, -1 no modules.order (errno).
 */
int kbuild_find_module(const char *build_dir, const char *name, char **path);

#endif
