#!/usr/bin/env python3
"""Write a 100-message lore-style thread holding a 30-patch series.

usage: make-big-thread.py OUT.mbox
Real git format-patch output (30 commits on a scratch repository), a cover
letter, and 69 replies spread over the patches and the cover, half of
them carrying trailers.  Deterministic: same bytes every run.
"""
import email.utils, os, re, subprocess, sys, tempfile, datetime

ENV = dict(os.environ, GIT_AUTHOR_NAME="Bench Author", GIT_AUTHOR_EMAIL="bench@example.com",
           GIT_COMMITTER_NAME="Bench Author", GIT_COMMITTER_EMAIL="bench@example.com",
           GIT_AUTHOR_DATE="2024-01-01 10:00:00 +0000", GIT_COMMITTER_DATE="2024-01-01 10:00:00 +0000",
           GIT_CONFIG_GLOBAL="/dev/null", GIT_CONFIG_NOSYSTEM="1")


def git(repo, *a):
    return subprocess.run(["git", "-C", repo, *a], check=True, capture_output=True, env=ENV).stdout.decode()


def main(out):
    repo = tempfile.mkdtemp(prefix="pwb-bench-")
    git(repo, "init", "-q")
    for f in range(30):
        with open(os.path.join(repo, "file%02d.c" % f), "w") as fh:
            fh.write("".join("int f%02d_%03d(void) { return %d; }\n" % (f, i, i) for i in range(200)))
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "base")
    base = git(repo, "rev-parse", "HEAD").strip()
    for f in range(30):
        p = os.path.join(repo, "file%02d.c" % f)
        s = open(p).read().replace("return 100;", "return -100; /* fixed */")
        open(p, "w").write(s)
        git(repo, "commit", "-qam", "file%02d: fix f%02d_100\n\nIt returned the wrong sign.\n\n"
            "Signed-off-by: Bench Author <bench@example.com>" % (f, f))
    fp = git(repo, "format-patch", "--stdout", "--cover-letter", "--base=" + base, base + "..HEAD")
    subprocess.run(["rm", "-rf", repo], check=True)
    parts = [m for m in re.split(r"^From [0-9a-f]{40} Mon Sep 17 00:00:00 2001\n", fp, flags=re.M) if m]
    ids = ["20240101100000.%d-bench@example.com" % i for i in range(len(parts))]
    t0 = datetime.datetime(2024, 1, 1, 10, 0, tzinfo=datetime.timezone.utc)
    msgs = []
    for i, m in enumerate(parts):
        head, body = m.split("\n\n", 1)
        head = re.sub(r"(?m)^(Message-Id|Date|In-Reply-To|References):.*\n(\s.*\n)*", "", head + "\n")
        head = head.replace("*** SUBJECT HERE ***", "fix thirty sign errors")
        body = body.replace("*** BLURB HERE ***", "Thirty small fixes.")
        head += "Date: %s\nMessage-ID: <%s>\n" % (email.utils.format_datetime(t0 + datetime.timedelta(seconds=i)), ids[i])
        if i:
            head += "In-Reply-To: <%s>\nReferences: <%s>\n" % (ids[0], ids[0])
        msgs.append(head + "\n" + body)
    for r in range(69):
        target = r % 31
        tid = ids[target]
        subj = re.search(r"(?m)^Subject: (.*)$", msgs[target]).group(1)
        body = "> quoted text of the patch\n> more\n\nThanks.\n"
        if r % 2 == 0:
            body += "\nReviewed-by: Reviewer %d <rev%d@example.com>\n" % (r, r)
        msgs.append("From: Reviewer %d <rev%d@example.com>\nSubject: Re: %s\nDate: %s\n"
                    "Message-ID: <reply%d.bench@example.com>\nIn-Reply-To: <%s>\nReferences: <%s> <%s>\n"
                    "\n%s" % (r, r, subj, email.utils.format_datetime(t0 + datetime.timedelta(minutes=r + 1)),
                              r, tid, ids[0], tid, body))
    with open(out, "wb") as fh:
        for m in msgs:
            m = re.sub(r"(?m)^(>*From )", r">\1", m)
            fh.write(b"From mboxrd@z Thu Jan  1 00:00:00 1970\n" + m.encode() + b"\n")
    print(ids[0])


if __name__ == "__main__":
    main(sys.argv[1])
