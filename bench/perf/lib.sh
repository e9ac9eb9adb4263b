# bench/perf/lib.sh: shared by the benchmark scripts (sourced).
# Timing is wall clock; each script measures pwb and its peer in the same
# run, alternating, and prints medians and their ratio.

now() { date +%s.%N; }

# elapsed START END -> seconds
elapsed() { echo "$2 - $1" | bc -l; }

median() {
	echo "$@" | tr ' ' '\n' | grep . | sort -g |
		awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'
}

ratio() { echo "$1 / $2" | bc -l; }
