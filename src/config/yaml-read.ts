/**
 * Reads YAML text into documents at a cost that grows with the input's
 * length and no faster. The library parses without recursion but composes
 * with it, and its own duplicate-key check compares every key with every
 * other; so nesting and size are bounded while the tokens stream by, and
 * duplicate keys are found here with one set per mapping.
 */
import {
  Composer,
  isMap,
  isPair,
  isScalar,
  isSeq,
  Lexer,
  Parser,
  type CST,
  type Document,
  type LineCounter
} from 'yaml'

export interface YamlLimits {
  /** Collections inside collections. */
  depth: number
  /** Keys, values, list items, anchors, tags in the whole file. */
  nodes: number
  /** Lines in the whole file (comments and blank lines too). */
  lines: number
  /**
   * Tokens the parser could not place (stray `]`): each becomes an error
   * object with a stack trace, the costliest thing a flood can buy.
   */
  syntaxErrors: number
}

export type YamlRead =
  | { ok: true; docs: Document.Parsed[] }
  | { ok: false; offset: number; message: string }

/** A problem found in the composed document, with its key path. */
export interface NodeProblem {
  offset: number
  path: (string | number)[]
  message: string
}

/** The lexer's mark before a plain or block scalar's text. */
const PLAIN_SCALAR = '\x1f'
/** Lexemes that add no node of their own. */
const NOT_NODES = new Set([':', '\x02', '\x18'])

/**
 * Every lexeme but spacing, comments, `:` and the `]` or `}` that closes
 * an open bracket counts, so the limit bounds the parser's work whatever
 * the file is made of (values, `-` items, `&` anchors, `,` separators,
 * stray `]`): each costs the parser a few steps and, when misplaced, an
 * error object. Lines are bounded separately.
 */
function countsAsNode(lexeme: string): boolean {
  const c = lexeme[0]
  if (c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '#')
    return false
  return !NOT_NODES.has(lexeme)
}

/** The offset where line `max + 1` starts, or -1 when there are no more. */
function lineLimit(text: string, max: number): number {
  let at = -1
  for (let n = 0; n < max; n++) {
    at = text.indexOf('\n', at + 1)
    if (at < 0) return -1
  }
  return at + 1 < text.length ? at + 1 : -1
}

/**
 * Tokenizes and composes `text`, stopping at the first token past a limit:
 * the parser's stack holds the document, one entry per open collection and
 * at most one scalar, so a stack longer than `depth + 2` is deeper than
 * `depth` whatever quotes, escapes or indentation hide it.
 */
export function readYaml(
  text: string,
  lines: LineCounter,
  limits: YamlLimits
): YamlRead {
  const tooLong = lineLimit(text, limits.lines)
  if (tooLong >= 0) {
    lines.addNewLine(0)
    return {
      ok: false,
      offset: tooLong,
      message: `more than ${limits.lines.toLocaleString('en-US')} lines; a deploy-gates config needs far fewer`
    }
  }
  const parser = new Parser(lines.addNewLine)
  lines.addNewLine(0)
  const tokens: CST.Token[] = []
  let nodes = 0
  let afterScalar = false
  let open = 0
  let syntax = 0
  let first: CST.ErrorToken | undefined
  for (const lexeme of new Lexer().lex(text)) {
    if (afterScalar) afterScalar = false
    else if ((lexeme === ']' || lexeme === '}') && open > 0) open -= 1
    else if (countsAsNode(lexeme)) {
      if (lexeme === '[' || lexeme === '{') open += 1
      afterScalar = lexeme === PLAIN_SCALAR
      nodes += 1
      if (nodes > limits.nodes) {
        return {
          ok: false,
          offset: parser.offset,
          message: `more than ${limits.nodes.toLocaleString('en-US')} YAML nodes (keys, values, list items, anchors, tags); a deploy-gates config needs far fewer`
        }
      }
    }
    for (const token of parser.next(lexeme)) {
      if (token.type === 'error') {
        first ??= token
        if (++syntax > limits.syntaxErrors) {
          return {
            ok: false,
            offset: first.offset,
            message: `${first.message} (and over ${limits.syntaxErrors.toLocaleString('en-US')} more YAML syntax errors)`
          }
        }
      }
      tokens.push(token)
    }
    if (parser.stack.length > limits.depth + 2) {
      return {
        ok: false,
        offset: parser.offset,
        message: `nesting deeper than ${limits.depth} levels`
      }
    }
  }
  for (const token of parser.end()) tokens.push(token)
  const composer = new Composer({
    uniqueKeys: false,
    prettyErrors: false,
    strict: true,
    merge: false,
    version: '1.2'
  })
  return { ok: true, docs: Array.from(composer.compose(tokens)) }
}

/**
 * A key as the loaded object spells it (a missing or null key is ''), or
 * undefined for a list or mapping used as a key.
 */
export function keyName(key: unknown): string | undefined {
  if (key === null || key === undefined) return ''
  if (!isScalar(key)) return undefined
  const v: unknown = key.value
  if (v === null || v === undefined) return ''
  if (typeof v === 'string') return v
  if (typeof v === 'number' || typeof v === 'boolean') return String(v)
  return typeof v === 'bigint' ? v.toString() : undefined
}

/**
 * Duplicate keys, lists or mappings as keys, numbers that are not finite (`.nan`, `.inf`, `1e400`),
 * in document order, at most `max` of them. A key counts as a duplicate
 * when its text equals an earlier one's, as keys of the loaded object would
 * (`1` and `"1"` collide there too). The walk recurses, which is safe only
 * because readYaml bounded the depth first.
 */
export function nodeProblems(
  doc: Document.Parsed,
  text: string,
  max: number
): { problems: NodeProblem[]; more: number } {
  const problems: NodeProblem[] = []
  let more = 0
  const path: (string | number)[] = []
  const report = (offset: number, message: string): void => {
    if (problems.length < max)
      problems.push({ offset, path: [...path], message })
    else more += 1
  }
  const walk = (node: unknown): void => {
    if (isScalar(node)) {
      if (typeof node.value === 'number' && !Number.isFinite(node.value)) {
        const [start, end] = node.range ?? [0, 0]
        const written = text.slice(start, Math.min(end, start + 60)).trim()
        report(
          start,
          `expected a finite number, got '${written}' (quote it to use it as text)`
        )
      }
    } else if (isMap(node)) {
      const seen = new Set<string>()
      for (const pair of node.items) {
        const key = pair.key
        const name = keyName(key)
        if (name === undefined) {
          report(
            isMap(key) || isSeq(key) ? (key.range?.[0] ?? 0) : 0,
            'a key must be a name, not a list or a mapping'
          )
        } else if (seen.has(name)) {
          report(
            isScalar(key) ? (key.range?.[0] ?? 0) : 0,
            `duplicate key '${name}'`
          )
        } else seen.add(name)
        walk(key)
        path.push(name ?? '?')
        walk(pair.value)
        path.pop()
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, i) => {
        path.push(i)
        walk(item)
        path.pop()
      })
    } else if (isPair(node)) {
      walk(node.key)
      walk(node.value)
    }
  }
  walk(doc.contents)
  return { problems, more }
}
