#!/bin/sh
# bench/work.sh - "My work" on an organisation with 100,000 dated records:
# 50,000 risks with a review date and 50,000 tasks, their owners spread over
# 20 members (one of them, the measured person, owns half of each), dates a
# year either side of today; a few documents wait for sign-off. The server's
# own time per answer comes from its access log (the "usec" of each line);
# the baseline, measured in the same run, is reading the organisation
# (GET /api/v1/orgs/bench), which goes through the same sign-in, routing,
# membership and JSON answer.
#
#   sh bench/work.sh
#
# Environment: WORK_BENCH_N (records of each kind, default 50000), CALLS
# (default 200, after 20 to warm up), AIMS_BIN (default ./aims).
set -eu
cd "$(dirname "$0")/.."
AIMS=${AIMS_BIN:-./aims}
N=${WORK_BENCH_N:-50000}
CALLS=${CALLS:-200}
PASSWORD="work bench password $$"
ME=owner1@bench.example
[ -x "$AIMS" ] || { echo "bench/work.sh: build aims first (make)" >&2; exit 1; }

T=$(mktemp -d)
PID=
cleanup() {
	[ -n "$PID" ] && kill "$PID" 2>/dev/null && wait "$PID" 2>/dev/null || true
	rm -rf "$T"
}
trap cleanup EXIT INT TERM

DB="$T/work.db"
printf '%s\n' "$PASSWORD" | "$AIMS" init --db "$DB" --org bench --admin "$ME" \
	--password-stdin >/dev/null
for i in $(seq 2 20); do
	printf '%s\n' "$PASSWORD" | "$AIMS" user add "owner$i@bench.example" --password-stdin \
		--db "$DB" >/dev/null
	"$AIMS" member add "owner$i@bench.example" --org bench --role manager --db "$DB" >/dev/null
done
# Half of everything is the measured person's; the rest goes round the others.
python3 - "$T" "$N" <<'PY'
import csv, datetime, sys
t, n = sys.argv[1], int(sys.argv[2])
today = datetime.date.today()
def owner(i):
    return "owner1@bench.example" if i % 2 == 0 else "owner%d@bench.example" % (2 + (i // 2) % 19)
def day(i):
    return (today + datetime.timedelta(days=(i * 7919) % 730 - 365)).isoformat()
with open(t + "/risks.csv", "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(["title", "likelihood", "impact", "owner", "next_review"])
    for i in range(n):
        w.writerow(["Risk %d of the bench" % i, 1 + i % 5, 1 + (i // 5) % 5, owner(i), day(i)])
with open(t + "/tasks.csv", "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(["title", "owner", "due"])
    for i in range(n):
        w.writerow(["Task %d of the bench" % i, owner(i + 1), day(i + 3)])
PY
start=$(date +%s)
"$AIMS" import risks "$T/risks.csv" --org bench --as owner2@bench.example --db "$DB" >/dev/null
"$AIMS" import tasks "$T/tasks.csv" --org bench --as owner2@bench.example --db "$DB" >/dev/null
for i in 1 2 3 4 5; do
	ref=$("$AIMS" record create documents --org bench --as owner3@bench.example --db "$DB" \
		--json "{\"title\":\"Procedure $i\",\"kind\":\"procedure\"}" | python3 -c \
		'import json,sys; print(json.load(sys.stdin)["ref"])')
	"$AIMS" record update documents "$ref" --org bench --as owner3@bench.example --db "$DB" \
		--json '{"status":"in_review"}' >/dev/null
done
echo "imported $((2 * N)) dated records in $(( $(date +%s) - start )) s"
sqlite3 "$DB" "SELECT 'work items: ' || count(*) || ', of ' || '$ME' || ': ' || \
	sum(owner = '$ME') FROM work_items"

PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$AIMS" serve --db "$DB" --listen "127.0.0.1:$PORT" --log-format json >"$T/access.log" 2>&1 &
PID=$!
i=0
until curl -s -o /dev/null "http://127.0.0.1:$PORT/readyz" || [ $i -ge 100 ]; do
	i=$((i + 1))
	sleep 0.1
done
URL="http://127.0.0.1:$PORT"
curl -s -c "$T/jar" -o /dev/null -H 'content-type: application/json' \
	-d "{\"email\":\"$ME\",\"password\":\"$PASSWORD\"}" "$URL/api/v1/session"
for i in $(seq 1 $((CALLS + 20))); do
	curl -s -b "$T/jar" -o "$T/work.json" "$URL/api/v1/orgs/bench/my-work"
	curl -s -b "$T/jar" -o /dev/null "$URL/api/v1/orgs/bench"
done
python3 - "$T" "$CALLS" <<'PY'
import json, statistics, sys
t, calls = sys.argv[1], int(sys.argv[2])
log = [json.loads(l) for l in open(t + "/access.log") if l.startswith("{")]
def times(path):
    v = [e["usec"] / 1000 for e in log if e.get("method") == "GET" and e.get("path") == path]
    return sorted(v[20:])
w = json.load(open(t + "/work.json"))
print("my-work answer: overdue %d, this week %d, later %d, assigned by me %d, approvals %d" % (
    w["overdue"]["count"], w["this_week"]["count"], w["later"]["count"],
    w["assigned_by_me"]["count"], len(w["approvals"]["items"])))
mw, org = times("/api/v1/orgs/bench/my-work"), times("/api/v1/orgs/bench")
def p(v, q):
    return v[min(len(v) - 1, int(len(v) * q))]
print("| request | calls | median | p99 |")
print("| --- | --- | --- | --- |")
print("| GET /api/v1/orgs/bench/my-work | %d | %.2f ms | %.2f ms |" % (len(mw), statistics.median(mw), p(mw, .99)))
print("| GET /api/v1/orgs/bench (baseline) | %d | %.2f ms | %.2f ms |" % (len(org), statistics.median(org), p(org, .99)))
print("| **ratio of medians** | | **%.1fx** | goal: my-work under 5 ms |" % (statistics.median(mw) / statistics.median(org)))
PY
