/**
 * Response bodies within a budget: keep the first bytes and count (or stop
 * at) the rest, or drop a body we will not read.
 */
import type { Dispatcher } from 'undici'

/**
 * Reads a body to its end but keeps only the first `maxBytes`: the rest is
 * counted and dropped, so a 10 MiB answer costs a 64 KiB buffer while the
 * total time still covers the whole download. With `stopAtCap` the reading
 * ends at the first byte over the cap instead (`total` is then cap + 1 or
 * more), for callers that refuse an oversized answer outright.
 */
export async function readCapped(
  body: AsyncIterable<Uint8Array>,
  maxBytes: number,
  onChunk?: () => void,
  stopAtCap = false
): Promise<{ kept: Buffer; total: number }> {
  const parts: Buffer[] = []
  let kept = 0
  let total = 0
  for await (const chunk of body) {
    onChunk?.()
    total += chunk.length
    if (kept < maxBytes) {
      const take = Math.min(chunk.length, maxBytes - kept)
      parts.push(Buffer.from(chunk.subarray(0, take)))
      kept += take
    }
    if (stopAtCap && total > maxBytes) break
  }
  return { kept: Buffer.concat(parts, kept), total }
}

/** Drains a body we do not read, so its connection can be reused. */
export async function discard(
  body: Dispatcher.ResponseData['body']
): Promise<void> {
  try {
    await body.dump({ limit: 64 * 1024 })
  } catch {
    // The connection is dropped instead; nothing to report.
  }
}

/** Body bytes as text; invalid UTF-8 becomes replacement characters. */
export function decode(buf: Buffer): string {
  return new TextDecoder('utf-8', { fatal: false }).decode(buf)
}
