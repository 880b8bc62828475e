#!/bin/sh
# bench/web.sh - server time of every kind of web page (p50/p99 per page) on
# a large organisation: `aims serve --log json` on a copy of the database,
# signed in through the sign-in form, each page asked for CALLS times; the
# times are the server's own, from its access log (bench/web.mjs).
#
#   sh bench/web.sh
#
# The organisation comes from WEB_BENCH_DB (a database made by bench/gen,
# copied first) or, when that is not set, from build/rel/bench/gen run into a
# temporary directory (WEB_BENCH_GEN_ARGS, default: its full size). Without
# either, the script says so and stops. Environment: WEB_BENCH_ORG (default
# bench), WEB_BENCH_USER (default owner1@bench.example: a member bench/gen
# makes; its password is set here), CALLS (default 200), AIMS_BIN (./aims).
set -eu
cd "$(dirname "$0")/.."
AIMS=${AIMS_BIN:-./aims}
ORG=${WEB_BENCH_ORG:-bench}
USER_EMAIL=${WEB_BENCH_USER:-owner1@bench.example}
CALLS=${CALLS:-200}
GEN=build/rel/bench/gen
PASSWORD="web bench password $$"
[ -x "$AIMS" ] || { echo "bench/web.sh: build aims first (make)" >&2; exit 1; }

T=$(mktemp -d)
PID=
cleanup() {
	[ -n "$PID" ] && kill "$PID" 2>/dev/null && wait "$PID" 2>/dev/null || true
	rm -rf "$T"
}
trap cleanup EXIT INT TERM

DB="$T/web.db"
if [ -n "${WEB_BENCH_DB:-}" ]; then
	cp "$WEB_BENCH_DB" "$DB"
	[ -f "$WEB_BENCH_DB-wal" ] && cp "$WEB_BENCH_DB-wal" "$DB-wal"
elif [ -x "$GEN" ]; then
	# shellcheck disable=SC2086
	"$GEN" --db "$DB" ${WEB_BENCH_GEN_ARGS:-} >"$T/gen.md"
else
	echo "bench/web.sh: skipped: needs $GEN or WEB_BENCH_DB=PATH (a database made by bench/gen)"
	exit 0
fi

# The server's signing key and pending migrations, then a password to sign in with.
"$AIMS" init --db "$DB" >/dev/null
printf '%s\n' "$PASSWORD" | "$AIMS" user passwd "$USER_EMAIL" --password-stdin \
	--db "$DB" >/dev/null
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
# No heavy-read budget: the readiness and coverage pages are timed, not refused.
"$AIMS" serve --db "$DB" --listen "127.0.0.1:$PORT" --log-format json \
	--heavy-reads-per-minute 0 >"$T/access.log" 2>&1 &
PID=$!
i=0
until grep -q '"path"' "$T/access.log" 2>/dev/null || [ $i -ge 100 ]; do
	curl -s -o /dev/null "http://127.0.0.1:$PORT/readyz" || true
	i=$((i + 1))
	sleep 0.1
done
RECORDS=$(sqlite3 "$DB" "SELECT group_concat(kind || ' ' || live, ', ') FROM record_counts")
echo "organisation $ORG: $RECORDS; $CALLS calls per page after 20 to warm up"
echo
node bench/web.mjs "http://127.0.0.1:$PORT" "$T/access.log" "$ORG" "$USER_EMAIL" "$PASSWORD" "$CALLS"
