/**
 * The connections an HTTP load run opens itself when no dispatcher is
 * injected: undici Clients handed out so a free one is found in O(1).
 */
import { Client } from 'undici'
import type { TlsSpec } from './types.js'

/** One connection of our own, and how many requests it carries now. */
export interface Lane {
  client: Client
  running: number
}

/**
 * The connections of a run: one undici Client each, created as needed up
 * to `max`. An idle connection is found in O(1) (a Pool scans its clients
 * and queues per request, which costs about 10% of the throughput of a
 * saturated generator); with more requests in flight than connections,
 * the extra ones queue round-robin on busy connections.
 */
export class Lanes {
  private readonly all: Lane[] = []
  private readonly idle: Lane[] = []
  private readonly origin: string
  private readonly max: number
  private readonly options: Client.Options
  private rr = 0

  constructor(origin: string, max: number, options: Client.Options) {
    this.origin = origin
    this.max = Math.max(1, max)
    this.options = options
  }

  take(): Lane {
    let lane = this.idle.pop()
    if (lane === undefined) {
      if (this.all.length < this.max) {
        lane = { client: new Client(this.origin, this.options), running: 0 }
        this.all.push(lane)
      } else {
        lane = this.all[this.rr++ % this.all.length]
      }
    }
    lane.running++
    return lane
  }

  release(lane: Lane): void {
    if (--lane.running === 0) this.idle.push(lane)
  }

  async destroy(): Promise<void> {
    await Promise.all(
      this.all.map((lane) => lane.client.destroy().catch(() => undefined))
    )
  }
}

/**
 * Our connections' TLS from the probe's spec; none keeps undici's defaults
 * (the system CAs, certificates verified).
 */
export function connectOptions(
  tls: TlsSpec | undefined
): Client.Options['connect'] {
  if (tls === undefined) return undefined
  return {
    ca: tls.ca,
    rejectUnauthorized: !tls.insecure,
    minVersion: tls.minVersion
  }
}
