#!/bin/sh
# metrics.sh - metric readings: 10 million readings pushed over the API in
# durable batches of 1,000 (with SQLite alone as the baseline), then a chart
# over a year of per-minute readings. See bench/metrics.mjs and bench/README.md.
set -eu
cd "$(dirname "$0")/.."
exec node bench/metrics.mjs
