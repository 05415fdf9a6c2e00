/**
 * Strict UTF-8 for text that users write. A lenient decoder turns a stray
 * Latin-1 byte into U+FFFD without a word, so a host name or a header would
 * silently differ from what the file shows in an editor; we refuse instead
 * and name the first bad byte.
 */

export type Decoded =
  | { ok: true; text: string }
  | { ok: false; offset: number; line: number; col: number; message: string }

const strict = new TextDecoder('utf-8', { fatal: true })

/**
 * The offset of the first byte that does not start or continue a valid
 * UTF-8 sequence (overlong forms, surrogates and values above U+10FFFF
 * count as invalid, as in the WHATWG decoder), or -1 when all are valid.
 */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  const n = bytes.length
  let i = 0
  while (i < n) {
    const c = bytes[i]
    if (c < 0x80) {
      i += 1
      continue
    }
    let need: number
    let lo = 0x80
    let hi = 0xbf
    if (c >= 0xc2 && c <= 0xdf) need = 1
    else if (c === 0xe0) [need, lo] = [2, 0xa0]
    else if (c === 0xed) [need, hi] = [2, 0x9f]
    else if (c >= 0xe1 && c <= 0xef) need = 2
    else if (c === 0xf0) [need, lo] = [3, 0x90]
    else if (c === 0xf4) [need, hi] = [3, 0x8f]
    else if (c >= 0xf1 && c <= 0xf3) need = 3
    else return i
    if (i + need > n - 1) return i
    if (bytes[i + 1] < lo || bytes[i + 1] > hi) return i
    for (let k = 2; k <= need; k++) {
      if (bytes[i + k] < 0x80 || bytes[i + k] > 0xbf) return i
    }
    i += need + 1
  }
  return -1
}

/**
 * Decodes `bytes` as UTF-8 or says where it is not, as a line and column
 * (in bytes) that an annotation can point at. `what` names the text in the
 * message: "config", "the event payload".
 */
export function decodeUtf8(bytes: Uint8Array, what: string): Decoded {
  try {
    return { ok: true, text: strict.decode(bytes) }
  } catch {
    const offset = Math.max(0, firstInvalidUtf8(bytes))
    let line = 1
    let lineStart = 0
    for (let i = 0; i < offset; i++) {
      if (bytes[i] === 0x0a) {
        line += 1
        lineStart = i + 1
      }
    }
    const utf16 =
      bytes.length >= 2 &&
      ((bytes[0] === 0xff && bytes[1] === 0xfe) ||
        (bytes[0] === 0xfe && bytes[1] === 0xff))
    const byte = bytes[offset] ?? 0
    const message = utf16
      ? `${what} is UTF-16 (it starts with a UTF-16 byte order mark); save it as UTF-8`
      : `${what} is not valid UTF-8: byte 0x${byte.toString(16).toUpperCase().padStart(2, '0')} at offset ${offset} (line ${line}); save it as UTF-8`
    return { ok: false, offset, line, col: offset - lineStart + 1, message }
  }
}
