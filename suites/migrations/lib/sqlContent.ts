/**
 * The content of SQL text, comparable between a migration file and what the Supabase CLI stored
 * for it. The CLI records a migration as its statements: split at each top-level `;`, trimmed,
 * and without the `;` itself. So both sides drop comments (`--` and nested `/* … *\/`), all
 * whitespace and every top-level `;`; comments and semicolons inside string literals, quoted
 * identifiers and dollar-quoted bodies are content and stay (only their whitespace goes).
 */
import { createHash } from 'node:crypto'

// A dollar-quote opener: `$$` or `$tag$`, where the tag is an identifier without `$`.
const DOLLAR_TAG = /\$(?:[A-Za-z_\u0080-\uffff][A-Za-z0-9_\u0080-\uffff]*)?\$/y
// What may precede a `$` that is part of an identifier (`a$b`) or a parameter (`$1`), not a quote.
const IDENTIFIER_CHAR = /[A-Za-z0-9_$\u0080-\uffff]/
const WHITESPACE = /\s/

const withoutWhitespace = (text: string) => text.replace(/\s+/g, '')

/** `sql` without comments, whitespace and top-level semicolons. */
export function normalizeSql(sql: string): string {
  let out = ''
  let i = 0
  while (i < sql.length) {
    const c = sql[i]!
    const next = sql[i + 1]
    if (c === '-' && next === '-') {
      const end = sql.indexOf('\n', i + 2)
      i = end < 0 ? sql.length : end + 1
    } else if (c === '/' && next === '*') {
      i = blockCommentEnd(sql, i)
    } else if (c === "'" || c === '"') {
      const end = quotedEnd(sql, i, c === "'" && isEscapeString(sql, i))
      out += withoutWhitespace(sql.slice(i, end))
      i = end
    } else if (c === '$' && !IDENTIFIER_CHAR.test(sql[i - 1] ?? ' ')) {
      const end = dollarQuotedEnd(sql, i)
      if (end === undefined) {
        out += c
        i++
      } else {
        out += withoutWhitespace(sql.slice(i, end))
        i = end
      }
    } else {
      if (c !== ';' && !WHITESPACE.test(c)) out += c
      i++
    }
  }
  return out
}

/** Hex SHA-256 of `normalizeSql(sql)`. */
export function contentHash(sql: string): string {
  return createHash('sha256').update(normalizeSql(sql)).digest('hex')
}

/**
 * The content hash of statements as the Supabase CLI stores them. They are joined with a line
 * break, not run together: a statement may end in a `--` comment that would swallow the next.
 */
export function statementsHash(statements: readonly string[]): string {
  return contentHash(statements.join('\n'))
}

/** Index after the block comment opening at `start` (Postgres block comments nest). */
function blockCommentEnd(sql: string, start: number): number {
  let depth = 0
  let i = start
  while (i < sql.length) {
    if (sql[i] === '/' && sql[i + 1] === '*') {
      depth++
      i += 2
    } else if (sql[i] === '*' && sql[i + 1] === '/') {
      depth--
      i += 2
      if (depth === 0) return i
    } else {
      i++
    }
  }
  return sql.length
}

/** True when the `'` at `quote` opens an `E'…'` string, where backslashes escape. */
function isEscapeString(sql: string, quote: number): boolean {
  const prefix = sql[quote - 1]
  return (prefix === 'E' || prefix === 'e') && !IDENTIFIER_CHAR.test(sql[quote - 2] ?? ' ')
}

/** Index after the `'…'` or `"…"` opening at `start` (a doubled quote is part of it). */
function quotedEnd(sql: string, start: number, backslashEscapes: boolean): number {
  const quote = sql[start]
  let i = start + 1
  while (i < sql.length) {
    const c = sql[i]
    if (backslashEscapes && c === '\\') {
      i += 2
    } else if (c === quote) {
      if (sql[i + 1] !== quote) return i + 1
      i += 2
    } else {
      i++
    }
  }
  return sql.length
}

/** Index after the dollar-quoted body opening at `start`, or undefined when no tag opens there. */
function dollarQuotedEnd(sql: string, start: number): number | undefined {
  DOLLAR_TAG.lastIndex = start
  const tag = DOLLAR_TAG.exec(sql)?.[0]
  if (tag === undefined) return undefined
  const close = sql.indexOf(tag, start + tag.length)
  return close < 0 ? sql.length : close + tag.length
}
