#!/usr/bin/env python3
"""A lore-like HTTP server that misbehaves on purpose, for pwb's fetch tests.

GET /MODE/<msgid>/t.mbox.gz, MODE one of:
  ok        the fixture thread (mmn-pairing), gzip'd mboxrd, as lore serves it
  html      200 with an HTML page
  trunc     200 with the gzip cut in half
  404       404
  503       503 with Retry-After: 1, always
  503once   503 with Retry-After: 1, then the thread
  bomb      200 with a small gzip that inflates to 80 MiB of zeros after a From line
  big       200 with 4 MiB of gzip data (for the compressed-size cap)
  stall     200 headers, then nothing
  nomsgid   the thread with one reply's Message-ID removed
  dupid     the thread with two different messages sharing one Message-ID
  nopatch   a thread without patches
  badutf    the thread with invalid UTF-8 in a patch
  redirfile 302 to file:///etc/passwd
  redirnet  302 to http://192.0.2.1:9/... (TEST-NET-1: plain http off loopback)
  redirhost 302 to http://127.0.0.1.evil.invalid:PORT/ok/... (not loopback)
  redirok   302 to http://127.0.0.1:PORT/redir2/..., which 301s to /ok/...
  redirloop 302 to itself, for ever
Each request appends its path to HITS (argv[3]).  A request for an absolute
URL (GET http://host/..., or CONNECT host:port) is one sent through this
server as a proxy: the tests that set http_proxy to this server make sure
that no request ever leaves the machine, even if pwb followed a redirect it
must refuse.  Such a request is logged (as "PROXY <target>") and answered
with 502.
"""
import gzip, http.server, io, os, sys, time

PORT, FIX, HITS = int(sys.argv[1]), sys.argv[2], sys.argv[3]


def thread(name="mmn-pairing.mbox"):
    return open(os.path.join(FIX, name), "rb").read()


seen = set()


class H(http.server.BaseHTTPRequestHandler):
    def log_message(self, *a):
        pass

    def send(self, code, body, ctype="application/gzip", extra=()):
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for k, v in extra:
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)

    def redirect(self, code, location):
        self.send_response(code)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def proxied(self):
        with open(HITS, "a") as f:
            f.write("PROXY " + self.path + "\n")
        self.send(502, b"not a proxy", "text/plain")

    do_CONNECT = proxied

    def do_GET(self):
        if not self.path.startswith("/"):
            return self.proxied()
        with open(HITS, "a") as f:
            f.write(self.path + "\n")
        mode = self.path.strip("/").split("/")[0]
        rest = self.path[len(mode) + 1:]
        t = thread()
        if mode == "ping":
            return self.send(200, b"pong", "text/plain")
        if mode == "ok":
            return self.send(200, gzip.compress(t))
        if mode == "html":
            return self.send(200, b"<!DOCTYPE html><html><body>Not here</body></html>",
                             "text/html; charset=UTF-8")
        if mode == "trunc":
            g = gzip.compress(t)
            return self.send(200, g[: len(g) // 2])
        if mode == "404":
            return self.send(404, b"not found", "text/plain")
        if mode == "503":
            return self.send(503, b"busy", "text/plain", [("Retry-After", "1")])
        if mode == "503once":
            if self.path not in seen:
                seen.add(self.path)
                return self.send(503, b"busy", "text/plain", [("Retry-After", "1")])
            return self.send(200, gzip.compress(t))
        if mode == "bomb":
            buf = io.BytesIO()
            with gzip.GzipFile(fileobj=buf, mode="wb") as z:
                z.write(b"From mboxrd@z Thu Jan  1 00:00:00 1970\nSubject: x\n\n")
                chunk = b"\0" * (1 << 20)
                for _ in range(80):
                    z.write(chunk)
            return self.send(200, buf.getvalue())
        if mode == "big":
            return self.send(200, b"\x1f\x8b" + os.urandom(4 << 20))
        if mode == "stall":
            self.send_response(200)
            self.send_header("Content-Type", "application/gzip")
            self.send_header("Content-Length", "100000")
            self.end_headers()
            self.wfile.write(gzip.compress(t)[:100])
            self.wfile.flush()
            time.sleep(30)
            return
        if mode == "dies":
            # the server goes away in the middle of the body
            g = gzip.compress(t)
            self.send_response(200)
            self.send_header("Content-Type", "application/gzip")
            self.send_header("Content-Length", str(len(g)))
            self.end_headers()
            self.wfile.write(g[: len(g) // 3])
            self.wfile.flush()
            self.connection.shutdown(2)
            self.close_connection = True
            return
        if mode == "nomsgid":
            return self.send(200, gzip.compress(
                t.replace(b"Message-ID: <20190815091500.bbbb@example.com>\n", b"")))
        if mode == "dupid":
            return self.send(200, gzip.compress(
                t.replace(b"20190815091500.bbbb@example.com", b"20190815090000.aaaa@example.org")))
        if mode == "nopatch":
            return self.send(200, gzip.compress(thread("no-patch.mbox")))
        if mode == "badutf":
            return self.send(200, gzip.compress(t.replace(
                b"document the pairing rule\n", b"document the pairing \xff\xfe rule\n", 1)))
        if mode == "redirfile":
            self.send_response(302)
            self.send_header("Location", "file:///etc/passwd")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        if mode == "redirnet":
            return self.redirect(302, "http://192.0.2.1:9" + rest)
        if mode == "redirhost":
            return self.redirect(302, "http://127.0.0.1.evil.invalid:%d/ok%s" % (PORT, rest))
        if mode == "redirok":
            return self.redirect(302, "http://127.0.0.1:%d/redir2%s" % (PORT, rest))
        if mode == "redir2":
            return self.redirect(301, "/ok" + rest)
        if mode == "redirloop":
            return self.redirect(302, self.path)
        return self.send(404, b"unknown mode", "text/plain")


class S(http.server.ThreadingHTTPServer):
    daemon_threads = True


S(("127.0.0.1", PORT), H).serve_forever()
