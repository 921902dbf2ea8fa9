#!/usr/bin/env bash
# Lighthouse (SEO, accessibility, best practices, performance) and html-validate over one page
# of each kind, with the scores printed as a table.
#
#   bench/seo_check.sh                      # serves the demo site itself on $PORT (default 8250)
#   BASE_URL=http://127.0.0.1:8000 bench/seo_check.sh   # checks a site that is already running
#
# Needs node/npm and Debian's chromium. Lighthouse and html-validate are installed by npm into
# bench/node_modules (gitignored) from bench/package-lock.json. Reports go to bench/results/.
set -euo pipefail
cd "$(dirname "$0")"
bench=$(pwd)
root=$(cd .. && pwd)
results="$bench/results/seo-$(date +%Y%m%d-%H%M%S)"
mkdir -p "$results"

export CHROME_PATH=${CHROME_PATH:-/usr/bin/chromium}
[ -x "$CHROME_PATH" ] || { echo "Chromium not found at $CHROME_PATH (apt install chromium)"; exit 2; }
if [ ! -x node_modules/.bin/lighthouse ] || [ ! -x node_modules/.bin/html-validate ]; then
  echo "Installing lighthouse and html-validate into bench/node_modules..."
  npm ci --no-audit --no-fund --loglevel=error
fi

server_pid=""
stop() { [ -n "$server_pid" ] && kill -- "-$server_pid" 2>/dev/null || true; }
trap stop EXIT
if [ -z "${BASE_URL:-}" ]; then
  port=${PORT:-8250}
  BASE_URL="http://127.0.0.1:$port"
  echo "Serving the demo site on $BASE_URL (log: $results/server.log)"
  (cd "$root" && PORT=$port SITE_URL=$BASE_URL exec setsid make run >"$results/server.log" 2>&1) &
  server_pid=$!
  for _ in $(seq 1 120); do
    curl -fsS -o /dev/null "$BASE_URL/" 2>/dev/null && break
    sleep 1
  done
fi
curl -fsS -o /dev/null "$BASE_URL/" || { echo "$BASE_URL/ does not answer"; exit 1; }

# One page of each kind; kinds a branch does not serve (404) are skipped and said so.
PAGES=(
  "home /"
  "role /roles/harness-engineer/"
  "cluster-page /roles/harness-engineer/architecture/"
  "comparison /compare/harness-engineer-vs-ai-engineer/"
  "comparisons /compare/"
  "faq-index /faq/"
  "tag-page /tags/context-engineering/"
)
FLAGS="--headless=new --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking --disable-component-update --disable-sync"

printf '%-14s %5s %5s %5s %5s %10s  %s\n' kind seo a11y best perf "html errs" path
for entry in "${PAGES[@]}"; do
  read -r kind path <<<"$entry"
  status=$(curl -s -o "$results/$kind.html" -w '%{http_code}' "$BASE_URL$path")
  if [ "$status" != 200 ]; then
    printf '%-14s %s\n' "$kind" "skipped: $path answered $status"
    continue
  fi
  node_modules/.bin/lighthouse "$BASE_URL$path" --quiet --output=json \
    --output-path="$results/$kind.lighthouse.json" --chrome-flags="$FLAGS" \
    --only-categories=seo,accessibility,best-practices,performance >/dev/null 2>&1 || true
  errors=$(node_modules/.bin/html-validate --config htmlvalidate.json --formatter json \
    "$results/$kind.html" 2>/dev/null | python3 -c 'import json,sys; print(sum(r["errorCount"] for r in json.load(sys.stdin)))' || echo "?")
  python3 - "$results/$kind.lighthouse.json" "$kind" "$errors" "$path" <<'PY'
import json, sys
path, kind, errors, url = sys.argv[1:]
try:
    categories = json.load(open(path))["categories"]
    score = lambda name: str(round(categories[name]["score"] * 100)) if categories[name]["score"] is not None else "-"
    scores = [score(n) for n in ("seo", "accessibility", "best-practices", "performance")]
except (OSError, KeyError, ValueError):
    scores = ["?"] * 4
print(f"{kind:<14} {scores[0]:>5} {scores[1]:>5} {scores[2]:>5} {scores[3]:>5} {errors:>10}  {url}")
PY
done
echo
echo "Failed Lighthouse SEO audits and html-validate messages, if any:"
for report in "$results"/*.lighthouse.json; do
  python3 - "$report" <<'PY'
import json, sys
data = json.load(open(sys.argv[1]))
seo = data["categories"]["seo"]["auditRefs"]
for ref in seo:
    audit = data["audits"][ref["id"]]
    if audit.get("score") is not None and audit["score"] < 1 and ref.get("weight", 0) > 0:
        print(f"  {data['finalDisplayedUrl']}: {audit['title']}")
PY
done
for page in "$results"/*.html; do
  node_modules/.bin/html-validate --config htmlvalidate.json "$page" 2>/dev/null | sed 's/^/  /' || true
done
echo "(reports in $results)"
