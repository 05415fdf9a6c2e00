#!/usr/bin/env bash
# Shifts the canary's share of the traffic with ingress-nginx: sets the
# canary-weight annotation of the canary Ingress to $DEPLOY_GATES_WEIGHT and
# checks the API server kept it. ingress-nginx applies annotation changes
# without a reload, within seconds.
#
# Environment (DEPLOY_GATES_WEIGHT comes from deploy-gates):
#   DEPLOY_GATES_WEIGHT  canary weight, 0-100
#   CANARY_INGRESS       name of the Ingress annotated `canary: "true"`
#   K8S_NAMESPACE        its namespace
#   KUBECTL              kubectl binary (default: kubectl); the kubeconfig
#                        and context come from the usual KUBECONFIG
set -euo pipefail

weight="${DEPLOY_GATES_WEIGHT:?set-weight: DEPLOY_GATES_WEIGHT is not set}"
if [[ ! "$weight" =~ ^[0-9]{1,3}$ ]] || ((10#$weight > 100)); then
  echo "set-weight: weight must be 0-100, got '$weight'" >&2
  exit 2
fi
weight=$((10#$weight))
ingress="${CANARY_INGRESS:?set-weight: CANARY_INGRESS is not set}"
namespace="${K8S_NAMESPACE:?set-weight: K8S_NAMESPACE is not set}"
kubectl="${KUBECTL:-kubectl}"

# canary-weight 0 sends nothing to the canary, 100 sends everything; the
# canary-by-header annotation (X-Canary: always / never) still wins, which
# is what the probes of each track use.
"$kubectl" annotate ingress "$ingress" --namespace "$namespace" --overwrite \
  "nginx.ingress.kubernetes.io/canary-weight=$weight"

actual="$("$kubectl" get ingress "$ingress" --namespace "$namespace" \
  -o 'jsonpath={.metadata.annotations.nginx\.ingress\.kubernetes\.io/canary-weight}')"
if [[ "$actual" != "$weight" ]]; then
  echo "set-weight: ingress '$ingress' has canary-weight '$actual', expected '$weight'" >&2
  exit 1
fi
echo "set-weight: canary $weight% on ingress $namespace/$ingress"
