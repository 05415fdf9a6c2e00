/**
 * "Did you mean" for keys, probe names and vars: the closest candidate by edit
 * distance, only when it is close enough to be a plausible typo.
 */
export function suggest(
  word: string,
  candidates: readonly string[]
): string | undefined {
  let best: string | undefined
  let bestDistance = Infinity
  const lower = word.toLowerCase()
  const limit = Math.max(1, Math.floor(Math.max(word.length, 3) / 3))
  for (const c of candidates) {
    // The distance is at least the difference in length: a word far longer
    // than every candidate (a pasted blob) costs nothing to rule out.
    if (Math.abs(c.length - word.length) > limit) continue
    const d = distance(lower, c.toLowerCase())
    if (d < bestDistance) {
      best = c
      bestDistance = d
    }
  }
  return bestDistance <= limit ? best : undefined
}

/** Damerau-Levenshtein (optimal string alignment) distance, three rows. */
function distance(a: string, b: string): number {
  const cols = b.length + 1
  let before = new Uint32Array(cols)
  let prev = Uint32Array.from({ length: cols }, (_, j) => j)
  let cur = new Uint32Array(cols)
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1
      let d = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        d = Math.min(d, before[j - 2] + 1)
      }
      cur[j] = d
    }
    ;[before, prev, cur] = [prev, cur, before]
  }
  return prev[cols - 1]
}
