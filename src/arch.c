#include "arch.h"
#include "ctx.h"
#include "util/buf.h"
#include "util/util.h"

#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>

static const char *const x86_64_args[] = { NULL };
static const char *const arm64_args[] = { "-M", "virt", "-cpu", "cortex-a57",
					  NULL };

static const struct arch arches[] = {
	{
		.name = "x86_64",
		.uname = "x86_64",
		.kernel_arch = "x86_64",
		.src_dir = "arch/x86",
		.cross_compile = "x86_64-linux-gnu-",
		.cross_package = "gcc-x86-64-linux-gnu",
		.image_target = "bzImage",
		.image_path = "arch/x86/boot/bzImage",
		.default_config = "qemu-x86_64",
		.qemu = "qemu-system-x86_64",
		.qemu_package = "qemu-system-x86",
		.qemu_args = x86_64_args,
		.console = "ttyS0,115200",
		.busybox = "/bin/busybox",
	},
	{
		.name = "arm64",
		.uname = "aarch64",
		.kernel_arch = "arm64",
		.src_dir = "arch/arm64",
		.cross_compile = "aarch64-linux-gnu-",
		.cross_package = "gcc-aarch64-linux-gnu",
		.image_target = "Image",
		.image_path = "arch/arm64/boot/Image",
		.default_config = "qemu-arm64",
		.qemu = "qemu-system-aarch64",
		.qemu_package = "qemu-system-arm",
		.qemu_args = arm64_args,
		.console = "ttyAMA0",
		.busybox = "arm64/busybox",
	},
};
#define NARCHES (sizeof(arches) / sizeof(arches[0]))

static const struct toolchain toolchains[] = {
	{ .name = "gcc", .compiler = "gcc", .cross_prefixed = 1,
	  .make_var = NULL, .package = "gcc" },
	{ .name = "clang", .compiler = "clang", .cross_prefixed = 0,
	  .make_var = "LLVM=1", .package = "clang lld llvm" },
};
#define NTOOLCHAINS (sizeof(toolchains) / sizeof(toolchains[0]))

const struct arch *arch_find(const char *name)
{
	size_t i;

	for (i = 0; name && i < NARCHES; i++)
		if (!strcmp(arches[i].name, name))
			return &arches[i];
	return NULL;
}

const struct arch *arch_default(void)
{
	return &arches[0];
}

const char *arch_names(void)
{
	return "x86_64, arm64";
}

int arch_is_native(const struct arch *a)
{
	struct utsname u;

	return uname(&u) == 0 && !strcmp(u.machine, a->uname);
}

const char *arch_cross(const struct arch *a)
{
	return arch_is_native(a) ? "" : a->cross_compile;
}

const struct arch *arch_of_default_config(const char *name)
{
	size_t i;

	for (i = 0; name && i < NARCHES; i++)
		if (!strcmp(arches[i].default_config, name))
			return &arches[i];
	return NULL;
}

char *arch_busybox(const struct arch *a)
{
	if (a->busybox[0] == '/')
		return xstrdup(a->busybox);
	return host_cache_path(a->busybox);
}

const struct toolchain *toolchain_find(const char *name)
{
	size_t i;

	for (i = 0; name && i < NTOOLCHAINS; i++)
		if (!strcmp(toolchains[i].name, name))
			return &toolchains[i];
	return NULL;
}

const struct toolchain *toolchain_default(void)
{
	return &toolchains[0];
}

const char *toolchain_names(void)
{
	return "gcc, clang";
}

char *toolchain_cc(const struct toolchain *t, const struct arch *a)
{
	return xstrfmt("%s%s", t->cross_prefixed ? arch_cross(a) : "",
		       t->compiler);
}

size_t arch_make_vars(const struct arch *a, const struct toolchain *t,
		      int ccache, char **argv, size_t max)
{
	const char *cross = arch_cross(a);
	size_t n = 0;

	if (max < 5)
		return 0;
	argv[n++] = xstrfmt("ARCH=%s", a->kernel_arch);
	/* clang takes its target from ARCH; gcc from the prefix */
	if (*cross && t->cross_prefixed)
		argv[n++] = xstrfmt("CROSS_COMPILE=%s", cross);
	if (t->make_var)
		argv[n++] = xstrdup(t->make_var);
	if (ccache) {
		char *cc = toolchain_cc(t, a);

		argv[n++] = xstrfmt("CC=ccache %s", cc);
		free(cc);
	}
	argv[n] = NULL;
	return n;
}

void arch_make_vars_free(char **argv)
{
	size_t i;

	for (i = 0; argv[i]; i++)
		free(argv[i]);
	argv[0] = NULL;
}

int target_resolve(struct pwb_ctx *ctx, const char *opt_arch,
		   const char *opt_tc, const struct arch **a,
		   const struct toolchain **t)
{
	char *ca = opt_arch ? NULL : ctx_config_get(ctx, "build.arch");
	char *ct = opt_tc ? NULL : ctx_config_get(ctx, "build.toolchain");
	int ret = 0;

	*a = opt_arch ? arch_find(opt_arch) : ca ? arch_find(ca) : arch_default();
	*t = opt_tc ? toolchain_find(opt_tc) : ct ? toolchain_find(ct) :
		      toolchain_default();
	if (!*a)
		ret = error("%s %s: not an arch pwb builds for (%s)",
			    opt_arch ? "--arch" : "build.arch =",
			    opt_arch ? opt_arch : ca, arch_names());
	else if (!*t)
		ret = error("%s %s: not a toolchain pwb builds with (%s)",
			    opt_tc ? "--toolchain" : "build.toolchain =",
			    opt_tc ? opt_tc : ct, toolchain_names());
	free(ca);
	free(ct);
	return ret;
}

const char *arch_config(const struct arch *a, const char *config)
{
	return config && arch_of_default_config(config) ? a->default_config :
	       config;
}
