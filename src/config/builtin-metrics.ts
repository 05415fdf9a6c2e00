/**
 * The names of the metrics deploy-gates computes itself, from its own probe
 * samples, apart from the schema so that the measuring code and the rules
 * share one list without the whole config schema.
 */
/**
 * Metrics computed from probe samples, with the kind of value they hold.
 * `pNN` is the request latency of HTTP probes; `ws-*-pNN` are measures of
 * WebSocket and Socket.IO probes (DESIGN.md §5: latency means one thing).
 */
export const BUILTIN_METRICS = {
  'error-rate': 'percent',
  'success-rate': 'percent',
  p50: 'duration',
  p90: 'duration',
  p95: 'duration',
  p99: 'duration',
  'ws-connect-p50': 'duration',
  'ws-connect-p90': 'duration',
  'ws-connect-p95': 'duration',
  'ws-connect-p99': 'duration',
  'ws-first-message-p50': 'duration',
  'ws-first-message-p90': 'duration',
  'ws-first-message-p95': 'duration',
  'ws-first-message-p99': 'duration',
  'ws-push-p50': 'duration',
  'ws-push-p90': 'duration',
  'ws-push-p95': 'duration',
  'ws-push-p99': 'duration'
} as const
