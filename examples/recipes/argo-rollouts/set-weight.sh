#!/usr/bin/env bash
# Moves an Argo Rollout to the canary weight $DEPLOY_GATES_WEIGHT. Argo has
# no "set weight" command: the weights are the Rollout's own `setWeight`
# steps, each followed by `pause: {}` (rollout.yaml), and this script walks
# them with the kubectl plugin:
#   0        kubectl argo rollouts abort: all traffic back to stable
#   1-99     kubectl argo rollouts promote, until the Rollout's traffic
#            routing reports this weight and waits at the next pause
#   100      kubectl argo rollouts promote --full, then wait until healthy
# The weights of deploy-gates' canary steps must equal the setWeight steps.
#
# Environment (DEPLOY_GATES_WEIGHT comes from deploy-gates):
#   DEPLOY_GATES_WEIGHT  canary weight, 0-100
#   ROLLOUT              name of the Rollout
#   K8S_NAMESPACE        its namespace
#   ARGO_WAIT            seconds to wait for the Rollout (default: 300)
#   ARGO_POLL            seconds between looks at it (default: 2)
#   KUBECTL              kubectl binary with the argo rollouts plugin
#                        (default: kubectl)
set -euo pipefail

weight="${DEPLOY_GATES_WEIGHT:?set-weight: DEPLOY_GATES_WEIGHT is not set}"
if [[ ! "$weight" =~ ^[0-9]{1,3}$ ]] || ((10#$weight > 100)); then
  echo "set-weight: weight must be 0-100, got '$weight'" >&2
  exit 2
fi
weight=$((10#$weight))
rollout="${ROLLOUT:?set-weight: ROLLOUT is not set}"
namespace="${K8S_NAMESPACE:?set-weight: K8S_NAMESPACE is not set}"
wait_s="${ARGO_WAIT:-300}"
poll_s="${ARGO_POLL:-2}"
kubectl="${KUBECTL:-kubectl}"

# "<canary weight> <pause reasons...>" as the traffic router recorded it;
# status.canary.weights exists only with spec.strategy.canary.trafficRouting.
state() {
  "$kubectl" get "rollouts.argoproj.io/$rollout" --namespace "$namespace" \
    -o 'jsonpath={.status.canary.weights.canary.weight} {.status.pauseConditions[*].reason}'
}

if ((weight == 0)); then
  "$kubectl" argo rollouts abort "$rollout" --namespace "$namespace"
elif ((weight == 100)); then
  "$kubectl" argo rollouts promote "$rollout" --namespace "$namespace" --full
  "$kubectl" argo rollouts status "$rollout" --namespace "$namespace" \
    --timeout "${wait_s}s"
  echo "set-weight: $namespace/$rollout fully promoted"
  exit 0
fi

deadline=$((SECONDS + wait_s))
promoted_from=""
while :; do
  current="" reasons=""
  read -r current reasons <<<"$(state)" || true
  if [[ ! "$current" =~ ^[0-9]+$ ]]; then
    # Not reported yet (or the API did not answer): wait, within limits.
    if ((SECONDS >= deadline)); then
      echo "set-weight: $namespace/$rollout reports no canary weight (is trafficRouting configured?)" >&2
      exit 1
    fi
    sleep "$poll_s"
    continue
  fi
  paused=false
  [[ " $reasons " == *" CanaryPauseStep "* ]] && paused=true
  if ((current == weight)) && { ((weight == 0)) || $paused; }; then
    break
  fi
  if ((current > weight && weight > 0)); then
    echo "set-weight: $namespace/$rollout is at $current%, past $weight%: its setWeight steps must match the canary steps" >&2
    exit 1
  fi
  # Promote once per pause: the Rollout then moves to its next setWeight.
  if ((weight > 0)) && $paused && [[ "$promoted_from" != "$current" ]]; then
    "$kubectl" argo rollouts promote "$rollout" --namespace "$namespace"
    promoted_from="$current"
  fi
  if ((SECONDS >= deadline)); then
    echo "set-weight: $namespace/$rollout did not reach $weight% within ${wait_s}s (at $current%)" >&2
    exit 1
  fi
  sleep "$poll_s"
done
echo "set-weight: $namespace/$rollout at canary $weight%"
