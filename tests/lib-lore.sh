# tests/lib-lore.sh: a real public-inbox on 127.0.0.1 for the fetch tests,
# and a small fault-injecting HTTP server for what public-inbox never does
# (503, HTML, truncated gzip, stalls).  Both are stopped at exit.

. "$SRCDIR/ci/lib-pi.sh"

# pi_start INBOX MBOX...: make a v2 inbox, deliver the messages, serve it.
# Sets PI_URL (http://127.0.0.1:PORT/INBOX/).
pi_start() {
	name=$1; shift
	export PI_CONFIG="$TRASH/pi/config"
	mkdir -p "$TRASH/pi"
	PI_PORT=$(pi_free_port)
	pi_inbox "$TRASH/pi" "$name" "$name@example.com" "$PI_PORT" "$@" || return 1
	pi_serve "$PI_PORT" "$TRASH/pi/httpd.log" || return 1
	test_at_exit "kill $PI_PID; wait $PI_PID"
	PI_URL="http://127.0.0.1:$PI_PORT/$name/"
}

pi_stop() {
	kill "$PI_PID" 2>/dev/null
	wait "$PI_PID" 2>/dev/null
	return 0
}

# fault_start: the fault server on a free port; sets FAULT_URL.
fault_start() {
	FAULT_PORT=$(pi_free_port)
	python3 "$SRCDIR/tests/fault-server.py" "$FAULT_PORT" \
		"$SRCDIR/tests/fixtures/threads" "$TRASH/fault-hits" \
		>"$TRASH/fault.log" 2>&1 &
	FAULT_PID=$!
	test_at_exit "kill $FAULT_PID; wait $FAULT_PID"
	FAULT_URL="http://127.0.0.1:$FAULT_PORT"
	pi_wait "$FAULT_URL/ping"
}
