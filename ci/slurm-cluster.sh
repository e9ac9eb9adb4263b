#!/bin/sh
# A one-node Slurm cluster on 127.0.0.1 for the tests (and for trying
# `--on slurm` on one machine): slurmctld and slurmd from Debian's
# slurm-wlm, state, spool, logs and slurm.conf all under DIR.
#   ci/slurm-cluster.sh start DIR [PORT]  prints "export SLURM_CONF=DIR/slurm.conf"
#   ci/slurm-cluster.sh stop DIR
# auth/none: the cluster trusts every local user, acceptable for a
# throw-away cluster on the loopback address, never for a real one (use
# munge there).  The daemons run as root (SlurmUser=root), as the jobs do.
set -eu
cmd=${1:?start|stop}
DIR=${2:?directory}
PORT=${3:-6817}

stop() {
	for p in slurmd slurmctld; do
		[ -f "$DIR/$p.pid" ] || continue
		pid=$(cat "$DIR/$p.pid")
		kill "$pid" 2>/dev/null || true
		i=0
		while kill -0 "$pid" 2>/dev/null && [ $i -lt 50 ]; do
			sleep 0.1
			i=$((i + 1))
		done
		kill -9 "$pid" 2>/dev/null || true
		rm -f "$DIR/$p.pid"
	done
}

case $cmd in
stop)
	stop
	exit 0
	;;
start) ;;
*)
	echo "usage: $0 start|stop DIR [PORT]" >&2
	exit 2
	;;
esac

for b in slurmctld slurmd sbatch squeue; do
	command -v "$b" >/dev/null || [ -x "/usr/sbin/$b" ] ||
		{ echo "ci/slurm-cluster.sh: $b missing (make deps installs slurm-wlm)" >&2; exit 1; }
done
mkdir -p "$DIR/state" "$DIR/spool"
DIR=$(cd "$DIR" && pwd)
host=$(hostname -s)
cpus=$(nproc)
mem=$(awk '/MemTotal/ { print int($2 / 1024 * 0.9) }' /proc/meminfo)
cat >"$DIR/slurm.conf" <<EOF
ClusterName=pwbtest
SlurmctldHost=$host(127.0.0.1)
SlurmctldPort=$PORT
SlurmdPort=$((PORT + 1))
SlurmUser=root
AuthType=auth/none
CredType=cred/none
StateSaveLocation=$DIR/state
SlurmdSpoolDir=$DIR/spool
SlurmctldPidFile=$DIR/slurmctld.pidf
SlurmdPidFile=$DIR/slurmd.pidf
SlurmctldLogFile=$DIR/slurmctld.log
SlurmdLogFile=$DIR/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
MpiDefault=none
MailProg=/bin/true
ReturnToService=2
MinJobAge=600
SchedulerParameters=batch_sched_delay=0,sched_min_interval=0
NodeName=$host NodeAddr=127.0.0.1 CPUs=$cpus RealMemory=$mem State=UNKNOWN
PartitionName=debug Nodes=$host Default=YES MaxTime=INFINITE State=UP
EOF
export SLURM_CONF="$DIR/slurm.conf"
PATH=/usr/sbin:$PATH
slurmctld -D -i -f "$SLURM_CONF" >"$DIR/slurmctld.out" 2>&1 &
echo $! >"$DIR/slurmctld.pid"
slurmd -D -f "$SLURM_CONF" >"$DIR/slurmd.out" 2>&1 &
echo $! >"$DIR/slurmd.pid"
# ready when the node is idle
i=0
until sinfo -h -o %t 2>/dev/null | grep -q '^idle'; do
	i=$((i + 1))
	if [ $i -gt 150 ]; then
		echo "ci/slurm-cluster.sh: the cluster did not come up:" >&2
		tail -n 5 "$DIR/slurmctld.log" "$DIR/slurmd.log" >&2 2>/dev/null || true
		stop
		exit 1
	fi
	sleep 0.2
done
echo "export SLURM_CONF=$SLURM_CONF"
