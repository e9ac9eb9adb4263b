#!/usr/bin/env python3
"""Write an N-message reply chain: one patch, then N-1 replies, each in
reply to the one before (In-Reply-To the parent, References the patch and
the parent), every tenth carrying a Reviewed-by.

usage: make-chain.py N OUT.mbox
Deterministic: same bytes every run.  Prints the patch's message-id.
"""
import sys

PATCH = """\
From: Chain Author <chain@example.com>
Subject: [PATCH] chain: fix the sign of f()
Date: Mon, 1 Jan 2024 10:00:00 +0000
Message-ID: <chain.0@example.com>

It returned the wrong sign.

Signed-off-by: Chain Author <chain@example.com>
---
 f.c | 2 +-
 1 file changed, 1 insertion(+), 1 deletion(-)

diff --git a/f.c b/f.c
index 0000001..0000002 100644
--- a/f.c
+++ b/f.c
@@ -1 +1 @@
-int f(void) { return 1; }
+int f(void) { return -1; }
-- 
2.39.2

"""


def main(n, out):
    with open(out, "w") as fh:
        fh.write("From mboxrd@z Thu Jan  1 00:00:00 1970\n" + PATCH)
        for i in range(1, n):
            body = "> quoted\n\nReply %d.\n" % i
            if i % 10 == 0:
                body += "\nReviewed-by: Reviewer %d <rev%d@example.com>\n" % (i, i)
            fh.write("From mboxrd@z Thu Jan  1 00:00:00 1970\n"
                     "From: Reviewer %d <rev%d@example.com>\n"
                     "Subject: Re: [PATCH] chain: fix the sign of f()\n"
                     "Date: Mon, 1 Jan 2024 10:00:00 +0000\n"
                     "Message-ID: <chain.%d@example.com>\n"
                     "In-Reply-To: <chain.%d@example.com>\n"
                     "References: <chain.0@example.com> <chain.%d@example.com>\n"
                     "\n%s\n" % (i, i, i, i - 1, i - 1, body))
    print("chain.0@example.com")


if __name__ == "__main__":
    main(int(sys.argv[1]), sys.argv[2])
