#include "series.h"
#include "patch-ids.h"
#include "util/util.h"

#include <ctype.h>
#include <glib.h>
#include <stdlib.h>
#include <string.h>

/* ---- subjects ---- */

static int is_counter(const char *w, int *index, int *total)
{
	const char *slash = strchr(w, '/');
	const char *p;

	if (!slash || slash == w || !slash[1])
		return 0;
	for (p = w; *p; p++)
		if (p != slash && !isdigit((unsigned char)*p))
			return 0;
	if (slash - w > 5 || strlen(slash + 1) > 5)
		return 0;
	*index = atoi(w);
	*total = atoi(slash + 1);
	return *total > 0 && *index <= *total;
}

static int is_version(const char *w, int *v)
{
	const char *p;

	if ((w[0] != 'v' && w[0] != 'V') || !w[1] || strlen(w) > 5)
		return 0;
	for (p = w + 1; *p; p++)
		if (!isdigit((unsigned char)*p))
			return 0;
	*v = atoi(w + 1);
	return *v > 0;
}

static int skip_reply_prefix(const char **s)
{
	static const char *const pfx[] = { "re:", "fwd:", "fw:", "aw:", "sv:" };
	size_t i;

	for (i = 0; i < ARRAY_SIZE(pfx); i++)
		if (istarts_with(*s, pfx[i])) {
			*s += strlen(pfx[i]);
			return 1;
		}
	return 0;
}

int subject_parse(const char *subject, struct subject_info *si)
{
	const char *s = subject;
	struct buf prefixes = BUF_INIT;
	size_t n;

	memset(si, 0, sizeof(*si));
	si->version = 1;
	for (;;) {
		while (isspace((unsigned char)*s))
			s++;
		if (!si->is_patch) {
			/* "Re:" after the brackets is just text of a patch */
			if (skip_reply_prefix(&s)) {
				si->is_reply = 1;
				continue;
			}
		}
		if (*s == '[') {
			const char *ket = strchr(s, ']');
			char *inner, *tok, *save = NULL;

			if (!ket)
				break;
			inner = xstrndup(s + 1, (size_t)(ket - s - 1));
			for (tok = strtok_r(inner, " \t,", &save); tok;
			     tok = strtok_r(NULL, " \t,", &save)) {
				int a, b;

				if (!strcasecmp(tok, "PATCH")) {
					si->is_patch = 1;
				} else if (!strcasecmp(tok, "RFC")) {
					si->is_patch = 1;
					si->rfc = 1;
				} else if (!strcasecmp(tok, "RESEND")) {
					si->resend = 1;
				} else if (is_version(tok, &a)) {
					si->version = a;
				} else if (is_counter(tok, &a, &b)) {
					si->has_counter = 1;
					si->index = a;
					si->total = b;
				} else {
					if (prefixes.len)
						buf_addch(&prefixes, ' ');
					buf_addstr(&prefixes, tok);
				}
			}
			free(inner);
			s = ket + 1;
			continue;
		}
		break;
	}
	if (!si->is_patch) {
		buf_reset(&prefixes);
		si->version = 1;
		si->has_counter = si->index = si->total = 0;
	}
	if (si->rfc) {
		struct buf b = BUF_INIT;

		buf_addstr(&b, "RFC");
		if (prefixes.len)
			buf_addf(&b, " %s", prefixes.buf);
		buf_release(&prefixes);
		prefixes = b;
	}
	si->prefixes = buf_detach(&prefixes, NULL);
	n = strlen(s);
	while (n && isspace((unsigned char)s[n - 1]))
		n--;
	si->title = xstrndup(s, n);
	return 0;
}

void subject_info_release(struct subject_info *si)
{
	free(si->prefixes);
	free(si->title);
	memset(si, 0, sizeof(*si));
}

/* ---- threads ---- */

/*
 * Message-id -> index + 1 of its first copy (GHashTable: thread assembly is
 * linear in the messages; a linear scan per lookup made a 50,000-message
 * reply chain take minutes).  Keys point into the mails (not owned).
 */
static long find_msg(GHashTable *ix, const char *id)
{
	gpointer v;

	if (!id)
		return -1;
	v = g_hash_table_lookup(ix, id);
	return v ? (long)GPOINTER_TO_SIZE(v) - 1 : -1;
}

static int has_diff(const char *patch)
{
	const char *p = patch;

	while (p && *p) {
		if (starts_with(p, "diff ") || starts_with(p, "Index: ") ||
		    starts_with(p, "+++ "))
			return 1;
		p = strchr(p, '\n');
		if (p)
			p++;
	}
	return 0;
}

/* "base-commit: <hex>" and "prerequisite-patch-id: <hex>" lines */
static void series_meta(struct series *s, const char *body)
{
	const char *p = body;
	struct buf pre = BUF_INIT;

	while (p && *p) {
		const char *v;
		size_t n = strcspn(p, "\n");

		if (skip_prefix(p, "base-commit: ", &v) && !s->base_commit) {
			size_t h = strspn(v, "0123456789abcdef");

			if (h >= 7 && h <= 64 && (size_t)(v - p) + h == n)
				s->base_commit = xstrndup(v, h);
		} else if (skip_prefix(p, "prerequisite-patch-id: ", &v)) {
			size_t h = strspn(v, "0123456789abcdef");

			if (h == 40 && (size_t)(v - p) + h == n) {
				buf_add(&pre, v, h);
				buf_addch(&pre, '\n');
			}
		}
		p += n;
		if (*p)
			p++;
	}
	if (pre.len && !s->prerequisites)
		s->prerequisites = buf_detach(&pre, NULL);
	buf_release(&pre);
}

static struct series *series_get(struct thread *t, const struct subject_info *si)
{
	size_t i;
	struct series *s;

	for (i = 0; i < t->nseries; i++)
		if (t->series[i].version == si->version)
			return &t->series[i];
	t->series = xrealloc(t->series, (t->nseries + 1) * sizeof(*t->series));
	s = &t->series[t->nseries++];
	memset(s, 0, sizeof(*s));
	s->version = si->version;
	s->cover = -1;
	s->prefixes = xstrdup(si->prefixes);
	return s;
}

static void series_grow(struct series *s, int total)
{
	int i, old = s->patches ? s->total : 0;

	if (total <= old)
		return;
	s->patches = xrealloc(s->patches, (size_t)total * sizeof(*s->patches));
	for (i = old; i < total; i++)
		memset(&s->patches[i], 0, sizeof(s->patches[i]));
	s->total = total;
}

static void strip_trailing_blank(struct buf *b)
{
	buf_rtrim(b);
	if (b->len)
		buf_addch(b, '\n');
}

static int cmp_series(const void *a, const void *b)
{
	const struct series *x = a, *y = b;

	return y->version - x->version;
}

/*
 * Which patch or cover letter is this reply about?  The nearest ancestor.
 * memo[i] is -2 until known; each message is resolved once (linear).
 */
static long owner_of(const struct thread *t, long *memo, long i)
{
	long p, q, o;

	for (p = t->msgs[i].parent; p >= 0 && memo[p] == -2 &&
	     t->msgs[p].role != ROLE_PATCH && t->msgs[p].role != ROLE_COVER;
	     p = t->msgs[p].parent)
		;
	if (p < 0)
		o = -1;
	else if (t->msgs[p].role == ROLE_PATCH || t->msgs[p].role == ROLE_COVER)
		o = p;
	else
		o = memo[p];
	/* everything on the way up has the same owner */
	for (q = i; q >= 0 && q != p; q = t->msgs[q].parent)
		memo[q] = o;
	return o;
}

/*
 * Cut reference cycles (hostile headers): parents form a forest after it.
 * A cycle is cut at its lowest-index message, which becomes a root.
 * Linear: every message is walked once (state 0 new, 1 on the walk, 2 done).
 */
static void break_cycles(struct thread *t)
{
	unsigned char *state = xcalloc(t->nr ? t->nr : 1, 1);
	size_t i;

	for (i = 0; i < t->nr; i++) {
		long p = (long)i, q, low, cyc;

		if (state[i])
			continue;
		while (p >= 0 && !state[p]) {
			state[p] = 1;
			p = t->msgs[p].parent;
		}
		/* p on this walk (state 1): p .. back to p is a cycle */
		cyc = p >= 0 && state[p] == 1 ? p : -1;
		/* done with the walk, the cycle included (before it is cut:
		 * a node left at 1 would look like part of a later walk) */
		for (q = (long)i; q >= 0 && state[q] == 1; q = t->msgs[q].parent)
			state[q] = 2;
		if (cyc >= 0) {
			low = cyc;
			for (q = t->msgs[cyc].parent; q != cyc; q = t->msgs[q].parent)
				if (q < low)
					low = q;
			t->msgs[low].parent = -1;
		}
	}
	free(state);
}

static void add_trailers(struct spatch *sp, const struct trailer *tr, size_t n)
{
	size_t i, j;

	for (i = 0; i < n; i++) {
		int dup = 0;

		for (j = 0; j < sp->ntrailers; j++)
			if (!strcmp(sp->trailers[j].kind, tr[i].kind) &&
			    !strcmp(sp->trailers[j].person, tr[i].person))
				dup = 1;
		if (dup)
			continue;
		sp->trailers = xrealloc(sp->trailers,
					(sp->ntrailers + 1) * sizeof(*sp->trailers));
		sp->trailers[sp->ntrailers].kind = xstrdup(tr[i].kind);
		sp->trailers[sp->ntrailers].person = xstrdup(tr[i].person);
		sp->trailers[sp->ntrailers].from_msgid = tr[i].from_msgid;
		sp->ntrailers++;
	}
}

/*
 * A person's trailer whose address is not the sender's is left out, as b4
 * does (someone else's Reviewed-by, or a typo): a notice says which and
 * why.  Trailers without an address (Fixes:, Link:) are the sender's word.
 */
static void drop_mismatched(const struct tmsg *m, struct trailer *tr,
			    size_t *ntr)
{
	size_t i, k = 0;

	for (i = 0; i < *ntr; i++) {
		char *a = trailer_address(tr[i].person);
		int bad = a && m->mail.from_email &&
			  strcasecmp(a, m->mail.from_email);

		free(a);
		if (bad) {
			notice("NOTE: %s: %s from <%s> left out: the address is "
			       "not the sender's (%s)", tr[i].kind,
			       tr[i].person, m->mail.msgid, m->mail.from_email);
			free(tr[i].kind);
			free(tr[i].person);
			continue;
		}
		tr[k++] = tr[i];
	}
	*ntr = k;
}

static struct series *series_of(struct thread *t, long msg)
{
	size_t i;
	int k;

	for (i = 0; i < t->nseries; i++) {
		struct series *s = &t->series[i];

		if (s->cover == msg)
			return s;
		for (k = 0; k < s->total; k++)
			if (s->patches[k].msg == msg)
				return s;
	}
	return NULL;
}

/*
 * A cover letter without "0/N" (b4's "naked" cover): a message that is not
 * a patch, not a reply ("Re:") and has no diff, to which patch 1 of a
 * series without a cover replies, sent by that patch's author.  A bug
 * report the fix replies to is someone else's and stays a plain message.
 */
static void find_naked_covers(struct thread *t)
{
	size_t i;

	for (i = 0; i < t->nseries; i++) {
		struct series *s = &t->series[i];
		const struct tmsg *pm;
		struct tmsg *c;
		long first = -1;
		int k;

		if (s->cover >= 0)
			continue;
		for (k = 0; k < s->total && first < 0; k++)
			if (s->patches[k].diff)
				first = s->patches[k].msg;
		if (first < 0)
			continue;
		pm = &t->msgs[first];
		if (pm->parent < 0)
			continue;
		c = &t->msgs[pm->parent];
		if (c->role != ROLE_OTHER || c->si.is_reply ||
		    (c->si.is_patch && c->si.has_counter) ||
		    !c->mail.from_email || !*c->mail.from_email ||
		    !pm->mail.from_email ||
		    strcasecmp(c->mail.from_email, pm->mail.from_email) ||
		    has_diff(c->mail.body) || series_of(t, pm->parent))
			continue;
		mail_info(&c->mail, &c->mi);
		c->role = ROLE_COVER;
		s->cover = pm->parent;
	}
}

/*
 * A partial reroll: "[PATCH v3 2/2]" sent in reply to v2 2/2 (and no v3
 * 1/2).  As b4 does, v3 is v2 with the rerolled patches replaced: the
 * missing ones (and the cover, when v3 has none) are v2's, with their
 * trailers; the rerolled patch has only its own (the old ones are for the
 * version it replaces).  Series are done oldest first so that a v4 on a
 * partial v3 builds on the filled v3.
 */
static int cmp_version_asc(const void *a, const void *b)
{
	const struct series *const *x = a, *const *y = b;

	return (*x)->version - (*y)->version;
}

static void fill_partial_rerolls(struct thread *t)
{
	struct series **ord;
	size_t i, j;
	int k;

	if (t->nseries < 2)
		return;
	ord = xmalloc(t->nseries * sizeof(*ord));
	for (i = 0; i < t->nseries; i++)
		ord[i] = &t->series[i];
	qsort(ord, t->nseries, sizeof(*ord), cmp_version_asc);
	for (i = 1; i < t->nseries; i++) {
		struct series *s = ord[i], *base = NULL;
		int missing = 0;

		for (k = 0; k < s->total; k++)
			missing += !s->patches[k].diff;
		if (!missing)
			continue;
		/* a patch of s that replies to the same patch of an older one */
		for (k = 0; k < s->total && !base; k++) {
			long par;

			if (!s->patches[k].diff || s->patches[k].inherited)
				continue;
			par = t->msgs[s->patches[k].msg].parent;
			for (j = 0; j < i && par >= 0; j++)
				if (ord[j]->total == s->total &&
				    ord[j]->patches[k].diff &&
				    ord[j]->patches[k].msg == par)
					base = ord[j];
		}
		if (!base)
			continue;
		for (k = 0; k < s->total; k++) {
			struct spatch *sp = &s->patches[k];
			const struct spatch *bp = &base->patches[k];

			if (sp->diff || !bp->diff)
				continue;
			sp->msg = bp->msg;
			sp->diffstat = xstrdup(bp->diffstat);
			sp->diff = xstrdup(bp->diff);
			sp->message = xstrdup(bp->message);
			memcpy(sp->patch_id, bp->patch_id, sizeof(sp->patch_id));
			sp->inherited = 1;
		}
		if (s->cover < 0 && base->cover >= 0) {
			s->cover = base->cover;
			s->cover_inherited = 1;
		}
		s->reroll_of = base->version;
		notice("v%d is a partial reroll of v%d: the patches it does not "
		       "resend are taken from v%d", s->version, base->version,
		       base->version);
	}
	free(ord);
}

/*
 * thread_build() in stages over one struct thread_builder: split the mbox,
 * index the messages, link each to its parent, group patches and covers
 * into series, find naked covers, fill partial rerolls, complete each
 * series, attach the replies' trailers, order the series newest first.
 * A stage that fails has said why; thread_release() frees what was made.
 */
struct thread_builder {
	struct thread *t;
	const struct thread_opts *opts;
	GHashTable *ix;		/* msgid -> index + 1 (find_msg) */
};

static void thread_builder_init(struct thread_builder *b, struct thread *t,
				char *data, size_t len,
				const struct thread_opts *opts)
{
	memset(b, 0, sizeof(*b));
	b->t = t;
	b->opts = opts;
	memset(t, 0, sizeof(*t));
	t->data = data;
	t->len = len;
	t->root = -1;
}

static void thread_builder_release(struct thread_builder *b)
{
	if (b->ix)
		g_hash_table_destroy(b->ix);
	memset(b, 0, sizeof(*b));
}

static int tb_split_mbox(struct thread_builder *b)
{
	struct thread *t = b->t;

	if (mbox_split(t->data, t->len, b->opts->format,
		       !b->opts->require_msgid, &t->mbox))
		return -1;
	t->msgs = xcalloc(t->mbox.nr, sizeof(*t->msgs));
	return 0;
}

/*
 * Parse every message, check it, and index it by Message-ID; an identical
 * second copy is marked ignored (role -1), a different one is an error.
 */
static int tb_index_messages(struct thread_builder *b)
{
	struct thread *t = b->t;
	size_t i;

	b->ix = g_hash_table_new(g_str_hash, g_str_equal);
	for (i = 0; i < t->mbox.nr; i++) {
		struct tmsg *m = &t->msgs[i];
		const struct mbox_msg *mm = &t->mbox.msgs[i];
		char why[128];
		long j;

		m->parent = -1;
		mailinfo_init(&m->mi);
		if (mail_parse(mm->data + mm->hdr, mm->len - mm->hdr, &m->mail))
			return error("message %zu of the thread cannot be "
				     "parsed", i + 1);
		t->nr++;
		if (mail_check_caps(&m->mail, why, sizeof(why)))
			return error("message %zu of the thread (<%.80s>): "
				     "%s; nothing stored", i + 1,
				     m->mail.msgid, why);
		if (m->mail.msgid_derived) {
			if (b->opts->require_msgid)
				return error("message %zu of the thread "
					     "(\"%.60s\") has no Message-ID",
					     i + 1, m->mail.subject);
			notice("message %zu (\"%.60s\") has no Message-ID; "
			       "using <%s>", i + 1, m->mail.subject,
			       m->mail.msgid);
		}
		j = find_msg(b->ix, m->mail.msgid);
		if (j >= 0) {
			/* an identical copy (a re-delivery) is harmless */
			if (t->msgs[j].mail.raw_len != m->mail.raw_len ||
			    memcmp(t->msgs[j].mail.raw, m->mail.raw,
				   m->mail.raw_len))
				return error("duplicate Message-ID <%s> with "
					     "different content in the thread",
					     m->mail.msgid);
			notice("message <%s> appears twice; using the first",
			       m->mail.msgid);
			m->role = -1; /* ignored below */
		} else {
			g_hash_table_insert(b->ix, m->mail.msgid,
					    GSIZE_TO_POINTER((size_t)i + 1));
		}
		subject_parse(m->mail.subject, &m->si);
	}
	return 0;
}

/* Parents: In-Reply-To, else the nearest known References entry; the
 * root is the first message without one. */
static void tb_link_parents(struct thread_builder *b)
{
	struct thread *t = b->t;
	size_t i;

	for (i = 0; i < t->nr; i++) {
		struct tmsg *m = &t->msgs[i];
		long p = find_msg(b->ix, m->mail.in_reply_to);
		size_t r = m->mail.nrefs;

		while (p < 0 && r--)
			p = find_msg(b->ix, m->mail.refs[r]);
		if (p == (long)i)
			p = -1;
		m->parent = p;
		if (p < 0 && t->root < 0 && m->role >= 0)
			t->root = (long)i;
	}
	break_cycles(t);
	if (t->root < 0)
		t->root = 0;
}

/* Patch i of its series: split, its message, its patch-id. */
static void take_patch(struct thread *t, struct series *s, int idx, size_t i)
{
	struct tmsg *m = &t->msgs[i];
	struct spatch *sp = &s->patches[idx - 1];
	struct buf ds = BUF_INIT, df = BUF_INIT;

	sp->msg = (long)i;
	patch_split(m->mi.patch.buf, &ds, &df);
	sp->diffstat = buf_detach(&ds, NULL);
	sp->diff = buf_detach(&df, NULL);
	strip_trailing_blank(&m->mi.message);
	sp->message = xstrdup(m->mi.message.buf);
	if (patch_id_stable(sp->diff, sp->patch_id))
		sp->patch_id[0] = '\0';
	m->role = ROLE_PATCH;
}

/* Patches and cover letters, into a series per version. */
static int tb_group_series(struct thread_builder *b)
{
	struct thread *t = b->t;
	size_t i;

	for (i = 0; i < t->nr; i++) {
		struct tmsg *m = &t->msgs[i];
		struct series *s;
		int idx;

		if (m->role < 0 || !m->si.is_patch || m->si.is_reply)
			continue;
		if (m->mail.body_has_nul)
			return error("<%s> (\"%.60s\"): NUL bytes in the text "
				     "of a patch", m->mail.msgid,
				     m->mail.subject);
		/*
		 * The patch keeps its bytes as sent, valid in the charset or
		 * not (git mailinfo writes them so and git am applies them);
		 * only the commit message (or cover letter), which is shown
		 * and stored as text, has to be valid.
		 */
		mail_info(&m->mail, &m->mi);
		if (m->mi.message_lossy)
			return error("<%s> (\"%.60s\"): text is not valid in "
				     "its declared charset (in the message, "
				     "before the patch)", m->mail.msgid,
				     m->mail.subject);
		idx = m->si.has_counter ? m->si.index : 1;
		if (idx > 0 && !has_diff(m->mi.patch.buf)) {
			notice("<%s> (\"%.60s\") has no diff; not taken as a "
			       "patch", m->mail.msgid, m->mail.subject);
			continue;
		}
		s = series_get(t, &m->si);
		series_grow(s, m->si.has_counter ? m->si.total : 1);
		if (idx == 0) {
			if (s->cover >= 0) {
				notice("second cover letter for v%d (<%s>) "
				       "ignored", s->version, m->mail.msgid);
				continue;
			}
			s->cover = (long)i;
			m->role = ROLE_COVER;
			continue;
		}
		if (s->patches[idx - 1].diff) {
			notice("second copy of patch %d/%d v%d (<%s>) ignored",
			       idx, s->total, s->version, m->mail.msgid);
			continue;
		}
		take_patch(t, s, idx, i);
	}
	if (!t->nseries)
		return error("no patches in the thread of <%s>",
			     t->msgs[t->root].mail.msgid);
	return 0;
}

/* Which series are complete (a missing patch's msg is -1), their subject
 * and their base-commit:/prerequisite-patch-id: lines. */
static void tb_complete_series(struct thread_builder *b)
{
	struct thread *t = b->t;
	size_t i;
	int k;

	for (i = 0; i < t->nseries; i++) {
		struct series *s = &t->series[i];

		s->complete = 1;
		for (k = 0; k < s->total; k++) {
			if (!s->patches[k].diff) {
				s->patches[k].msg = -1;
				s->complete = 0;
			}
		}
		if (s->cover >= 0) {
			s->subject = xstrdup(t->msgs[s->cover].mi.subject);
			series_meta(s, t->msgs[s->cover].mail.body);
		}
		for (k = 0; k < s->total; k++) {
			if (s->patches[k].msg < 0)
				continue;
			if (!s->subject)
				s->subject = xstrdup(t->msgs[s->patches[k].msg].mi.subject);
			series_meta(s, t->msgs[s->patches[k].msg].mi.patch.buf);
		}
	}
}

/* The trailers of every reply, to the patch it is under, or to every
 * patch of each series whose cover letter it is under. */
static void tb_attach_trailers(struct thread_builder *b)
{
	struct thread *t = b->t;
	long *memo = xmalloc((t->nr ? t->nr : 1) * sizeof(*memo));
	size_t i, sj;
	int k;

	for (i = 0; i < t->nr; i++)
		memo[i] = -2;
	for (i = 0; i < t->nr; i++) {
		struct trailer *tr = NULL;
		size_t ntr = 0;
		long owner;

		if (t->msgs[i].role != ROLE_OTHER)
			continue;
		owner = owner_of(t, memo, (long)i);
		if (owner < 0 || !series_of(t, owner))
			continue;
		trailers_extract(t->msgs[i].mail.body, t->msgs[i].mail.msgid,
				 &tr, &ntr);
		drop_mismatched(&t->msgs[i], tr, &ntr);
		/* every series the message is in (a partial reroll shares) */
		for (sj = 0; sj < t->nseries; sj++) {
			struct series *s = &t->series[sj];

			for (k = 0; k < s->total; k++)
				if (s->patches[k].msg >= 0 &&
				    (s->cover == owner || s->patches[k].msg == owner))
					add_trailers(&s->patches[k], tr, ntr);
		}
		trailers_free(tr, ntr);
	}
	free(memo);
}

/* Newest version first. */
static void tb_order_series(struct thread_builder *b)
{
	qsort(b->t->series, b->t->nseries, sizeof(*b->t->series), cmp_series);
}

int thread_build(struct thread *t, char *data, size_t len,
		 const struct thread_opts *opts)
{
	struct thread_builder b;
	int ret = -1;

	thread_builder_init(&b, t, data, len, opts);
	if (tb_split_mbox(&b) || tb_index_messages(&b))
		goto out;
	tb_link_parents(&b);
	if (tb_group_series(&b))
		goto out;
	find_naked_covers(t);
	fill_partial_rerolls(t);
	tb_complete_series(&b);
	tb_attach_trailers(&b);
	tb_order_series(&b);
	ret = 0;
out:
	thread_builder_release(&b);
	return ret;
}

void thread_release(struct thread *t)
{
	size_t i;
	int k;

	for (i = 0; i < t->nseries; i++) {
		struct series *s = &t->series[i];

		for (k = 0; k < s->total; k++) {
			free(s->patches[k].diffstat);
			free(s->patches[k].diff);
			free(s->patches[k].message);
			trailers_free(s->patches[k].trailers,
				      s->patches[k].ntrailers);
		}
		free(s->patches);
		free(s->prefixes);
		free(s->subject);
		free(s->base_commit);
		free(s->prerequisites);
	}
	free(t->series);
	for (i = 0; i < t->nr; i++) {
		mail_release(&t->msgs[i].mail);
		subject_info_release(&t->msgs[i].si);
		mailinfo_release(&t->msgs[i].mi);
	}
	free(t->msgs);
	mbox_release(&t->mbox);
	free(t->data);
	memset(t, 0, sizeof(*t));
}

const char *series_msgid(const struct thread *t, const struct series *s)
{
	int k;

	if (s->cover >= 0 && !s->cover_inherited)
		return t->msgs[s->cover].mail.msgid;
	for (k = 0; k < s->total; k++)
		if (s->patches[k].msg >= 0 && !s->patches[k].inherited)
			return t->msgs[s->patches[k].msg].mail.msgid;
	if (s->cover >= 0)
		return t->msgs[s->cover].mail.msgid;
	for (k = 0; k < s->total; k++)
		if (s->patches[k].msg >= 0)
			return t->msgs[s->patches[k].msg].mail.msgid;
	return NULL;
}

int thread_select(const struct thread *t, int version, int allow_incomplete,
		  const struct series **out)
{
	const struct series *pick = NULL;
	size_t i;
	int k;

	*out = NULL;
	if (version) {
		for (i = 0; i < t->nseries; i++)
			if (t->series[i].version == version)
				pick = &t->series[i];
		if (!pick) {
			struct buf have = BUF_INIT;

			for (i = 0; i < t->nseries; i++)
				buf_addf(&have, "%sv%d", i ? ", " : "",
					 t->series[i].version);
			error("no v%d of the series in this thread (found %s)",
			      version, have.buf);
			buf_release(&have);
			return -1;
		}
	} else {
		for (i = 0; i < t->nseries && !pick; i++)
			if (t->series[i].complete)
				pick = &t->series[i];
		if (pick && pick != &t->series[0])
			notice("v%d is incomplete; using v%d",
			       t->series[0].version, pick->version);
		if (!pick)
			pick = &t->series[0];
	}
	if (!pick->complete && !allow_incomplete) {
		struct buf miss = BUF_INIT;

		for (k = 0; k < pick->total; k++)
			if (pick->patches[k].msg < 0)
				buf_addf(&miss, "%s%d/%d", miss.len ? ", " : "",
					 k + 1, pick->total);
		error("series v%d is incomplete: missing patch %s "
		      "(--allow-incomplete to take it anyway)",
		      pick->version, miss.buf);
		buf_release(&miss);
		return -1;
	}
	*out = pick;
	return 0;
}
