#!/bin/sh
# bench/pg.sh - the HTTP read and write benchmarks on both stores: SQLite
# (one server: the file has one writer) and PostgreSQL with one and two
# servers on one database, measured in the same run so that the ratios to
# SQLite hold on this machine whatever else it is doing. PostgreSQL is a
# private cluster (scripts/pg-test-cluster), stopped at the end.
#
#   sh bench/pg.sh            print the results as Markdown
#
# read:  GET a list of 50 AI systems (bearer token), wrk, CONNECTIONS connections
# write: POST an AI system (bearer token), wrk with bench/pg_post.lua
# write, two organisations: the same into acme and beta at once; with two
# servers, each server writes one organisation.
# Each figure is the median of RUNS runs of DURATION seconds; with two
# servers, wrk runs against each at once with half the connections, and the
# requests/s are added. Needs wrk; a built ./aims (AIMS_BIN).
# Environment: DURATION (default 5), RUNS (default 3), CONNECTIONS (default 16).
set -eu
cd "$(dirname "$0")/.."
DURATION=${DURATION:-5}
RUNS=${RUNS:-3}
CONNECTIONS=${CONNECTIONS:-16}
AIMS=${AIMS_BIN:-./aims}
command -v wrk >/dev/null || { echo "bench/pg.sh: wrk is not installed" >&2; exit 1; }
[ -x "$AIMS" ] || { echo "bench/pg.sh: build aims first (make)" >&2; exit 1; }

if [ -z "${AIMS_PG_URL:-}" ]; then
	exec scripts/pg-test-cluster run sh "$0" "$@"
fi

T=$(mktemp -d)
PIDS=
cleanup() {
	for p in $PIDS; do kill "$p" 2>/dev/null && wait "$p" 2>/dev/null || true; done
	rm -rf "$T"
}
trap cleanup EXIT INT TERM

free_port() {
	python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

# A store with one organisation, 200 AI systems and a contributor token; prints the token.
prepare() {	# db datadir
	AIMS_DATA_DIR=$2 sh -c "printf 'bench password 0123\n' | '$AIMS' init --db '$1' \
		--org acme --admin bench@example.com --password-stdin" >/dev/null
	i=0
	{
		printf '['
		while [ $i -lt 200 ]; do
			[ $i -gt 0 ] && printf ','
			printf '{"name":"System %d","purpose":"bench"}' $i
			i=$((i + 1))
		done
		printf ']'
	} >"$T/systems.json"
	AIMS_DATA_DIR=$2 "$AIMS" import ai-systems "$T/systems.json" --org acme --db "$1" \
		--as bench@example.com >/dev/null
	AIMS_DATA_DIR=$2 "$AIMS" token create --db "$1" --org acme --name bench \
		--role contributor --format json |
		sed -n 's/.*"token": *"\(aims_[A-Za-z0-9_-]*\)".*/\1/p'
}

serve() {	# db datadir -> prints the base URL
	port=$(free_port)
	AIMS_DATA_DIR=$2 "$AIMS" serve --db "$1" --listen "127.0.0.1:$port" >"$T/serve-$port.log" 2>&1 &
	PIDS="$PIDS $!"
	for _ in $(seq 1 100); do
		curl -fs "http://127.0.0.1:$port/readyz" >/dev/null 2>&1 && break
		sleep 0.05
	done
	echo "http://127.0.0.1:$port"
}

# requests/s of one wrk run against each target at once (connections shared
# out); a target is URL,ORG,TOKEN.
wrk_rps() {	# kind target...
	kind=$1
	shift
	n=$#
	c=$((CONNECTIONS / n))
	wrks=
	i=0
	for t in "$@"; do
		u=${t%%,*} rest=${t#*,}
		org=${rest%%,*} token=${rest#*,}
		i=$((i + 1))
		if [ "$kind" = write ]; then
			wrk -t1 -c"$c" -d"${DURATION}s" -s bench/pg_post.lua -H "Authorization: Bearer $token" \
			    "$u/api/v1/orgs/$org/ai-systems" >"$T/wrk-$i.out" 2>&1 &
		else
			wrk -t1 -c"$c" -d"${DURATION}s" -H "Authorization: Bearer $token" \
			    "$u/api/v1/orgs/$org/ai-systems?limit=50" >"$T/wrk-$i.out" 2>&1 &
		fi
		wrks="$wrks $!"
	done
	for p in $wrks; do wait "$p" || true; done
	# Only answers in the 2xx range count: requests less non-2xx, over the duration.
	awk -v d="$DURATION" '/requests in/ { s += $1 } /Non-2xx/ { bad += $NF }
	    END { printf "%.0f %d\n", (s - bad) / d, bad }' "$T"/wrk-*.out
	rm -f "$T"/wrk-*.out
}

median() {	# numbers on stdin
	sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'
}

measure() {	# kind token url...
	for _ in $(seq 1 "$RUNS"); do wrk_rps "$@" | cut -d' ' -f1; done | median
}

# A second organisation (beta) with its own token; prints the token.
second_org() {	# db datadir
	AIMS_DATA_DIR=$2 "$AIMS" org create beta --db "$1" >/dev/null
	AIMS_DATA_DIR=$2 "$AIMS" member add bench@example.com --org beta --role admin \
		--db "$1" >/dev/null
	AIMS_DATA_DIR=$2 "$AIMS" token create --db "$1" --org beta --name bench \
		--role contributor --format json |
		sed -n 's/.*"token": *"\(aims_[A-Za-z0-9_-]*\)".*/\1/p'
}

SQ_DB="$T/aims.db"
SQ_TOKEN=$(prepare "$SQ_DB" "$T/sqlite-data")
SQ_TOKEN_B=$(second_org "$SQ_DB" "$T/sqlite-data")
SQ=$(serve "$SQ_DB" "$T/sqlite-data")
PG_DB="$AIMS_PG_URL"
PG_TOKEN=$(prepare "$PG_DB" "$T/pg-data")
PG_TOKEN_B=$(second_org "$PG_DB" "$T/pg-data")
PG1=$(serve "$PG_DB" "$T/pg-data")
PG2=$(serve "$PG_DB" "$T/pg-data")

R_SQ=$(measure read "$SQ,acme,$SQ_TOKEN")
R_PG1=$(measure read "$PG1,acme,$PG_TOKEN")
R_PG2=$(measure read "$PG1,acme,$PG_TOKEN" "$PG2,acme,$PG_TOKEN")
W_SQ=$(measure write "$SQ,acme,$SQ_TOKEN")
W_PG1=$(measure write "$PG1,acme,$PG_TOKEN")
W_PG2=$(measure write "$PG1,acme,$PG_TOKEN" "$PG2,acme,$PG_TOKEN")
# Two organisations written at once: on one server both; on two, one each.
W2_SQ=$(measure write "$SQ,acme,$SQ_TOKEN" "$SQ,beta,$SQ_TOKEN_B")
W2_PG1=$(measure write "$PG1,acme,$PG_TOKEN" "$PG1,beta,$PG_TOKEN_B")
W2_PG2=$(measure write "$PG1,acme,$PG_TOKEN" "$PG2,beta,$PG_TOKEN_B")

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }'; }

cat <<MD
## pg

\`sh bench/pg.sh\` on $(nproc) CPUs, $(date -u +%Y-%m-%d): wrk, $CONNECTIONS keep-alive connections in
all, ${DURATION} s per run, median of $RUNS runs, over loopback; aims with its default thread pool;
PostgreSQL $(psql "$AIMS_PG_URL" -Atc 'SHOW server_version' 2>/dev/null) on the same machine
(private cluster, unix socket, fsync on). Ratios are to SQLite in the same run.

| benchmark | SQLite, 1 server | PostgreSQL, 1 server | PostgreSQL, 2 servers | PG 1 / SQLite | PG 2 / SQLite | PG 2 / PG 1 |
| --- | --- | --- | --- | --- | --- | --- |
| read: GET 50 AI systems (req/s) | $R_SQ | $R_PG1 | $R_PG2 | $(ratio "$R_PG1" "$R_SQ") | $(ratio "$R_PG2" "$R_SQ") | $(ratio "$R_PG2" "$R_PG1") |
| write: POST an AI system (req/s) | $W_SQ | $W_PG1 | $W_PG2 | $(ratio "$W_PG1" "$W_SQ") | $(ratio "$W_PG2" "$W_SQ") | $(ratio "$W_PG2" "$W_PG1") |
| write, two organisations at once (req/s) | $W2_SQ | $W2_PG1 | $W2_PG2 | $(ratio "$W2_PG1" "$W2_SQ") | $(ratio "$W2_PG2" "$W2_SQ") | $(ratio "$W2_PG2" "$W2_PG1") |

Two servers writing two organisations (one each) against two servers writing one: $(ratio "$W2_PG2" "$W_PG2").
MD
