/**
 * Parses `select=` into a tree of select items: columns (`alias:col->json::cast`), `*`, and
 * embeds (`alias:relation!hint!inner(…)`), following PostgREST's `pFieldForest`.
 * Spreads and aggregates are recognised so they can be refused by name.
 * @see https://docs.postgrest.org/en/v12/references/api/resource_embedding.html
 */
import type { SelectItem } from './types.ts'
import { Cursor, readFieldName } from './internal/Cursor.ts'
import { PostgrestError, unsupported } from './errors.ts'
import { readJsonPath } from './parseFilter.ts'

const AGGREGATES = ['sum', 'avg', 'count', 'max', 'min']

/** PGRST123, as PostgREST answers while `db-aggregates-enabled` is off (Supabase's default). */
function aggregatesNotAllowed(): PostgrestError {
  return new PostgrestError(400, { code: 'PGRST123', message: 'Use of aggregate functions is not allowed' })
}

/** Parses the whole `select` value; an empty value selects no columns. */
export function parseSelect(value: string): SelectItem[] {
  const cursor = new Cursor(value, 'select parameter')
  const items = readForest(cursor, 0)
  if (!cursor.done) throw cursor.fail('"," or end of input')
  return items
}

function readForest(cursor: Cursor, depth: number): SelectItem[] {
  const items: SelectItem[] = []
  cursor.skipSpaces()
  if (cursor.done || cursor.peek() === ')') return items
  for (;;) {
    items.push(readItem(cursor, depth))
    cursor.skipSpaces()
    if (!cursor.eat(',')) return items
    cursor.skipSpaces()
  }
}

function atItemEnd(cursor: Cursor): boolean {
  return cursor.done || cursor.peek() === ',' || cursor.peek() === ')'
}

function readItem(cursor: Cursor, depth: number): SelectItem {
  cursor.skipSpaces()
  if (cursor.startsWith('...')) throw unsupported('Spread embedding ("...relation(…)" in select)')
  if (cursor.eat('*')) {
    cursor.skipSpaces()
    if (!atItemEnd(cursor)) throw cursor.fail('")", "," or end of input')
    return { kind: 'star' }
  }
  const start = cursor.pos
  let alias: string | undefined
  const first = readFieldName(cursor)
  if (cursor.peek() === ':' && cursor.peek(1) !== ':') {
    cursor.pos++
    alias = first
    cursor.skipSpaces()
    if (cursor.startsWith('...')) throw cursor.fail('field name (* or [a..z0..9_$])')
  } else {
    cursor.pos = start
  }
  if (cursor.startsWith('count()')) throw aggregatesNotAllowed()
  const nameStart = cursor.pos
  const name = readFieldName(cursor)
  if (cursor.peek() === '!' || (cursor.peek() === '(' && name !== 'count')) {
    return readEmbed(cursor, depth, name, alias)
  }
  cursor.pos = nameStart
  readFieldName(cursor)
  const jsonPath = readJsonPath(cursor)
  let cast: string | undefined
  if (cursor.eat('::')) cast = readCast(cursor)
  if (cursor.peek() === '.' && AGGREGATES.some((agg) => cursor.input.startsWith(`.${agg}()`, cursor.pos))) {
    throw aggregatesNotAllowed()
  }
  cursor.skipSpaces()
  if (!atItemEnd(cursor)) throw cursor.fail('"->", "::", ")", "," or end of input')
  const item: SelectItem = { kind: 'field', field: { name, jsonPath } }
  if (alias !== undefined) item.alias = alias
  if (cast !== undefined) item.cast = cast
  return item
}

/** `::type`: identifier characters only; the planner checks the type exists. */
function readCast(cursor: Cursor): string {
  let cast = ''
  while (/[\p{L}\p{N}_ $]/u.test(cursor.peek()) && cursor.peek() !== '') cast += cursor.input[cursor.pos++]
  if (cast.trim() === '') throw cursor.fail('letter or digit')
  return cast.trim()
}

function readEmbed(cursor: Cursor, depth: number, relation: string, alias: string | undefined): SelectItem {
  let hint: string | undefined
  let joinType: 'inner' | 'left' | undefined
  for (let i = 0; i < 2 && cursor.eat('!'); i++) {
    if (cursor.startsWith('inner') && /^[(!]/.test(cursor.input.slice(cursor.pos + 5))) {
      cursor.pos += 5
      joinType = 'inner'
    } else if (cursor.startsWith('left') && /^[(!]/.test(cursor.input.slice(cursor.pos + 4))) {
      cursor.pos += 4
      joinType = 'left'
    } else {
      hint = readFieldName(cursor)
    }
  }
  cursor.expect('(', '"(" or "!"')
  const items = readForest(cursor, depth + 1)
  cursor.skipSpaces()
  cursor.expect(')', '"," or ")"')
  const embed: SelectItem = { kind: 'embed', relation, items }
  if (alias !== undefined) embed.alias = alias
  if (hint !== undefined) embed.hint = hint
  if (joinType !== undefined) embed.joinType = joinType
  return embed
}
