#!/usr/bin/env bash
# Shifts the canary's share of the traffic on an AWS Application Load
# Balancer: the listener's default action forwards to two weighted target
# groups (stable and canary) with stickiness off, and this script sets
# their weights to 100 - $DEPLOY_GATES_WEIGHT and $DEPLOY_GATES_WEIGHT,
# then reads the listener back to check them. ALB accepts weight 0.
#
# Environment (DEPLOY_GATES_WEIGHT comes from deploy-gates):
#   DEPLOY_GATES_WEIGHT  canary weight, 0-100
#   ALB_LISTENER_ARN     the listener whose default action is changed
#   STABLE_TG_ARN        target group of the stable version
#   CANARY_TG_ARN        target group of the canary version
#   AWS_REGION           and the usual AWS credentials (e.g. from
#                        aws-actions/configure-aws-credentials)
#   AWS                  aws CLI binary (default: aws)
set -euo pipefail

weight="${DEPLOY_GATES_WEIGHT:?set-weight: DEPLOY_GATES_WEIGHT is not set}"
if [[ ! "$weight" =~ ^[0-9]{1,3}$ ]] || ((10#$weight > 100)); then
  echo "set-weight: weight must be 0-100, got '$weight'" >&2
  exit 2
fi
weight=$((10#$weight))
listener="${ALB_LISTENER_ARN:?set-weight: ALB_LISTENER_ARN is not set}"
stable="${STABLE_TG_ARN:?set-weight: STABLE_TG_ARN is not set}"
canary="${CANARY_TG_ARN:?set-weight: CANARY_TG_ARN is not set}"
aws="${AWS:-aws}"

# The ARNs go into JSON: accept only what an ARN can contain.
arn='^arn:aws[a-z-]*:elasticloadbalancing:[a-z0-9-]+:[0-9]{12}:[A-Za-z0-9/._-]+$'
for value in "$listener" "$stable" "$canary"; do
  if [[ ! "$value" =~ $arn ]]; then
    echo "set-weight: not an elasticloadbalancing ARN: '$value'" >&2
    exit 2
  fi
done

actions="$(printf '[{"Type":"forward","ForwardConfig":{"TargetGroups":[{"TargetGroupArn":"%s","Weight":%d},{"TargetGroupArn":"%s","Weight":%d}],"TargetGroupStickinessConfig":{"Enabled":false}}}]' \
  "$stable" "$((100 - weight))" "$canary" "$weight")"

"$aws" elbv2 modify-listener --listener-arn "$listener" \
  --default-actions "$actions" --output text --query 'Listeners[0].ListenerArn' >/dev/null

actual="$("$aws" elbv2 describe-listeners --listener-arns "$listener" --output text \
  --query "Listeners[0].DefaultActions[0].ForwardConfig.TargetGroups[?TargetGroupArn=='$canary'].Weight")"
if [[ "$actual" != "$weight" ]]; then
  echo "set-weight: listener has canary weight '$actual', expected '$weight'" >&2
  exit 1
fi
echo "set-weight: canary $weight%, stable $((100 - weight))% on the listener"
