#include "parse-options.h"
#include "util/buf.h"
#include "util/util.h"

#include <getopt.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

void usage_with_options(FILE *f, const char *const *usage, const char *text,
			const struct opt *opts)
{
	const struct opt *o;
	size_t i;

	for (i = 0; usage[i]; i++)
		fprintf(f, "%s %s\n", i ? "   or:" : "usage:", usage[i]);
	if (text && *text)
		fprintf(f, "\n%s", text);
	fputs("\noptions:\n", f);
	for (o = opts; o->type != OPT_T_END; o++) {
		struct buf b = BUF_INIT;

		if (o->short_name)
			buf_addf(&b, "-%c, ", o->short_name);
		buf_addf(&b, "--%s", o->long_name);
		if (o->argh)
			buf_addf(&b, " %s", o->argh);
		fprintf(f, "  %-24s %s%s\n", b.buf, o->help ? o->help : "",
			o->type == OPT_T_LIST && o->max != 1 ?
			" (repeatable)" : "");
		buf_release(&b);
	}
	fprintf(f, "  %-24s %s\n", "-h, --help", "this text");
}

/*
 * The same in lines a generator reads (PWB_HELP_DUMP set: the man pages
 * and the bash completion, ci/gen-doc.sh): "usage\tLINE" each usage line,
 * "text\tLINE" each line of text, then
 * "option\tSHORT\tLONG\tARG\tHELP\tREPEATABLE" each option (SHORT and ARG
 * empty when there is none, REPEATABLE 0 or 1).
 */
static void usage_dump(FILE *f, const char *const *usage, const char *text,
		       const struct opt *opts)
{
	const struct opt *o;
	const char *t, *nl;
	size_t i;

	for (i = 0; usage[i]; i++)
		fprintf(f, "usage\t%s\n", usage[i]);
	for (t = text; t && *t; t = nl + 1) {
		nl = strchrnul(t, '\n');
		fprintf(f, "text\t%.*s\n", (int)(nl - t), t);
		if (!*nl)
			break;
	}
	for (o = opts; o->type != OPT_T_END; o++) {
		char s[2] = { (char)o->short_name, 0 };

		fprintf(f, "option\t%s\t%s\t%s\t%s\t%d\n", s, o->long_name,
			o->argh ? o->argh : "", o->help ? o->help : "",
			o->type == OPT_T_LIST);
	}
	fprintf(f, "option\th\thelp\t\tthis text\t0\n");
}

static int opt_error(const char *const *usage, const char *text,
		     const struct opt *opts, const char *msg)
{
	error("%s", msg);
	usage_with_options(stderr, usage, text, opts);
	return PARSE_OPT_ERROR;
}

int usage_with_options_error(const char *const *usage, const char *text,
			     const struct opt *opts, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	opt_error(usage, text, opts, msg);
	return 129;
}

int parse_options_exit(int rc)
{
	return rc == PARSE_OPT_HELP ? 0 : 129;
}

static int set_value(const struct opt *o, const char *arg, char *msg,
		     size_t n)
{
	struct opt_list *l;
	long v;

	switch (o->type) {
	case OPT_T_FLAG:
		*(int *)o->value = 1;
		break;
	case OPT_T_STRING:
		*(const char **)o->value = arg;
		break;
	case OPT_T_LONG:
		if (parse_long(arg, &v) || v < o->min || v > o->max) {
			snprintf(msg, n, "--%s takes %ld..%ld, not '%s'",
				 o->long_name, o->min, o->max, arg);
			return -1;
		}
		*(long *)o->value = v;
		break;
	case OPT_T_LIST:
		l = o->value;
		l->v = xrealloc(l->v, (l->n + 1) * sizeof(*l->v));
		l->v[l->n++] = arg;
		break;
	default:
		break;
	}
	return 0;
}

int parse_options(int argc, char **argv, const char *const *usage,
		  const char *text, const struct opt *opts)
{
	struct option *lo;
	struct buf shorts = BUF_INIT;
	const struct opt *o;
	size_t n = 0, i;
	int c, idx, ret = PARSE_OPT_ERROR, nargs;
	char msg[512];

	for (o = opts; o->type != OPT_T_END; o++)
		n++;
	lo = xcalloc(n + 2, sizeof(*lo));
	/* "-": operands come back as option 1, in order, wherever they are */
	buf_addstr(&shorts, "-:h");
	for (i = 0; i < n; i++) {
		lo[i].name = opts[i].long_name;
		lo[i].has_arg = opts[i].type == OPT_T_FLAG ? no_argument :
				required_argument;
		lo[i].val = 256 + (int)i;
		if (opts[i].short_name) {
			buf_addch(&shorts, opts[i].short_name);
			if (opts[i].type != OPT_T_FLAG)
				buf_addch(&shorts, ':');
		}
	}
	lo[n].name = "help";
	lo[n].val = 'h';
	nargs = 0;
	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, shorts.buf, lo, &idx)) != -1) {
		const struct opt *hit = NULL;

		if (c == 1) {
			argv[++nargs] = optarg;
			continue;
		}
		if (c == 'h') {
			if (getenv("PWB_HELP_DUMP"))
				usage_dump(stdout, usage, text, opts);
			else
				usage_with_options(stdout, usage, text, opts);
			ret = PARSE_OPT_HELP;
			goto out;
		}
		if (c >= 256)
			hit = &opts[c - 256];
		for (o = opts; !hit && o->type != OPT_T_END; o++)
			if (o->short_name && o->short_name == c)
				hit = o;
		if (c == '?' || c == ':' || !hit) {
			const char *what = argv[optind - 1];

			if (c == ':')
				snprintf(msg, sizeof(msg), "%s needs a value", what);
			else if (optopt && starts_with(what, "--") &&
				 strchr(what, '='))
				/* a known flag given a value (optopt: its val) */
				snprintf(msg, sizeof(msg), "%.*s takes no value",
					 (int)(strchr(what, '=') - what), what);
			else if (optopt && optopt < 256)
				snprintf(msg, sizeof(msg), "unknown option '-%c'",
					 optopt);
			else
				snprintf(msg, sizeof(msg), "unknown option '%s'",
					 what);
			ret = opt_error(usage, text, opts, msg);
			goto out;
		}
		if (set_value(hit, optarg, msg, sizeof(msg))) {
			ret = opt_error(usage, text, opts, msg);
			goto out;
		}
	}
	/* after "--": the rest are operands */
	while (optind < argc)
		argv[++nargs] = argv[optind++];
	argv[nargs + 1] = NULL;
	ret = nargs;
out:
	free(lo);
	buf_release(&shorts);
	optind = 0;
	return ret;
}
