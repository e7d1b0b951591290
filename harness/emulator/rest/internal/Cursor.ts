/**
 * A small scanner over one query-string value, shared by the select, filter and order parsers.
 * Errors come out as PostgREST's PGRST100 with a 1-based column, like its Parsec parsers.
 */
import { parseError } from '../errors.ts'
import type { PostgrestError } from '../errors.ts'

export class Cursor {
  readonly input: string
  /** What is being parsed, for the error message: "select parameter", "filter", … */
  readonly what: string
  /** The text quoted in error messages, when it differs from what is scanned. */
  readonly shown: string
  pos = 0

  constructor(input: string, what: string, shown = input) {
    this.input = input
    this.what = what
    this.shown = shown
  }

  get done(): boolean {
    return this.pos >= this.input.length
  }

  peek(offset = 0): string {
    return this.input[this.pos + offset] ?? ''
  }

  startsWith(text: string): boolean {
    return this.input.startsWith(text, this.pos)
  }

  /** Consumes `text` if it comes next. */
  eat(text: string): boolean {
    if (!this.startsWith(text)) return false
    this.pos += text.length
    return true
  }

  /** Consumes `text` or fails with "expecting". */
  expect(text: string, expecting = `"${text}"`): void {
    if (!this.eat(text)) throw this.fail(expecting)
  }

  skipSpaces(): void {
    while (this.peek() === ' ' || this.peek() === '\t') this.pos++
  }

  /** Everything left. */
  rest(): string {
    const text = this.input.slice(this.pos)
    this.pos = this.input.length
    return text
  }

  /** A PGRST100 error at the current position. */
  fail(expecting: string, at = this.pos): PostgrestError {
    const next = this.input[at]
    const unexpected = next === undefined ? 'end of input' : `"${next}"`
    return parseError(this.what, this.shown, at + 1, `unexpected ${unexpected} expecting ${expecting}`)
  }
}

/**
 * A run of letters (any script), digits, `_`, space and `$`: PostgREST's identifier characters.
 * One sticky match per run, not a test per character: select lists are parsed on every request.
 */
const IDENTIFIER_RUN = /[\p{L}\p{N}_ $]*/uy

function readIdentifierRun(cursor: Cursor): string {
  IDENTIFIER_RUN.lastIndex = cursor.pos
  const run = IDENTIFIER_RUN.exec(cursor.input)?.[0] ?? ''
  cursor.pos += run.length
  return run
}

/** `"…"` with backslash escapes; the cursor must be on the opening quote. */
export function readQuoted(cursor: Cursor): string {
  const start = cursor.pos
  cursor.expect('"')
  let text = ''
  for (;;) {
    const ch = cursor.peek()
    if (ch === '') throw cursor.fail('"\\"" (closing quote)', start)
    // Postgres identifiers cannot hold NUL; refuse it here rather than deep in the SQL layer.
    if (ch === '\0') throw cursor.fail('a character other than NUL')
    cursor.pos++
    if (ch === '"') return text
    if (ch === '\\') {
      const escaped = cursor.peek()
      if (escaped === '' || escaped === '\0') throw cursor.fail('escaped character')
      text += escaped
      cursor.pos++
    } else {
      text += ch
    }
  }
}

/**
 * A field name: quoted, or identifier characters joined by single dashes (a dash followed by
 * `>` starts a JSON arrow instead). Surrounding spaces are trimmed, as PostgREST does.
 */
export function readFieldName(cursor: Cursor): string {
  if (cursor.peek() === '"') return readQuoted(cursor)
  const parts: string[] = []
  for (;;) {
    const part = readIdentifierRun(cursor)
    if (part === '') throw cursor.fail('field name (* or [a..z0..9_$])')
    parts.push(part.trim())
    if (cursor.peek() === '-' && cursor.peek(1) !== '>') {
      cursor.pos++
      continue
    }
    return parts.join('-')
  }
}
