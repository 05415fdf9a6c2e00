#!/usr/bin/env bash
# Shifts the canary's share of the traffic on Cloud Run, between the
# revisions tagged `stable` and `canary`: $DEPLOY_GATES_WEIGHT percent to
# `canary`, the rest to `stable`, both named so that no other revision keeps
# traffic. The deploy tags the new revision `canary` (deploy --no-traffic
# --tag canary); the promote moves the `stable` tag to it.
#
# Environment (DEPLOY_GATES_WEIGHT comes from deploy-gates):
#   DEPLOY_GATES_WEIGHT  canary weight, 0-100
#   CLOUD_RUN_SERVICE    the Cloud Run service
#   CLOUD_RUN_REGION     its region
#   GCLOUD               gcloud binary (default: gcloud); the project and
#                        credentials come from the usual gcloud config
#                        (e.g. google-github-actions/auth)
set -euo pipefail

weight="${DEPLOY_GATES_WEIGHT:?set-traffic: DEPLOY_GATES_WEIGHT is not set}"
if [[ ! "$weight" =~ ^[0-9]{1,3}$ ]] || ((10#$weight > 100)); then
  echo "set-traffic: weight must be 0-100, got '$weight'" >&2
  exit 2
fi
weight=$((10#$weight))
service="${CLOUD_RUN_SERVICE:?set-traffic: CLOUD_RUN_SERVICE is not set}"
region="${CLOUD_RUN_REGION:?set-traffic: CLOUD_RUN_REGION is not set}"
gcloud="${GCLOUD:-gcloud}"

# update-traffic waits until the new split serves (unless --async).
"$gcloud" run services update-traffic "$service" --region "$region" \
  --to-tags "canary=$weight,stable=$((100 - weight))" --quiet
echo "set-traffic: canary $weight%, stable $((100 - weight))% on $service"
