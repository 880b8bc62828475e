#!/bin/sh
# bench/web-ab.sh - the server time of web pages under two builds at once: a
# baseline (BASE_BIN, for example the previous commit's release build) and
# this one (AIMS_BIN), each serving its own copy of the same large
# organisation, the requests interleaved (one to each, in turn) so that the
# load of a shared machine falls on both alike. Times are each server's own,
# from its access log (bench/web-ab.mjs); the table gives both medians and
# their ratio.
#
#   BASE_BIN=/path/to/old/aims WEB_BENCH_DB=gen.db [BASE_DB=gen-old.db] sh bench/web-ab.sh
#
# BASE_DB: the baseline's copy when its schema must differ (a baseline that
# predates a migration refuses a database that has it); default WEB_BENCH_DB.
# Environment as bench/web.sh: WEB_BENCH_USER, CALLS (default 150);
# WEB_BENCH_PAGES: a regular expression, only the pages whose name matches.
# Besides the medians, each server's CPU time per request (bench/web-ab.mjs).
set -eu
cd "$(dirname "$0")/.."
AIMS=${AIMS_BIN:-./aims}
BASE=${BASE_BIN:?set BASE_BIN to the baseline aims}
SRC=${WEB_BENCH_DB:?set WEB_BENCH_DB to a database made by bench/gen}
BASE_SRC=${BASE_DB:-$SRC}
USER_EMAIL=${WEB_BENCH_USER:-owner1@bench.example}
PASSWORD="web ab password $$"
T=$(mktemp -d)
PIDS=
cleanup() {
	for p in $PIDS; do kill "$p" 2>/dev/null || true; done
	wait 2>/dev/null || true
	rm -rf "$T"
}
trap cleanup EXIT INT TERM

port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
for side in base new; do
	if [ $side = base ]; then BIN=$BASE; FROM=$BASE_SRC; else BIN=$AIMS; FROM=$SRC; fi
	cp "$FROM" "$T/$side.db"
	"$BIN" init --db "$T/$side.db" >/dev/null
	printf '%s\n' "$PASSWORD" | "$BIN" user passwd "$USER_EMAIL" --password-stdin \
		--db "$T/$side.db" >/dev/null
	P=$(port)
	# No heavy-read budget: the readiness and coverage pages are timed, not refused.
	"$BIN" serve --db "$T/$side.db" --listen "127.0.0.1:$P" --log-format json \
		--heavy-reads-per-minute 0 >"$T/$side.log" 2>&1 &
	PIDS="$PIDS $!"
	eval "URL_$side=http://127.0.0.1:$P"
	eval "PID_$side=$!"
done
sleep 2
# shellcheck disable=SC2154
WEB_BENCH_PIDS="$PID_base $PID_new" node bench/web-ab.mjs "$URL_base" "$T/base.log" "$URL_new" "$T/new.log" "$USER_EMAIL" \
	"$PASSWORD" "${CALLS:-150}"
