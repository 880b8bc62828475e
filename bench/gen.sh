#!/bin/sh
# Generates the large organisation of bench/README.md ("gen") in a temporary
# directory and prints the generation and read timings as Markdown.
set -eu
cd "$(dirname "$0")/.."
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
build/rel/bench/gen --db "$dir/gen.db" "$@"
