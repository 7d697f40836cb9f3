#!/usr/bin/env bash
# Load test of `serve` on loopback with wrk: one run with dynamic batching (during which the model is reloaded
# twice through POST /admin/reload) and one with batches of one request (--max-batch 1). Reports QPS, p50/p99 and
# non-2xx answers (must be 0) for both; exits non-zero if any request failed.
#
#   scripts/loadtest.sh [RUN]          RUN: a trained run folder with data/ (default: a quickstart run, trained
#                                      into $WORK/quickstart when missing, about 1.5 min on an idle 2-core machine)
# Environment: WORK (default /tmp/onerec4j-loadtest), PORT (18080), DURATION (60 s), CONNECTIONS (16),
# WRK_THREADS (2), USERS (2000 request bodies, one per user), HISTORY (last 50 interactions per user), K (10),
# JAVA_HOME (default temurin 25).
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
WORK="${WORK:-/tmp/onerec4j-loadtest}"
PORT="${PORT:-18080}"
DURATION="${DURATION:-60}"
CONNECTIONS="${CONNECTIONS:-16}"
WRK_THREADS="${WRK_THREADS:-2}"
USERS="${USERS:-2000}"
HISTORY="${HISTORY:-50}"
K="${K:-10}"
JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
JAVA="$JAVA_HOME/bin/java"
JAR="$ROOT/engine/target/engine.jar"
URL="http://127.0.0.1:$PORT"
mkdir -p "$WORK"

if ! command -v wrk >/dev/null 2>&1; then
    echo "loadtest: installing wrk (Debian package)"
    SUDO=""
    if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi
    $SUDO apt-get update -qq && $SUDO apt-get install -y -qq wrk >/dev/null
fi
if [ ! -f "$JAR" ]; then
    echo "loadtest: building $JAR"
    (cd "$ROOT" && JAVA_HOME="$JAVA_HOME" ./mvnw -B -q -DskipTests package)
fi

RUN="${1:-$WORK/quickstart}"
if [ ! -f "$RUN/run.json" ]; then
    if [ -n "${1:-}" ]; then echo "loadtest: $RUN is not a run folder (no run.json)" >&2; exit 2; fi
    echo "loadtest: training a quickstart model into $RUN"
    "$JAVA" -jar "$JAR" quickstart --out "$RUN" > "$WORK/quickstart.log" 2>&1
fi
DATA="$RUN/data"
if [ ! -f "$DATA/interactions.csv" ] || [ ! -f "$DATA/users.csv" ]; then
    echo "loadtest: $DATA/interactions.csv and users.csv are needed to build requests (a quickstart run has them)" >&2
    exit 2
fi

# One request body per user: the user's features and last $HISTORY interactions (item, timestamp, feedback).
BODIES="$WORK/bodies.jsonl"
awk -F, -v H="$HISTORY" -v U="$USERS" -v K="$K" '
    FNR == 1 { for (i = 1; i <= NF; i++) head[FILENAME, i] = $i; next }
    FILENAME ~ /users.csv$/ {
        f = ""
        for (i = 2; i <= NF; i++) if ($i != "") f = f (f == "" ? "" : ",") "\"" head[FILENAME, i] "\":\"" $i "\""
        feat[$1] = f; next
    }
    {
        fb = ""
        for (i = 4; i <= NF; i++) if ($i != "") fb = fb (fb == "" ? "" : ",") "\"" head[FILENAME, i] "\":" $i
        e = "{\"item\":\"" $2 "\",\"timestamp\":" $3 ",\"feedback\":{" fb "}}"
        if (!($1 in n)) { order[++users] = $1; n[$1] = 0 }
        n[$1]++; hist[$1, n[$1] % H] = e
    }
    END {
        for (u = 1; u <= users && u <= U; u++) {
            id = order[u]; m = n[id] < H ? n[id] : H; h = ""
            for (j = n[id] - m + 1; j <= n[id]; j++) h = h (h == "" ? "" : ",") hist[id, j % H]
            printf "{\"userFeatures\":{%s},\"history\":[%s],\"k\":%d}\n", feat[id], h, K
        }
    }' "$DATA/users.csv" "$DATA/interactions.csv" > "$BODIES"
echo "loadtest: $(wc -l < "$BODIES") request bodies (varied users, last $HISTORY interactions each) in $BODIES"

SERVER_PID=""
stop_server() {
    if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
        kill -TERM "$SERVER_PID"
        wait "$SERVER_PID" 2>/dev/null || true
    fi
    SERVER_PID=""
}
trap stop_server EXIT

start_server() { # $1: label, rest: serve options
    local label="$1"; shift
    "$JAVA" -jar "$JAR" serve --model "$RUN" --port "$PORT" --watch-seconds 0 "$@" > "$WORK/serve-$label.log" 2>&1 &
    SERVER_PID=$!
    for _ in $(seq 1 240); do
        if curl -sf "$URL/healthz" >/dev/null 2>&1; then break; fi
        if ! kill -0 "$SERVER_PID" 2>/dev/null; then cat "$WORK/serve-$label.log" >&2; exit 1; fi
        sleep 0.5
    done
    curl -sf "$URL/healthz" >/dev/null
    # Check one answer by hand before loading the server.
    local code
    code=$(head -1 "$BODIES" | curl -s -o "$WORK/first-$label.json" -w '%{http_code}' -H 'Content-Type: application/json' \
        --data-binary @- "$URL/v1/recommend")
    if [ "$code" != 200 ]; then echo "loadtest: a valid request got $code: $(cat "$WORK/first-$label.json")" >&2; exit 1; fi
    # A short warm-up so the JIT has compiled the decoding path before the timed run.
    wrk -t"$WRK_THREADS" -c"$CONNECTIONS" -d10s --timeout 30s -s "$ROOT/scripts/loadtest.lua" "$URL" -- "$BODIES" >/dev/null
}

run_wrk() { # $1: label
    wrk -t"$WRK_THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --timeout 30s --latency -s "$ROOT/scripts/loadtest.lua" \
        "$URL" -- "$BODIES" | tee "$WORK/wrk-$1.txt" | grep '^RESULT'
}

failed=0
echo "loadtest: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg); wrk -t$WRK_THREADS -c$CONNECTIONS -d${DURATION}s"

echo "== batched (default --max-batch 64), two reloads during the run"
start_server batched
(
    sleep "$((DURATION / 3))"
    for i in 1 2; do
        code=$(curl -s -o "$WORK/reload-$i.json" -w '%{http_code}' -X POST "$URL/admin/reload")
        echo "reload $i: HTTP $code $(cat "$WORK/reload-$i.json")"
        sleep "$((DURATION / 3))"
    done
) > "$WORK/reloads.txt" &
RELOADER=$!
batched=$(run_wrk batched)
wait "$RELOADER"
echo "$batched"
cat "$WORK/reloads.txt"
curl -s "$URL/metrics" > "$WORK/metrics-batched.txt"
grep -E '^onerec_model_reloads_total|^onerec_batch_requests_(sum|count)' "$WORK/metrics-batched.txt" || true
if [ "$(grep -c 'HTTP 200' "$WORK/reloads.txt")" != 2 ]; then echo "loadtest: a reload failed" >&2; failed=1; fi
stop_server

echo "== unbatched (--max-batch 1)"
start_server unbatched --max-batch 1
unbatched=$(run_wrk unbatched)
echo "$unbatched"
curl -s "$URL/metrics" > "$WORK/metrics-unbatched.txt"
grep -E '^onerec_batch_requests_(sum|count)' "$WORK/metrics-unbatched.txt" || true
stop_server

for r in "$batched" "$unbatched"; do
    if ! echo "$r" | grep -q 'non2xx=0 socket_errors=0 timeouts=0'; then failed=1; fi
done
echo "loadtest: batched:   ${batched#RESULT }"
echo "loadtest: unbatched: ${unbatched#RESULT }"
if [ "$failed" != 0 ]; then echo "loadtest: FAILED (requests or reloads failed; logs in $WORK)" >&2; exit 1; fi
echo "loadtest: OK, zero failed requests in both runs"
