#!/usr/bin/env python3
"""Write the fixture threads mmn-big-hammer, mmn-3-series, mmn-doc-fix,
mmn-kasan-oob, list-sort-unstable, hmm-zero-page, mmn-rename-left-behind,
mmn-unran-warning and fault-two-arches.

usage: patches/make-fixtures.py REFERENCE_TREE [OUTDIR]

REFERENCE_TREE is the repository `make kernel-tree` makes (tag
v6.1-debian).  Each series is made as real commits on v6.1-debian (in a
throw-away --shared clone, with a temporary index: no checkout), turned
into patches by `git format-patch --base`, and wrapped into a lore-style
thread mbox (mboxrd) with a cover letter where there is more than one
patch and replies carrying trailers.  Authors, dates and Message-IDs are
fixed, so the output is the same on every run.
"""
import os
import subprocess
import sys
import tempfile

BASE = "v6.1-debian"


def git(repo, *args, env=None, input=None):
    e = dict(os.environ)
    if env:
        e.update(env)
    return subprocess.run(["git", "-C", repo] + list(args), check=True,
                          capture_output=True, env=e, input=input).stdout


def replace_once(text, old, new, what):
    if text.count(old) != 1:
        sys.exit("make-fixtures: %s: expected text found %d times"
                 % (what, text.count(old)))
    return text.replace(old, new)


# --- the series ------------------------------------------------------------

# merge() of lib/list_sort.c (the same in 6.1 and 6.12): a tie takes b
SORT_EDITS = [
    ("""	for (;;) {
		/* if equal, take 'a' -- important for sort stability */
		if (cmp(priv, a, b) <= 0) {
			*tail = a;
			tail = &a->next;
			a = a->next;
			if (!a) {
				*tail = b;
				break;
			}
""", """	for (;;) {
		if (cmp(priv, a, b) < 0) {
			*tail = a;
			tail = &a->next;
			a = a->next;
			if (!a) {
				*tail = b;
				break;
			}
"""),
]

HAMMER_OLD = """	id = srcu_read_lock(&srcu);
	hlist_for_each_entry_rcu(subscription, &subscriptions->list, hlist,
				 srcu_read_lock_held(&srcu)) {
		const struct mmu_notifier_ops *ops = subscription->ops;
"""
HAMMER_NEW = """	id = srcu_read_lock(&srcu);
	/*
	 * A subscription that fails a non-blocking start cannot know which
	 * of the others already started.  Do not get there: with more than
	 * one subscription, refuse non-blocking invalidation up front and let
	 * the caller (the OOM reaper) try again later.
	 */
	if (!mmu_notifier_range_blockable(range)) {
		int n = 0;

		hlist_for_each_entry_rcu(subscription, &subscriptions->list,
					 hlist, srcu_read_lock_held(&srcu))
			n++;
		if (n > 1) {
			ret = -EAGAIN;
			goto out;
		}
	}
	hlist_for_each_entry_rcu(subscription, &subscriptions->list, hlist,
				 srcu_read_lock_held(&srcu)) {
		const struct mmu_notifier_ops *ops = subscription->ops;
"""
HAMMER_OLD2 = """		}
	}
	srcu_read_unlock(&srcu, id);

	return ret;
}
"""
HAMMER_NEW2 = """		}
	}
out:
	srcu_read_unlock(&srcu, id);

	return ret;
}
"""

CLEAN_EDITS = [
    ("""	struct mmu_notifier *subscription;
	int ret = 0;
	int id;

	id = srcu_read_lock(&srcu);
	hlist_for_each_entry_rcu(subscription, &subscriptions->list, hlist,
				 srcu_read_lock_held(&srcu)) {
		const struct mmu_notifier_ops *ops = subscription->ops;

		if (ops->invalidate_range_start) {
			int _ret;

			if (!mmu_notifier_range_blockable(range))
				non_block_start();
			_ret = ops->invalidate_range_start(subscription, range);
			if (!mmu_notifier_range_blockable(range))
				non_block_end();
			if (_ret) {
				pr_info("%pS callback failed with %d in %sblockable context.\\n",
					ops->invalidate_range_start, _ret,
					!mmu_notifier_range_blockable(range) ?
						"non-" :
						"");
				WARN_ON(mmu_notifier_range_blockable(range) ||
					_ret != -EAGAIN);""",
     """	bool blockable = mmu_notifier_range_blockable(range);
	struct mmu_notifier *subscription;
	int ret = 0;
	int id;

	id = srcu_read_lock(&srcu);
	hlist_for_each_entry_rcu(subscription, &subscriptions->list, hlist,
				 srcu_read_lock_held(&srcu)) {
		const struct mmu_notifier_ops *ops = subscription->ops;

		if (ops->invalidate_range_start) {
			int _ret;

			if (!blockable)
				non_block_start();
			_ret = ops->invalidate_range_start(subscription, range);
			if (!blockable)
				non_block_end();
			if (_ret) {
				pr_info("%pS callback failed with %d in %sblockable context.\\n",
					ops->invalidate_range_start, _ret,
					blockable ? "" : "non-");
				WARN_ON(blockable || _ret != -EAGAIN);"""),
]
BUG_EDITS = [
    ("""				WARN_ON(ops->invalidate_range_end);
				ret = _ret;
			}""",
     """				WARN_ON(ops->invalidate_range_end);
				ret = _ret;
				/* the whole start fails: no need to ask the rest */
				break;
			}"""),
]
COMMENT_EDITS = [
    ("""		/*
		 * Must be non-blocking to get here.  If there are multiple
		 * notifiers and one or more failed start, any that succeeded
		 * start are expecting their end to be called.  Do so now.
		 */""",
     """		/*
		 * Only a non-blocking start can fail.  With several
		 * subscriptions, those whose start succeeded expect their
		 * invalidate_range_end: call it on every subscription now,
		 * since the caller will not.
		 */"""),
]
DOC_EDITS = [
    ("""	/* Retry the mmap_read_trylock(mm) a few times */""",
     """	/*
	 * Retry a few times: the mmap lock may be held, or an mmu notifier
	 * may have refused a non-blocking invalidate_range_start.
	 */"""),
]

# one byte past the end of a 15-byte kmalloc: kmalloc rounds the object up
# (SLOB, SLUB, arm64's 128-byte alignment), so only KASAN sees the write.
# The context is the same in v6.1 and v6.12.
KASAN_EDITS = [
    ("""		INIT_HLIST_HEAD(&subscriptions->deferred_list);
	}

	ret = mm_take_all_locks(mm);
""",
     """		INIT_HLIST_HEAD(&subscriptions->deferred_list);
	}

	{
		/* the registering task's name, for the debug message */
		char *who = kmalloc(TASK_COMM_LEN - 1, GFP_KERNEL);

		if (who) {
			memcpy(who, current->comm, TASK_COMM_LEN - 1);
			who[TASK_COMM_LEN - 1] = '\\0';
			pr_debug("mmu_notifier: %s registers\\n", who);
			kfree(who);
		}
	}

	ret = mm_take_all_locks(mm);
"""),
]

# hmm_vma_handle_pte() without its zero-page exception: a read-only PTE of
# the shared zero page (vm_normal_page() gives NULL for it) becomes
# HMM_PFN_ERROR, so a device mirroring an untouched-but-read buffer sees an
# error where it should see a read-only zero page.  The context is the same
# in v6.1 and v6.12.
HMM_EDITS = [
    ("""	if (!vm_normal_page(walk->vma, addr, pte) &&
	    !pte_devmap(pte) &&
	    !is_zero_pfn(pte_pfn(pte))) {
""",
     """	if (!vm_normal_page(walk->vma, addr, pte) &&
	    !pte_devmap(pte)) {
"""),
]

# mmu_interval_notifier_insert_locked renamed in the header, mm/ and the
# Xen driver, but not in amdkfd: every small config builds (none has
# amdkfd), allmodconfig does not
RENAME = "mmu_interval_notifier_insert_locked"
RENAMED = "mmu_interval_notifier_insert_mm_locked"
RENAME_EDITS = [
    ("include/linux/mmu_notifier.h", [("int %s(\n" % RENAME, "int %s(\n" % RENAMED)]),
    ("mm/mmu_notifier.c", [("int %s(\n" % RENAME, "int %s(\n" % RENAMED),
                           ("EXPORT_SYMBOL_GPL(%s);" % RENAME,
                            "EXPORT_SYMBOL_GPL(%s);" % RENAMED)]),
    ("drivers/xen/gntdev.c", [("err = %s(" % RENAME, "err = %s(" % RENAMED)]),
]

# one patch over two arches' fault handlers: on an x86_64 cell the broad
# build compiles arch/x86/mm/fault.o and lists arch/arm64/mm/fault.o as
# not compiled (another arch's code is listed, not built)
TWO_ARCH_EDITS = [
    ("arch/arm64/mm/fault.c",
     [("We had some memory, but were unable to successfully fix up\n"
       "\t\t * this page fault.",
       "We had some memory, but could not fix up this page\n"
       "\t\t * fault.")]),
    ("arch/x86/mm/fault.c",
     [("repeat the page fault later with a VM_FAULT_NOPAGE retval",
       "retry the page fault later with a VM_FAULT_NOPAGE retval")]),
]

# __mmu_notifier_register (every suite registers): a variable set and
# never used, which W=1 warns about (READ_ONCE is volatile and a macro:
# the line stays code that runs, gcov counts it here)
WARN_EDITS = [
    ("""	struct mmu_notifier_subscriptions *subscriptions = NULL;
	int ret;

	mmap_assert_write_locked(mm);
	BUG_ON(atomic_read(&mm->mm_users) <= 0);
""", """	struct mmu_notifier_subscriptions *subscriptions = NULL;
	int ret;
	void *had;

	mmap_assert_write_locked(mm);
	had = READ_ONCE(mm->notifier_subscriptions);
	BUG_ON(atomic_read(&mm->mm_users) <= 0);
"""),
]

# mmu_interval_notifier_insert_locked (no suite of make check calls it):
# an mm whose subscriptions have no interval tree yet is no longer
# registered for one
SYNC_EDITS = [
    ("""	mmap_assert_write_locked(mm);

	if (!subscriptions || !subscriptions->has_itree) {
		ret = __mmu_notifier_register(NULL, mm);
		if (ret)
			return ret;
		subscriptions = mm->notifier_subscriptions;
	}
	return __mmu_interval_notifier_insert(interval_sub, mm, subscriptions,
					      start, length, ops);
}
EXPORT_SYMBOL_GPL(mmu_interval_notifier_insert_locked);""", """	mmap_assert_write_locked(mm);

	/* registered already: the subscriptions are there */
	if (!subscriptions) {
		ret = __mmu_notifier_register(NULL, mm);
		if (ret)
			return ret;
		subscriptions = mm->notifier_subscriptions;
	}
	return __mmu_interval_notifier_insert(interval_sub, mm, subscriptions,
					      start, length, ops);
}
EXPORT_SYMBOL_GPL(mmu_interval_notifier_insert_locked);"""),
]

SERIES = [
    {
        "file": "mmn-big-hammer.mbox",
        "msgid": "20190812101500.4242-%d-hammer@example.org",
        "from": "Hugo Hammer <hugo.hammer@example.org>",
        "to": "linux-mm@kvack.org",
        "cc": "Ada Reaper <ada.reaper@example.org>",
        "date": "Mon, 12 Aug 2019 12:15:00 +0200",
        "epoch": 1565604900,
        "patches": [
            ("mm/mmu_notifier: refuse non-blocking invalidation with several subscriptions",
             "mm/mmu_notifier.c", [(HAMMER_OLD, HAMMER_NEW), (HAMMER_OLD2, HAMMER_NEW2)],
             "When one of several subscriptions fails a non-blocking\n"
             "invalidate_range_start, the others may have started and expect an\n"
             "end.  Avoid the situation altogether: when the mm has more than one\n"
             "subscription, refuse non-blocking invalidation with -EAGAIN before\n"
             "asking any of them.  The OOM reaper will retry.\n"),
        ],
        "replies": [
            ("Ada Reaper <ada.reaper@example.org>", "Tue, 13 Aug 2019 08:02:00 +0200",
             "20190813060200.GB7@example.org", 0,
             "This stops the OOM reaper from ever reaping a process with two\n"
             "subscriptions (KVM and a GPU driver, say): it retries ten times and\n"
             "gives up, and the OOM killer shoots the next task.\n\n"
             "Tested-by: Ada Reaper <ada.reaper@example.org>\n"),
        ],
    },
    {
        "file": "mmn-3-series.mbox",
        "msgid": "20190820093000.777-%d-tidy@example.org",
        "from": "Tilda Tidy <tilda.tidy@example.org>",
        "to": "linux-mm@kvack.org",
        "cc": "Ada Reaper <ada.reaper@example.org>",
        "date": "Tue, 20 Aug 2019 11:30:00 +0200",
        "epoch": 1566293400,
        "cover": ("mm/mmu_notifier: tidy mn_hlist_invalidate_range_start",
                  "Three small changes to mn_hlist_invalidate_range_start: compute\n"
                  "blockable once, stop asking subscriptions after the first failed\n"
                  "non-blocking start, and reword the comment on the undo walk.\n"),
        "patches": [
            ("mm/mmu_notifier: compute blockable once in mn_hlist_invalidate_range_start",
             "mm/mmu_notifier.c", CLEAN_EDITS,
             "mmu_notifier_range_blockable() is evaluated up to four times per\n"
             "subscription.  Evaluate it once.  No functional change.\n"),
            ("mm/mmu_notifier: stop at the first failed non-blocking start",
             "mm/mmu_notifier.c", BUG_EDITS,
             "Once one subscription refuses a non-blocking start, the start as a\n"
             "whole fails; asking the remaining subscriptions is wasted work on\n"
             "the OOM reaper's path.  Stop at the first failure.\n"),
            ("mm/mmu_notifier: reword the comment on the undo walk",
             "mm/mmu_notifier.c", COMMENT_EDITS,
             "Say why every subscription's invalidate_range_end is called after a\n"
             "failed non-blocking start.  Comment only.\n"),
        ],
        "replies": [
            ("Ada Reaper <ada.reaper@example.org>", "Wed, 21 Aug 2019 09:10:00 +0200",
             "20190821071000.GC9@example.org", 1,
             "Reviewed-by: Ada Reaper <ada.reaper@example.org>\n"),
            ("Ada Reaper <ada.reaper@example.org>", "Wed, 21 Aug 2019 09:20:00 +0200",
             "20190821072000.GD9@example.org", 3,
             "Acked-by: Ada Reaper <ada.reaper@example.org>\n"),
        ],
    },
    {
        "file": "mmn-doc-fix.mbox",
        "msgid": "20190902140000.31-%d-doc@example.org",
        "from": "Dora Doc <dora.doc@example.org>",
        "to": "linux-mm@kvack.org",
        "cc": "",
        "date": "Mon, 2 Sep 2019 16:00:00 +0200",
        "epoch": 1567432800,
        "patches": [
            ("mm/oom_kill: say why the OOM reaper retries",
             "mm/oom_kill.c", DOC_EDITS,
             "The comment in oom_reap_task() names only the mmap lock; an mmu\n"
             "notifier refusing a non-blocking start makes it retry as well.\n"
             "Comment only.\n"),
        ],
        "replies": [
            ("Ada Reaper <ada.reaper@example.org>", "Tue, 3 Sep 2019 10:00:00 +0200",
             "20190903080000.GE1@example.org", 0,
             "Reviewed-by: Ada Reaper <ada.reaper@example.org>\n"),
        ],
    },
    {
        "file": "mmn-kasan-oob.mbox",
        "msgid": "20190910083000.55-%d-who@example.org",
        "from": "Walt Who <walt.who@example.org>",
        "to": "linux-mm@kvack.org",
        "cc": "",
        "date": "Tue, 10 Sep 2019 10:30:00 +0200",
        "epoch": 1568104200,
        "patches": [
            ("mm/mmu_notifier: name the registering task in a debug message",
             "mm/mmu_notifier.c", KASAN_EDITS,
             "When chasing a missing invalidate_range_end it helps to know who\n"
             "registered.  Say so with pr_debug().\n"),
        ],
        "replies": [],
    },
    {
        "file": "list-sort-unstable.mbox",
        "msgid": "20190917090000.77-%d-sorter@example.org",
        "from": "Sol Sorter <sol.sorter@example.org>",
        "to": "linux-kernel@vger.kernel.org",
        "cc": "",
        "date": "Tue, 17 Sep 2019 11:00:00 +0200",
        "epoch": 1568710800,
        "patches": [
            ("lib/list_sort: take the second run's element on a tie",
             "lib/list_sort.c", SORT_EDITS,
             "A micro-optimisation of merge(): the comparison is strict now.  It\n"
             "also makes the sort unstable, which the KUnit test list_sort sees\n"
             "(the fixture a KUnit suite must catch).\n"),
        ],
        "replies": [],
    },
    {
        "file": "hmm-zero-page.mbox",
        "msgid": "20190924071500.99-%d-mirror@example.org",
        "from": "Mira Mirror <mira.mirror@example.org>",
        "to": "linux-mm@kvack.org",
        "cc": "",
        "date": "Tue, 24 Sep 2019 09:15:00 +0200",
        "epoch": 1569309300,
        "patches": [
            ("mm/hmm: treat every special PTE alike in hmm_vma_handle_pte",
             "mm/hmm.c", HMM_EDITS,
             "A PTE without a struct page and not devmap is an error for the\n"
             "mirror; drop the zero-page exception, the zero page has nothing a\n"
             "device should map.  (It breaks the HMM selftest's snapshot case,\n"
             "which expects the zero page read-only: the fixture the hmm suite\n"
             "must catch.)\n"),
        ],
        "replies": [],
    },
    {
        "file": "mmn-rename-left-behind.mbox",
        "msgid": "20191001100000.11-%d-renamer@example.org",
        "from": "Rena Renamer <rena.renamer@example.org>",
        "to": "linux-mm@kvack.org",
        "cc": "",
        "date": "Tue, 1 Oct 2019 12:00:00 +0200",
        "epoch": 1569924000,
        "patches": [
            ("mm/mmu_notifier: say mm_locked in the name of the locked insert",
             None, RENAME_EDITS,
             "mmu_interval_notifier_insert_locked() expects the mmap lock held\n"
             "for write; say which lock in its name.  Callers updated.  (It\n"
             "leaves amdkfd's caller behind, which no small config builds: the\n"
             "fixture the broad build must catch.)\n"),
        ],
        "replies": [],
    },
    {
        "file": "mmn-unran-warning.mbox",
        "msgid": "20191008100000.22-%d-quiet@example.org",
        "from": "Quinn Quiet <quinn.quiet@example.org>",
        "to": "linux-mm@kvack.org",
        "cc": "",
        "date": "Tue, 8 Oct 2019 12:00:00 +0200",
        "epoch": 1570528800,
        "cover": ("mm/mmu_notifier: two small changes",
                  "Read the subscriptions once on registration, and do not\n"
                  "register again in mmu_interval_notifier_insert_locked().\n"),
        "patches": [
            ("mm/mmu_notifier: read the subscriptions once on registration",
             "mm/mmu_notifier.c", WARN_EDITS,
             "Read mm->notifier_subscriptions once when __mmu_notifier_register()\n"
             "starts.  (The variable is never used: W=1 warns, the fixture the\n"
             "broad build's warnings must catch.)\n"),
            ("mm/mmu_notifier: register only an mm without subscriptions",
             "mm/mmu_notifier.c", SYNC_EDITS,
             "An mm with subscriptions is registered already; do not register it\n"
             "again before inserting an interval notifier.  (It never sets up the\n"
             "interval tree of an mm whose subscriptions have none: a bug in code\n"
             "no suite of make check runs, the fixture coverage must show.)\n"),
        ],
        "replies": [],
    },
    {
        "file": "fault-two-arches.mbox",
        "msgid": "20191015100000.33-%d-archie@example.org",
        "from": "Archie Arches <archie.arches@example.org>",
        "to": "linux-mm@kvack.org",
        "cc": "linux-arm-kernel@lists.infradead.org, x86@kernel.org",
        "date": "Tue, 15 Oct 2019 12:00:00 +0200",
        "epoch": 1571133600,
        "patches": [
            ("arm64/mm, x86/mm: tidy a comment of each fault handler",
             None, TWO_ARCH_EDITS,
             "Say it shorter in arm64's SIGBUS branch, and say retry where x86\n"
             "means it.  (One file of each arch: an x86_64 check compiles one\n"
             "and must list the other as not compiled, the fixture of the\n"
             "broad build's listing.)\n"),
        ],
        "replies": [],
    },
]


# --- making commits and mail ----------------------------------------------

def make_commits(repo, spec):
    """Commit each patch of spec on BASE; return the tip."""
    index = os.path.join(repo, "fixture-index")
    env = {"GIT_INDEX_FILE": index}
    git(repo, "read-tree", BASE, env=env)
    parent = git(repo, "rev-parse", BASE + "^{commit}").decode().strip()
    name, mail = spec["from"][:-1].split(" <")
    for i, (subject, path, edits, body) in enumerate(spec["patches"]):
        # one file and its edits, or (path None) a list of (file, edits)
        for p, ed in ([(path, edits)] if path else edits):
            text = git(repo, "show", "%s:%s" % (parent, p)).decode()
            for old, new in ed:
                text = replace_once(text, old, new, "%s: %s" % (spec["file"], subject))
            blob = git(repo, "hash-object", "-w", "--stdin",
                       input=text.encode()).decode().strip()
            mode = git(repo, "ls-tree", parent, p).decode().split()[0]
            git(repo, "update-index", "--cacheinfo", "%s,%s,%s" % (mode, blob, p),
                env=env)
        tree = git(repo, "write-tree", env=env).decode().strip()
        date = "%d +0200" % (spec["epoch"] + 60 * i)
        msg = "%s\n\n%s\nSigned-off-by: %s\n" % (subject, body, spec["from"])
        parent = git(repo, "commit-tree", tree, "-p", parent, "-m", msg, env={
            "GIT_AUTHOR_NAME": name, "GIT_AUTHOR_EMAIL": mail,
            "GIT_AUTHOR_DATE": date, "GIT_COMMITTER_NAME": name,
            "GIT_COMMITTER_EMAIL": mail, "GIT_COMMITTER_DATE": date,
        }).decode().strip()
    return parent


def mboxrd(msg):
    """mboxrd-quote a message body and prefix the From_ line."""
    out = ["From mboxrd@z Thu Jan  1 00:00:00 1970"]
    for line in msg.rstrip("\n").split("\n"):
        s = line.lstrip(">")
        out.append(">" + line if s.startswith("From ") else line)
    return "\n".join(out) + "\n\n"


def headers(frm, to, cc, subject, date, msgid, parent=None, refs=None):
    h = ["From: " + frm, "To: " + to]
    if cc:
        h.append("Cc: " + cc)
    h += ["Subject: " + subject, "Date: " + date, "Message-ID: <%s>" % msgid]
    if parent:
        h += ["In-Reply-To: <%s>" % parent,
              "References: " + " ".join("<%s>" % r for r in refs)]
    return "\n".join(h) + "\n"


def patch_mails(repo, tip, n):
    """format-patch output of BASE..tip, one string per patch, no From_."""
    out = git(repo, "format-patch", "--stdout", "--no-signature",
              "--base=" + BASE, "--no-numbered", "-k", "%s..%s" % (BASE, tip)).decode()
    mails = []
    for part in out.split("\nFrom ")[0:]:
        mails.append(part if part.startswith("From ") else "From " + part)
    assert len(mails) == n, (len(mails), n)
    # keep the body (from the first blank line on)
    return [m.split("\n\n", 1)[1] for m in mails]


def write_series(repo, spec, outdir):
    tip = make_commits(repo, spec)
    n = len(spec["patches"])
    bodies = patch_mails(repo, tip, n)
    msgid = spec["msgid"]
    multi = n > 1
    mails = []
    root = msgid % 0 if multi else msgid % 1
    date = spec["date"]
    if multi:
        subj, blurb = spec["cover"]
        shortlog = "\n".join("  %s" % p[0] for p in spec["patches"])
        stat = git(repo, "diff", "--stat=72", BASE, tip).decode()
        body = "%s\n%s (%d):\n%s\n\n%s\nbase-commit: %s\n" % (
            blurb, spec["from"].split(" <")[0], n, shortlog, stat,
            git(repo, "rev-parse", BASE + "^{commit}").decode().strip())
        mails.append(headers(spec["from"], spec["to"], spec["cc"],
                             "[PATCH 0/%d] %s" % (n, subj), date, root)
                     + "\n" + body)
    for i, body in enumerate(bodies, 1):
        subj = spec["patches"][i - 1][0]
        tag = "[PATCH %d/%d] " % (i, n) if multi else "[PATCH] "
        mid = msgid % i
        parent = root if multi else None
        mails.append(headers(spec["from"], spec["to"], spec["cc"], tag + subj,
                             date, mid, parent, [root] if parent else None)
                     + "\n" + body)
    for frm, rdate, rid, to_idx, text in spec["replies"]:
        target = msgid % to_idx if multi else msgid % 1
        if multi and to_idx:
            subj = "[PATCH %d/%d] %s" % (to_idx, n, spec["patches"][to_idx - 1][0])
        elif multi:
            subj = "[PATCH 0/%d] %s" % (n, spec["cover"][0])
        else:
            subj = "[PATCH] " + spec["patches"][0][0]
        refs = [root] if target == root else [root, target]
        said = (spec["cover"][1] if multi and not to_idx
                else spec["patches"][max(to_idx, 1) - 1][3]).split("\n")[:3]
        quoted = "On %s, %s wrote:\n%s\n\n" % (
            date, spec["from"], "\n".join("> " + l for l in said))
        mails.append(headers(frm, spec["to"], spec["from"], "Re: " + subj, rdate,
                             rid, target, refs) + "\n" + quoted + text)
    with open(os.path.join(outdir, spec["file"]), "w") as f:
        for m in mails:
            f.write(mboxrd(m))


def main():
    if len(sys.argv) not in (2, 3):
        sys.exit(__doc__)
    ref = sys.argv[1]
    outdir = sys.argv[2] if len(sys.argv) == 3 else os.path.dirname(os.path.abspath(__file__))
    with tempfile.TemporaryDirectory() as tmp:
        repo = os.path.join(tmp, "linux")
        subprocess.run(["git", "clone", "-q", "--shared", "--no-checkout", ref, repo],
                       check=True)
        for spec in SERIES:
            write_series(repo, spec, outdir)
            print("wrote", os.path.join(outdir, spec["file"]))


if __name__ == "__main__":
    main()
