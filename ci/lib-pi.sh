# ci/lib-pi.sh: a local public-inbox as the lore peer (sourced by the demo,
# the benchmarks and the tests).  Needs PI_CONFIG and HOME set to a scratch
# place, and $PWB (for pwb mailsplit).

# pi_free_port: a TCP port nobody listens on
pi_free_port() {
	python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

# pi_inbox DIR NAME ADDRESS PORT MBOX...: a v2 inbox holding the messages
pi_inbox() {
	_dir=$1; _name=$2; _addr=$3; _port=$4; shift 4
	public-inbox-init -V2 "$_name" "$_dir/$_name" \
		"http://127.0.0.1:$_port/$_name" "$_addr" || return 1
	git config -f "$PI_CONFIG" publicinboxmda.spamcheck none
	for _mbox in "$@"; do
		rm -rf "$_dir/split"
		"$PWB" mailsplit --mboxrd "$_mbox" "$_dir/split" >/dev/null || return 1
		for _m in "$_dir/split"/*; do
			ORIGINAL_RECIPIENT="$_addr" \
				public-inbox-mda --no-precheck <"$_m" || return 1
		done
	done
	rm -rf "$_dir/split"
}

# pi_serve PORT LOG: start public-inbox-httpd; sets PI_PID; waits (10 s max)
pi_serve() {
	public-inbox-httpd -l "http://127.0.0.1:$1" >"$2" 2>&1 &
	PI_PID=$!
	pi_wait "http://127.0.0.1:$1/"
}

# pi_wait URL: until the server answers at all (10 s max)
pi_wait() {
	_i=0
	while [ $_i -lt 100 ]; do
		python3 -c "import urllib.request as u,sys
try: u.urlopen(sys.argv[1], timeout=1)
except u.HTTPError: pass
" "$1" 2>/dev/null && return 0
		sleep 0.1
		_i=$((_i + 1))
	done
	echo "server at $1 did not come up" >&2
	return 1
}
