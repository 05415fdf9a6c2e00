#!/usr/bin/env bash
# Shifts the canary's share of the traffic in nginx to $DEPLOY_GATES_WEIGHT
# percent: rewrites the upstream file, checks the config, reloads nginx, and
# (with NGINX_WEIGHT_URL) waits until nginx answers with the new weight.
#
#   set-weight.sh           the traffic command: gates.canary.traffic.run
#   set-weight.sh --init    write the upstream file only (before nginx starts)
#
# Environment (DEPLOY_GATES_WEIGHT comes from deploy-gates):
#   DEPLOY_GATES_WEIGHT  canary weight, 0-100
#   NGINX_PREFIX         nginx prefix directory (nginx -p), holds nginx.conf
#   NGINX_CONF           config file (default: $NGINX_PREFIX/nginx.conf)
#   NGINX_UPSTREAM_FILE  file written (default: upstream.conf next to NGINX_CONF)
#   STABLE_UPSTREAM      host:port of the stable version
#   CANARY_UPSTREAM      host:port of the canary version
#   NGINX_BIN            nginx binary (default: nginx)
#   NGINX_WEIGHT_URL     optional: URL of /-/canary-weight, polled after reload
#   NGINX_WAIT           optional: seconds to wait for it (default: 10)
set -euo pipefail

mode="${1:-}"
if [[ -n "$mode" && "$mode" != "--init" ]]; then
  echo "set-weight: unknown argument '$mode' (use --init or nothing)" >&2
  exit 2
fi

weight="${DEPLOY_GATES_WEIGHT:?set-weight: DEPLOY_GATES_WEIGHT is not set}"
if [[ ! "$weight" =~ ^[0-9]{1,3}$ ]] || ((10#$weight > 100)); then
  echo "set-weight: weight must be 0-100, got '$weight'" >&2
  exit 2
fi
weight=$((10#$weight))

prefix="${NGINX_PREFIX:?set-weight: NGINX_PREFIX is not set}"
conf="${NGINX_CONF:-$prefix/nginx.conf}"
file="${NGINX_UPSTREAM_FILE:-$(dirname "$conf")/upstream.conf}"
stable="${STABLE_UPSTREAM:?set-weight: STABLE_UPSTREAM is not set}"
canary="${CANARY_UPSTREAM:?set-weight: CANARY_UPSTREAM is not set}"
nginx_bin="${NGINX_BIN:-nginx}"

# nginx refuses weight=0: a server with no traffic is marked `down`.
if ((weight == 0)); then
  servers="  server $stable;
  server $canary down;"
elif ((weight == 100)); then
  servers="  server $stable down;
  server $canary;"
else
  servers="  server $stable weight=$((100 - weight));
  server $canary weight=$weight;"
fi

# Write next to the target and rename, so nginx never reads half a file;
# keep the previous file to restore it if the new config is refused.
tmp="$(mktemp "$file.XXXXXX")"
trap 'rm -f "$tmp"' EXIT
cat >"$tmp" <<CONF
# Written by set-weight.sh: canary weight $weight%.
map \$host \$canary_weight {
  default "$weight";
}
upstream app {
$servers
}
CONF
chmod 0644 "$tmp"

if [[ "$mode" == "--init" ]]; then
  mv -f "$tmp" "$file"
  echo "set-weight: wrote $file (canary $weight%)"
  exit 0
fi

backup=""
if [[ -f "$file" ]]; then
  backup="$(mktemp "$file.prev.XXXXXX")"
  cp -p "$file" "$backup"
fi
mv -f "$tmp" "$file"
# `nginx -s reload` exits 0 even when the master rejects the new config, so
# test it first and put the previous file back if it does not pass.
if ! "$nginx_bin" -t -q -p "$prefix" -c "$conf"; then
  if [[ -n "$backup" ]]; then mv -f "$backup" "$file"; fi
  echo "set-weight: nginx rejected the config for weight $weight%" >&2
  exit 1
fi
if [[ -n "$backup" ]]; then rm -f "$backup"; fi
"$nginx_bin" -p "$prefix" -c "$conf" -s reload

if [[ -n "${NGINX_WEIGHT_URL:-}" ]]; then
  deadline=$((SECONDS + ${NGINX_WAIT:-10}))
  until [[ "$(curl -fsS --max-time 2 "$NGINX_WEIGHT_URL" 2>/dev/null || true)" == "$weight" ]]; do
    if ((SECONDS >= deadline)); then
      echo "set-weight: nginx did not apply weight $weight% within ${NGINX_WAIT:-10}s" >&2
      exit 1
    fi
    sleep 0.1
  done
fi
echo "set-weight: canary $weight%, stable $((100 - weight))%"
