# tests/lib-lore.sh: a real public-inbox on 127.0.0.1 for the fetch tests,
# and a small fault-injecting HTTP server for what public-inbox never does
# (503, HTML, truncated gzip, stalls).  Both are stopped at exit.

# pi_start INBOX MBOX...: make a v2 inbox, deliver the messages, serve it.
# Sets PI_URL (http://127.0.0.1:PORT/INBOX/).
pi_start() {
	name=$1; shift
	export PI_CONFIG="$TRASH/pi/config"
	mkdir -p "$TRASH/pi"
	PI_PORT=$(free_port)
	public-inbox-init -V2 "$name" "$TRASH/pi/$name" \
		"http://127.0.0.1:$PI_PORT/$name" "$name@example.com" || return 1
	git config -f "$PI_CONFIG" publicinboxmda.spamcheck none
	for mbox in "$@"; do
		"$PWB" mailsplit --mboxrd "$mbox" "$TRASH/pi/split" >/dev/null || return 1
		for m in "$TRASH/pi/split"/*; do
			ORIGINAL_RECIPIENT="$name@example.com" \
				public-inbox-mda --no-precheck <"$m" || return 1
		done
		rm -rf "$TRASH/pi/split"
	done
	public-inbox-httpd -l "http://127.0.0.1:$PI_PORT" \
		>"$TRASH/pi/httpd.log" 2>&1 &
	PI_PID=$!
	test_at_exit "kill $PI_PID; wait $PI_PID"
	PI_URL="http://127.0.0.1:$PI_PORT/$name/"
	wait_http "$PI_URL"
}

pi_stop() {
	kill "$PI_PID" 2>/dev/null
	wait "$PI_PID" 2>/dev/null
	return 0
}

# fault_start: the fault server on a free port; sets FAULT_URL.
fault_start() {
	FAULT_PORT=$(free_port)
	python3 "$SRCDIR/tests/fault-server.py" "$FAULT_PORT" \
		"$SRCDIR/tests/fixtures/threads" "$TRASH/fault-hits" \
		>"$TRASH/fault.log" 2>&1 &
	FAULT_PID=$!
	test_at_exit "kill $FAULT_PID; wait $FAULT_PID"
	FAULT_URL="http://127.0.0.1:$FAULT_PORT"
	wait_http "$FAULT_URL/ping"
}

# Poll until the URL answers (bounded: 10 s).
wait_http() {
	i=0
	while [ $i -lt 100 ]; do
		python3 -c "import urllib.request as u,sys
try: u.urlopen(sys.argv[1], timeout=1)
except u.HTTPError: pass
" "$1" 2>/dev/null && return 0
		sleep 0.1
		i=$((i + 1))
	done
	echo "server at $1 did not come up"; return 1
}
