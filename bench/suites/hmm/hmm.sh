# bench/suites/hmm/hmm.sh: run by the guest's busybox sh as the hmm suite.
# What the selftest's own test_hmm.sh does for its smoke test, without
# modprobe (the initramfs has no module tree): load lib/test_hmm.c (two
# device-private mirrors, /dev/hmm_dmirror0 and 1, made by devtmpfs; the
# coherent ones need firmware-reserved memory, so their variants skip),
# then run hmm-tests, whose TAP pwb reads.
#
# anon_write_hugetlbfs needs free huge pages: reserve a few (2 MB each on
# x86_64 and arm64 with 4K pages); without them the case skips with
# "Huge page could not be allocated".
echo 4 >/proc/sys/vm/nr_hugepages
insmod /pwb/test_hmm.ko || exit 1
exec /pwb/hmm-tests "$@"
