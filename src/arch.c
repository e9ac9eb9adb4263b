#include "arch.h"

#include <string.h>

static const char *const x86_64_args[] = { NULL };

static const struct arch arches[] = {
	{
		.name = "x86_64",
		.image_target = "bzImage",
		.image_path = "arch/x86/boot/bzImage",
		.default_config = "qemu-x86_64",
		.qemu = "qemu-system-x86_64",
		.qemu_package = "qemu-system-x86",
		.qemu_args = x86_64_args,
		.console = "ttyS0,115200",
	},
};

const struct arch *arch_find(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(arches) / sizeof(arches[0]); i++)
		if (!strcmp(arches[i].name, name))
			return &arches[i];
	return NULL;
}

const struct arch *arch_default(void)
{
	return &arches[0];
}
