#!/bin/sh
# bench/records.sh - record reads and writes over HTTP against their floors,
# measured side by side in one run (the machine is shared: only ratios of
# figures taken in the same run mean anything).
#
# Reads: a list of 50 of RECORDS_BENCH_RISKS risks (default 50,000, made by
# bench/gen) and one risk, with a bearer token, against nginx serving the
# same bytes as static files. The list is asked for again and again, so
# aims answers it from the answer it keeps (serve --list-cache); a second
# server keeping none reads it from the database each time. Writes:
# creates from 16 concurrent clients (and from 1) against the raw SQLite
# rate of one fsync'd insert per transaction on the same disk (bench/sqlite_commit.c). Each round runs
# every pair back to back, the reads in an order that turns by one each
# round (aims, nginx and the baseline each go first in turn: the load of a
# shared machine drifts within a round); the table gives medians over the
# rounds and p50/p95/p99 latencies in milliseconds, and the tail's ratio
# to nginx's: the median over the rounds of aims' p99 / nginx's p99 in the
# same round.
#
#   sh bench/records.sh            print the results as Markdown
#
# Needs wrk and nginx, `make aims build/rel/bench/gen build/rel/bench/sqlite_commit`
# (`make bench` does both). Environment: ROUNDS (default 3), DURATION
# (seconds per run, default 5), CONNECTIONS (reads, default 32), WRITERS
# (default 16), RECORDS_BENCH_RISKS (default 50000), AIMS_BIN,
# RECORDS_BENCH_WRITES (default 1; 0 measures the reads alone),
# RECORDS_BENCH_IDEMPOTENT (default 0; 1 sends each create with an
# Idempotency-Key of its own, so the key's reservation and stored answer
# are measured with the create), and
# AIMS_BASELINE_BIN: another build (say, the one before a change) serving
# the same database, measured in the same rounds, so a change is compared
# with what it replaced under the same load (its creates from 16 clients go
# to a fresh database of its own, also in the same rounds).
set -eu
cd "$(dirname "$0")/.."
ROUNDS=${ROUNDS:-3}
DURATION=${DURATION:-5}
CONNECTIONS=${CONNECTIONS:-32}
WRITERS=${WRITERS:-16}
RISKS=${RECORDS_BENCH_RISKS:-50000}
AIMS=${AIMS_BIN:-build/rel/aims}
WRITES=${RECORDS_BENCH_WRITES:-1}
IDEMPOTENT=${RECORDS_BENCH_IDEMPOTENT:-0}
BASELINE=${AIMS_BASELINE_BIN:-}
GEN=build/rel/bench/gen
RAW=build/rel/bench/sqlite_commit
NGINX=$(command -v nginx || echo /usr/sbin/nginx)
command -v wrk >/dev/null || { echo "bench/records.sh: wrk is not installed" >&2; exit 1; }
[ -x "$NGINX" ] || { echo "bench/records.sh: nginx is not installed" >&2; exit 1; }
for b in "$AIMS" "$GEN" "$RAW" $BASELINE; do
	[ -x "$b" ] || { echo "bench/records.sh: build $b first (make bench)" >&2; exit 1; }
done

T=$(mktemp -d)
PIDS=
NGINX_STARTED=0
cleanup() {
	for p in $PIDS; do kill "$p" 2>/dev/null && wait "$p" 2>/dev/null || true; done
	[ "$NGINX_STARTED" = 1 ] && "$NGINX" -p "$T/nginx" -c "$T/nginx/nginx.conf" -s stop 2>/dev/null || true
	rm -rf "$T"
}
trap cleanup EXIT INT TERM

free_port() {
	python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}
serve() {	# db [binary [options]] -> sets BASE and adds the pid to PIDS
	port=$(free_port)
	db=$1; bin=${2:-$AIMS}; shift; [ $# -gt 0 ] && shift
	"$bin" serve --db "$db" --listen "127.0.0.1:$port" "$@" >"$T/serve-$port.log" 2>&1 &
	PIDS="$PIDS $!"
	BASE="http://127.0.0.1:$port"
	for _ in $(seq 1 200); do
		curl -fs "$BASE/readyz" >/dev/null 2>&1 && return 0
		sleep 0.05
	done
	echo "bench/records.sh: aims serve did not start" >&2
	exit 1
}
token() {	# db org role
	"$AIMS" token create --db "$1" --org "$2" --name "bench-$3" --role "$3" --format json |
	    sed -n 's/.*"token": *"\(aims_[A-Za-z0-9_-]*\)".*/\1/p'
}

# wrk reports through this script: requests/s, p50, p95, p99 (ms), non-2xx.
cat >"$T/report.lua" <<'LUA'
done = function(summary, latency, requests)
	io.write(string.format("RESULT %.0f %.3f %.3f %.3f %d\n",
		summary.requests / (summary.duration / 1e6),
		latency:percentile(50) / 1000, latency:percentile(95) / 1000,
		latency:percentile(99) / 1000, summary.errors.status))
end
LUA
cat "$T/report.lua" >"$T/create.lua"
cat >>"$T/create.lua" <<'LUA'
wrk.method = "POST"
wrk.body = '{"name":"Bench system","lifecycle_stage":"deployment","purpose":"Ranks claims"}'
wrk.headers["Content-Type"] = "application/json"
LUA
if [ "$IDEMPOTENT" != 0 ]; then
	# A key per request: the thread's number, the run's start and a count.
	cat >>"$T/create.lua" <<'LUA'
local threads, sent, prefix = 0, 0, ""
setup = function(thread)
	threads = threads + 1
	thread:set("id", threads)
end
init = function(args)
	prefix = string.format("bench-%d-%d-%d", id or 0, os.time(), math.floor(os.clock() * 1e6))
end
request = function()
	local h = {}
	for k, v in pairs(wrk.headers) do h[k] = v end
	sent = sent + 1
	h["Idempotency-Key"] = prefix .. "-" .. sent
	return wrk.format(nil, nil, h)
end
LUA
fi
run_wrk() {	# connections script url [header]
	c=$1; s=$2; u=$3; shift 3
	t=2; [ "$c" -lt 2 ] && t=1
	wrk -t"$t" -c"$c" -d"${DURATION}s" -s "$s" "$@" "$u" 2>&1 | sed -n 's/^RESULT //p'
}
median() {	# column of the lines in file $1
	awk -v c="$2" '{ print $c }' "$1" | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# ---- reads ---------------------------------------------------------------
"$GEN" --db "$T/reads.db" --ai-systems 50 --risks "$RISKS" --evidence 1 --calls 100 \
	--no-reads --serve-key >/dev/null
RTOKEN=$(token "$T/reads.db" bench viewer)
[ -n "$RTOKEN" ] || { echo "bench/records.sh: could not create a token" >&2; exit 1; }
serve "$T/reads.db"
RBASE=$BASE
# The same build keeping no answers: what a list costs when it is read from
# the database (a page asked for the first time, or after a change).
serve "$T/reads.db" "$AIMS" --list-cache 0
KBASE=$BASE
if [ -n "$BASELINE" ]; then
	serve "$T/reads.db" "$BASELINE"
	BBASE=$BASE
fi
LIST="/api/v1/orgs/bench/risks"
ONE="/api/v1/orgs/bench/risks/RISK-4242"
mkdir -p "$T/nginx/www" "$T/nginx/logs" "$T/nginx/tmp"
curl -fs -H "Authorization: Bearer $RTOKEN" "$RBASE$LIST?limit=50" >"$T/nginx/www/list.json"
curl -fs -H "Authorization: Bearer $RTOKEN" "$RBASE$ONE" >"$T/nginx/www/one.json"
NGINX_PORT=$(free_port)
cat >"$T/nginx/nginx.conf" <<CONF
worker_processes $(nproc);
pid $T/nginx/nginx.pid;
error_log $T/nginx/logs/error.log;
events { worker_connections 1024; }
http {
	access_log $T/nginx/logs/access.log;
	client_body_temp_path $T/nginx/tmp;
	proxy_temp_path $T/nginx/tmp;
	fastcgi_temp_path $T/nginx/tmp;
	uwsgi_temp_path $T/nginx/tmp;
	scgi_temp_path $T/nginx/tmp;
	server {
		listen 127.0.0.1:$NGINX_PORT;
		default_type application/json;
		location = $LIST { alias $T/nginx/www/list.json; }
		location = $ONE { alias $T/nginx/www/one.json; }
	}
}
CONF
chmod 755 "$T" "$T/nginx" "$T/nginx/www"
chmod 644 "$T/nginx/www/"*.json
"$NGINX" -p "$T/nginx" -c "$T/nginx/nginx.conf"
NGINX_STARTED=1
NBASE="http://127.0.0.1:$NGINX_PORT"
sleep 0.2

# ---- writes --------------------------------------------------------------
CREATE="/api/v1/orgs/acme/ai-systems"
if [ "$WRITES" != 0 ]; then
printf 'bench password 0123\n' | "$AIMS" init --db "$T/writes.db" --org acme \
	--admin bench@example.com --password-stdin >/dev/null
WTOKEN=$(token "$T/writes.db" acme contributor)
MTOKEN=$(token "$T/writes.db" acme admin)
serve "$T/writes.db"
WBASE=$BASE
writer_figure() {
	curl -fs -H "Authorization: Bearer $MTOKEN" "$WBASE/metrics" | awk -v n="$1" '$1 == n { print $2 }'
}
if [ -n "$BASELINE" ]; then
	printf 'bench password 0123\n' | "$BASELINE" init --db "$T/writes-base.db" --org acme \
		--admin bench@example.com --password-stdin >/dev/null
	BWTOKEN=$(token "$T/writes-base.db" acme contributor)
	serve "$T/writes-base.db" "$BASELINE"
	BWBASE=$BASE
fi
fi

reads() {	# who: the list and the record from aims, nginx or the baseline
	case $1 in
	aims)	run_wrk "$CONNECTIONS" "$T/report.lua" "$RBASE$LIST?limit=50" \
		    -H "Authorization: Bearer $RTOKEN" >>"$T/list.aims"
		run_wrk "$CONNECTIONS" "$T/report.lua" "$RBASE$ONE" \
		    -H "Authorization: Bearer $RTOKEN" >>"$T/one.aims" ;;
	nokeep)	run_wrk "$CONNECTIONS" "$T/report.lua" "$KBASE$LIST?limit=50" \
		    -H "Authorization: Bearer $RTOKEN" >>"$T/list.nokeep" ;;
	nginx)	run_wrk "$CONNECTIONS" "$T/report.lua" "$NBASE$LIST?limit=50" >>"$T/list.nginx"
		run_wrk "$CONNECTIONS" "$T/report.lua" "$NBASE$ONE" >>"$T/one.nginx" ;;
	base)	run_wrk "$CONNECTIONS" "$T/report.lua" "$BBASE$LIST?limit=50" \
		    -H "Authorization: Bearer $RTOKEN" >>"$T/list.base"
		run_wrk "$CONNECTIONS" "$T/report.lua" "$BBASE$ONE" \
		    -H "Authorization: Bearer $RTOKEN" >>"$T/one.base" ;;
	esac
}
READERS="aims nginx nokeep"
[ -z "$BASELINE" ] || READERS="$READERS base"
LOAD0=$(cut -d' ' -f1 /proc/loadavg)
for r in $(seq 1 "$ROUNDS"); do
	for who in $READERS; do
		reads "$who"
	done
	READERS="${READERS#* } ${READERS%% *}"
	[ "$WRITES" != 0 ] || continue
	g0=$(writer_figure aims_db_write_groups_total); q0=$(writer_figure aims_db_write_requests_total)
	b0=$(writer_figure aims_db_writer_busy_seconds_total); c0=$(writer_figure aims_db_writer_commit_seconds_total)
	run_wrk "$WRITERS" "$T/create.lua" "$WBASE$CREATE" -H "Authorization: Bearer $WTOKEN" >>"$T/create16.aims"
	g1=$(writer_figure aims_db_write_groups_total); q1=$(writer_figure aims_db_write_requests_total)
	b1=$(writer_figure aims_db_writer_busy_seconds_total); c1=$(writer_figure aims_db_writer_commit_seconds_total)
	# changes, transactions, the writer's busy and commit seconds over the run
	echo "$(( (q1 - q0) )) $(( (g1 - g0) )) $b0 $b1 $c0 $c1" |
	    awk '{ print $1, $2, $4 - $3, $6 - $5 }' >>"$T/groups"
	"$RAW" "$T/raw-$r.db" "$DURATION" | awk '{ print $2 }' >>"$T/raw"
	run_wrk 1 "$T/create.lua" "$WBASE$CREATE" -H "Authorization: Bearer $WTOKEN" >>"$T/create1.aims"
	if [ -n "$BASELINE" ]; then
		run_wrk "$WRITERS" "$T/create.lua" "$BWBASE$CREATE" \
		    -H "Authorization: Bearer $BWTOKEN" >>"$T/create16.base"
	fi
done

row() {	# label file [floor-file floor-label]
	printf '| %s | %s | %s | %s | %s | %s |\n' "$1" "$(median "$2" 1)" "$(median "$2" 2)" \
	    "$(median "$2" 3)" "$(median "$2" 4)" "$(awk '{ s += $5 } END { print s + 0 }' "$2")"
}
ratio() {	# a-file b-file: median of aims rate / median of floor rate
	awk -v a="$(median "$1" 1)" -v b="$(median "$2" 1)" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }'
}
tail_ratio() {	# a-file b-file: median over the rounds of a's p99 / b's p99 in the same round
	paste "$1" "$2" | awk '{ print ($9 > 0 ? $4 / $9 : 0) }' >"$T/tail"
	median "$T/tail" 1 | awk '{ printf "%.2f", $1 }'
}
# A table line that is there only when $1 is set (and not 0): a newline and the command's output.
optional() {
	[ -n "$1" ] && [ "$1" != 0 ] || return 0
	shift
	printf '\n'
	"$@"
}
baseline_ratios() {
	echo "| baseline: list of 50 / nginx | $(ratio "$T/list.base" "$T/list.nginx") |"
	echo "| baseline: one record / nginx | $(ratio "$T/one.base" "$T/one.nginx") |"
	echo "| baseline: list of 50, p99 / nginx's p99 | $(tail_ratio "$T/list.base" "$T/list.nginx") |"
	echo "| list of 50, p99 / baseline's p99 | $(tail_ratio "$T/list.aims" "$T/list.base") |"
}
writes_ratios() {
	cat <<MD
| creates, $WRITERS clients / raw SQLite commits ($(median "$T/raw" 1)/s, one fsync'd insert each) | $(awk -v a="$(median "$T/create16.aims" 1)" -v b="$(median "$T/raw" 1)" 'BEGIN { printf "%.2f", a / b }') |
| creates, 1 client / raw SQLite commits | $(awk -v a="$(median "$T/create1.aims" 1)" -v b="$(median "$T/raw" 1)" 'BEGIN { printf "%.2f", a / b }') |
| creates per commit under $WRITERS clients (writer's changes / transactions, median) | $(awk '{ print ($2 > 0 ? $1 / $2 : 0) }' "$T/groups" | sort -g | awk '{ v[NR] = $1 } END { printf "%.1f", v[int((NR + 1) / 2)] }') |
| the writer's busy share of the $WRITERS-client runs (median; /metrics) | $(awk -v d="$DURATION" '{ print $3 / d }' "$T/groups" | sort -g | awk '{ v[NR] = $1 } END { printf "%.2f", v[int((NR + 1) / 2)] }') |
| the writer's µs per create, all / in the commit (medians) | $(awk '{ print ($1 > 0 ? 1e6 * $3 / $1 : 0) }' "$T/groups" | sort -g | awk '{ v[NR] = $1 } END { printf "%.0f", v[int((NR + 1) / 2)] }') / $(awk '{ print ($1 > 0 ? 1e6 * $4 / $1 : 0) }' "$T/groups" | sort -g | awk '{ v[NR] = $1 } END { printf "%.0f", v[int((NR + 1) / 2)] }') |
MD
	[ -n "$BASELINE" ] || return 0
	echo "| baseline: creates, $WRITERS clients / raw SQLite commits | $(awk -v a="$(median "$T/create16.base" 1)" -v b="$(median "$T/raw" 1)" 'BEGIN { printf "%.2f", a / b }') |"
}
baseline_creates() {	# optional() has begun the line
	[ -n "$BASELINE" ] || return 0
	row "baseline aims: POST $CREATE, $WRITERS clients" "$T/create16.base"
}
cat <<MD
<!-- records:begin -->
## records

\`sh bench/records.sh\` on $(nproc) CPUs ($(uname -m)), $(date -u +%Y-%m-%d), load average
$LOAD0 at the start and $(cut -d' ' -f1 /proc/loadavg) at the end: $ROUNDS alternating rounds of ${DURATION} s per run,
medians over the rounds; wrk over loopback; latency in milliseconds. Reads: $CONNECTIONS
connections, organisation of $RISKS risks (bench/gen), viewer token; nginx with $(nproc) workers
serves the same bytes. Writes: contributor token, \`POST $CREATE\`, a fresh database$(
[ "$IDEMPOTENT" = 0 ] || printf ', an Idempotency-Key of its own on each create').

| request | req/s | p50 | p95 | p99 | non-2xx |
| --- | ---: | ---: | ---: | ---: | ---: |
$(row "aims: GET $LIST?limit=50 ($(wc -c <"$T/nginx/www/list.json") bytes)" "$T/list.aims")
$(row "nginx: the same bytes" "$T/list.nginx")
$(row "aims keeping no answers (--list-cache 0): the same list" "$T/list.nokeep")$(optional "$BASELINE" row "baseline aims ($BASELINE): the same list" "$T/list.base")
$(row "aims: GET $ONE ($(wc -c <"$T/nginx/www/one.json") bytes)" "$T/one.aims")
$(row "nginx: the same bytes" "$T/one.nginx")$(optional "$BASELINE" row "baseline aims: the same record" "$T/one.base")$(optional "$WRITES" row "aims: POST $CREATE, $WRITERS clients" "$T/create16.aims")$(optional "$WRITES" row "aims: POST $CREATE, 1 client" "$T/create1.aims")$(optional "$WRITES" baseline_creates)

| ratio (medians, same run) | figure |
| --- | ---: |
| list of 50 / nginx | $(ratio "$T/list.aims" "$T/list.nginx") |
| list of 50 keeping no answers / nginx | $(ratio "$T/list.nokeep" "$T/list.nginx") |
| one record / nginx | $(ratio "$T/one.aims" "$T/one.nginx") |
| list of 50, p99 / nginx's p99 (median of the rounds) | $(tail_ratio "$T/list.aims" "$T/list.nginx") |
| one record, p99 / nginx's p99 (median of the rounds) | $(tail_ratio "$T/one.aims" "$T/one.nginx") |$(optional "$BASELINE" baseline_ratios)$(optional "$WRITES" writes_ratios)
<!-- records:end -->
MD
