#!/bin/sh
# verify-history.sh - what `aims verify` costs on an organisation of records,
# where it checks every stored version against the entry that wrote it, the
# list columns and counts, and the evidence file revisions, not only the log.
#
# Imports RISKS risks (default 50,000) and SYSTEMS AI systems (default
# 5,000) through `aims import`, changes the first UPDATES risks (default
# 1,000) one command each, then times `aims verify` best of RUNS (default 3),
# wall clock and CPU (user+sys), and `aims verify --no-file-hashes`.
#   VERIFY_BENCH_RISKS=5000 VERIFY_BENCH_UPDATES=100 sh bench/verify-history.sh
set -eu

RISKS=${VERIFY_BENCH_RISKS:-50000}
SYSTEMS=${VERIFY_BENCH_SYSTEMS:-5000}
UPDATES=${VERIFY_BENCH_UPDATES:-1000}
RUNS=${VERIFY_BENCH_RUNS:-3}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
AIMS=$ROOT/build/rel/aims

make -C "$ROOT" --no-print-directory -s aims
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT INT TERM
export AIMS_FAST_HASH=1
export AIMS_AS=bench@example.com	# who makes the changes (a member)

# Runs a command RUNS times; prints the best wall and best CPU seconds.
best() {
	bw=""; bc=""
	i=0
	while [ "$i" -lt "$RUNS" ]; do
		/usr/bin/time -f '%e %U %S' -o "$TMP/time" "$@" >/dev/null
		read -r w u s <"$TMP/time"
		c=$(echo "$u $s" | awk '{ printf "%.2f", $1 + $2 }')
		bw=$(echo "$w ${bw:-$w}" | awk '{ print ($1 < $2) ? $1 : $2 }')
		bc=$(echo "$c ${bc:-$c}" | awk '{ print ($1 < $2) ? $1 : $2 }')
		i=$((i + 1))
	done
	echo "$bw $bc"
}

awk -v n="$RISKS" 'BEGIN { printf "["; for (i = 0; i < n; i++) printf "%s{\"title\":\"Risk %d: drift in model output\",\"likelihood\":%d,\"impact\":%d}", i ? "," : "", i, 1 + i % 5, 1 + (i * 7) % 5; print "]" }' >"$TMP/risks.json"
awk -v n="$SYSTEMS" 'BEGIN { printf "["; for (i = 0; i < n; i++) printf "%s{\"name\":\"System %d\",\"lifecycle_stage\":\"deployment\"}", i ? "," : "", i; print "]" }' >"$TMP/systems.json"
echo "bench password 1" | "$AIMS" init --db "$TMP/v.db" --org bench --admin bench@example.com \
    --password-stdin >/dev/null
"$AIMS" import risks "$TMP/risks.json" --org bench --db "$TMP/v.db" >/dev/null
"$AIMS" import ai-systems "$TMP/systems.json" --org bench --db "$TMP/v.db" >/dev/null
i=1
while [ "$i" -le "$UPDATES" ]; do
	"$AIMS" record update risks "RISK-$i" --org bench --db "$TMP/v.db" \
	    --json '{"description": "reviewed"}' >/dev/null
	i=$((i + 1))
done

"$AIMS" verify --db "$TMP/v.db"
set -- $(best "$AIMS" verify --db "$TMP/v.db")
echo "aims verify                   $1 s wall, $2 s CPU (best of $RUNS)"
set -- $(best "$AIMS" verify --no-file-hashes --db "$TMP/v.db")
echo "aims verify --no-file-hashes  $1 s wall, $2 s CPU (best of $RUNS)"
