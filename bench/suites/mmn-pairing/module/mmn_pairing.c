// SPDX-License-Identifier: GPL-2.0
/*
 * mmn_pairing: mmu-notifier subscriptions that count, for pwb's
 * mmn-pairing suite.
 *
 * Writing "setup N F" to /sys/kernel/debug/mmn_pairing/ctl registers N
 * subscriptions on the writer's mm.  The subscription at list position F
 * (0 = called first; -1 = none) fails every non-blockable
 * invalidate_range_start with -EAGAIN and, as the 6.1 contract requires
 * of such a subscription, has no invalidate_range_end.  The others count
 * their starts and ends.  Subscriptions sit on an hlist in reverse
 * registration order, so position F is registered as number N-1-F.
 *
 * Writing "block MS" waits uninterruptibly for at most MS milliseconds: a
 * task that is OOM-killed meanwhile cannot exit, so the OOM reaper (the
 * non-blocking path) handles its mm.  Writing "release" ends that wait
 * early, once the driver has read what it needs from the victim.
 * Writing "setup 0 -1" forgets the subscriptions (a case without any).
 *
 * Reading ctl prints one line per subscription, in list order:
 *   sub=F fails=0|1 starts=S ends=E refused=R blockable=B
 */
#include <linux/completion.h>
#include <linux/debugfs.h>
#include <linux/jiffies.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/mmu_notifier.h>
#include <linux/module.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#define MAX_SUBS 8

struct counting_sub {
	struct mmu_notifier mn;
	int pos;		/* position in the notifier list */
	bool fails;
	atomic_t starts, ends, refused, blockable;
};

static struct counting_sub *subs[MAX_SUBS];
static int nsubs;
static DEFINE_MUTEX(lock);
static DECLARE_COMPLETION(release);
static struct dentry *dir;

static int count_start(struct mmu_notifier *mn,
		       const struct mmu_notifier_range *range)
{
	struct counting_sub *s = container_of(mn, struct counting_sub, mn);

	if (mmu_notifier_range_blockable(range))
		atomic_inc(&s->blockable);
	atomic_inc(&s->starts);
	return 0;
}

static void count_end(struct mmu_notifier *mn,
		      const struct mmu_notifier_range *range)
{
	struct counting_sub *s = container_of(mn, struct counting_sub, mn);

	atomic_inc(&s->ends);
}

static int refuse_start(struct mmu_notifier *mn,
			const struct mmu_notifier_range *range)
{
	struct counting_sub *s = container_of(mn, struct counting_sub, mn);

	if (!mmu_notifier_range_blockable(range)) {
		atomic_inc(&s->refused);
		return -EAGAIN;
	}
	atomic_inc(&s->blockable);
	atomic_inc(&s->starts);
	return 0;
}

static const struct mmu_notifier_ops counting_ops = {
	.invalidate_range_start = count_start,
	.invalidate_range_end = count_end,
};

/* no invalidate_range_end: a start that can fail must not have one */
static const struct mmu_notifier_ops refusing_ops = {
	.invalidate_range_start = refuse_start,
};

static int setup(int n, int fail_pos)
{
	int i, ret;

	if (n < 0 || n > MAX_SUBS || fail_pos < -1 || fail_pos >= n)
		return -EINVAL;
	/*
	 * Earlier subscriptions stay registered on their (dead) mm; they are
	 * only forgotten here, never freed, which is fine in a test guest.
	 */
	nsubs = 0;
	for (i = 0; i < n; i++) {
		int pos = n - 1 - i;	/* registered last = called first */
		struct counting_sub *s = kzalloc(sizeof(*s), GFP_KERNEL);

		if (!s)
			return -ENOMEM;
		s->pos = pos;
		s->fails = pos == fail_pos;
		s->mn.ops = s->fails ? &refusing_ops : &counting_ops;
		ret = mmu_notifier_register(&s->mn, current->mm);
		if (ret) {
			kfree(s);
			return ret;
		}
		subs[pos] = s;
	}
	nsubs = n;
	return 0;
}

static ssize_t ctl_write(struct file *f, const char __user *ubuf, size_t len,
			 loff_t *off)
{
	char buf[64];
	int a, b, ret;

	if (len >= sizeof(buf))
		return -EINVAL;
	if (copy_from_user(buf, ubuf, len))
		return -EFAULT;
	buf[len] = '\0';
	if (sscanf(buf, "setup %d %d", &a, &b) == 2) {
		mutex_lock(&lock);
		ret = setup(a, b);
		mutex_unlock(&lock);
		return ret ? ret : len;
	}
	if (sscanf(buf, "block %d", &a) == 1 && a > 0 && a <= 600000) {
		reinit_completion(&release);
		/* TASK_UNINTERRUPTIBLE: SIGKILL waits for the end of it */
		wait_for_completion_timeout(&release, msecs_to_jiffies(a));
		return len;
	}
	if (!strcmp(buf, "release") || !strcmp(buf, "release\n")) {
		complete_all(&release);
		return len;
	}
	return -EINVAL;
}

static ssize_t ctl_read(struct file *f, char __user *ubuf, size_t len,
			loff_t *off)
{
	char *buf;
	int i, n = 0;
	ssize_t ret;

	buf = kzalloc(PAGE_SIZE, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	mutex_lock(&lock);
	for (i = 0; i < nsubs; i++)
		n += scnprintf(buf + n, PAGE_SIZE - n,
			       "sub=%d fails=%d starts=%d ends=%d refused=%d blockable=%d\n",
			       subs[i]->pos, subs[i]->fails,
			       atomic_read(&subs[i]->starts),
			       atomic_read(&subs[i]->ends),
			       atomic_read(&subs[i]->refused),
			       atomic_read(&subs[i]->blockable));
	mutex_unlock(&lock);
	ret = simple_read_from_buffer(ubuf, len, off, buf, n);
	kfree(buf);
	return ret;
}

static const struct file_operations ctl_fops = {
	.owner = THIS_MODULE,
	.read = ctl_read,
	.write = ctl_write,
	.llseek = default_llseek,
};

static int __init mmn_pairing_init(void)
{
	dir = debugfs_create_dir("mmn_pairing", NULL);
	debugfs_create_file("ctl", 0600, dir, NULL, &ctl_fops);
	return 0;
}

/* no module_exit: registered subscriptions point at this module's ops,
 * so it must never be unloaded */
module_init(mmn_pairing_init);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("counting mmu-notifier subscriptions for pwb's mmn-pairing suite");
