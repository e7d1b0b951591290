/**
 * Parses `order=col.desc.nullslast,other` (PostgREST's `pOrder`), including JSON paths and the
 * related-order form `relation(col)`.
 */
import type { OrderTerm } from './types.ts'
import { Cursor, readFieldName } from './internal/Cursor.ts'
import { readField } from './parseFilter.ts'

/** Parses one `order` value into its terms. */
export function parseOrder(value: string): OrderTerm[] {
  const cursor = new Cursor(value, 'order')
  const terms: OrderTerm[] = []
  for (;;) {
    cursor.skipSpaces()
    terms.push(readTerm(cursor))
    cursor.skipSpaces()
    if (cursor.done) return terms
    cursor.expect(',', '"," or end of input')
  }
}

function readTerm(cursor: Cursor): OrderTerm {
  const start = cursor.pos
  let relation: string | undefined
  const name = readFieldName(cursor)
  let term: OrderTerm
  if (cursor.eat('(')) {
    relation = name
    const field = readField(cursor)
    cursor.expect(')', '")"')
    term = { field, relation }
  } else {
    cursor.pos = start
    term = { field: readField(cursor) }
  }
  if (cursor.startsWith('.asc') || cursor.startsWith('.desc')) {
    term.direction = cursor.eat('.asc') ? 'asc' : (cursor.eat('.desc'), 'desc')
  }
  if (cursor.eat('.nullsfirst')) term.nulls = 'first'
  else if (cursor.eat('.nullslast')) term.nulls = 'last'
  cursor.skipSpaces()
  if (!cursor.done && cursor.peek() !== ',') {
    const expecting = term.nulls
      ? '"," or end of input'
      : term.direction
        ? '"nullsfirst" or "nullslast"'
        : '"asc", "desc", "nullsfirst" or "nullslast"'
    throw cursor.fail(expecting, cursor.peek() === '.' ? cursor.pos + 1 : cursor.pos)
  }
  return term
}
