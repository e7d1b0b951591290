/**
 * Parses filters (`col=not.in.(1,2)`), field paths with JSON arrows (`data->>name`) and the
 * `or=(…)` / `and=(…)` logic trees, following PostgREST's `QueryParams` grammar.
 * @see https://docs.postgrest.org/en/v12/references/api/tables_views.html#operators
 */
import type { FieldRef, Filter, JsonStep, LogicTree, Operation, QuantOperator, SimpleOperator, FtsOperator } from './types.ts'
import { Cursor, readFieldName, readQuoted } from './internal/Cursor.ts'

const QUANT_OPERATORS: readonly QuantOperator[] = ['eq', 'gte', 'gt', 'lte', 'lt', 'like', 'ilike', 'match', 'imatch']
const SIMPLE_OPERATORS: readonly SimpleOperator[] = ['neq', 'cs', 'cd', 'ov', 'sl', 'sr', 'nxr', 'nxl', 'adj']
const FTS_OPERATORS: readonly FtsOperator[] = ['fts', 'plfts', 'phfts', 'wfts']
const TRILEAN = ['null', 'unknown', 'true', 'false'] as const

/** Reads `->key`, `->>0`, … after a column name. */
export function readJsonPath(cursor: Cursor): JsonStep[] {
  const steps: JsonStep[] = []
  for (;;) {
    let arrow: JsonStep['arrow']
    if (cursor.eat('->>')) arrow = '->>'
    else if (cursor.eat('->')) arrow = '->'
    else return steps
    steps.push(readJsonOperand(cursor, arrow))
  }
}

function readJsonOperand(cursor: Cursor, arrow: JsonStep['arrow']): JsonStep {
  const index = /^-?\d+/.exec(cursor.input.slice(cursor.pos))
  if (index) {
    const after = cursor.input.slice(cursor.pos + index[0].length)
    if (after === '' || /^(->|::|\.|,|\))/.test(after)) {
      cursor.pos += index[0].length
      return { arrow, key: index[0], index: true }
    }
  }
  if (cursor.peek() === '"') return { arrow, key: readQuoted(cursor), index: false }
  const parts: string[] = []
  for (;;) {
    let part = ''
    while (cursor.peek() !== '' && !'(-:.,>)'.includes(cursor.peek())) part += cursor.input[cursor.pos++]
    if (part === '') throw cursor.fail('any non reserved character different from: .,>()')
    parts.push(part.trim())
    if (cursor.peek() === '-' && cursor.peek(1) !== '>') {
      cursor.pos++
      continue
    }
    return { arrow, key: parts.join('-'), index: false }
  }
}

/** A column name with an optional JSON path, surrounding spaces skipped. */
export function readField(cursor: Cursor): FieldRef {
  cursor.skipSpaces()
  const name = readFieldName(cursor)
  const jsonPath = readJsonPath(cursor)
  cursor.skipSpaces()
  return { name, jsonPath }
}

/** How the value after the operator is read: the whole rest (a query parameter) or up to `,`/`)` (inside a logic tree). */
type ValueReader = (cursor: Cursor) => string

const readRest: ValueReader = (cursor) => cursor.rest()

/** Inside `or=(…)`: a quoted value, a `{…}` array literal, or characters up to `,` / `)`. */
const readLogicValue: ValueReader = (cursor) => {
  if (cursor.peek() === '"') {
    const start = cursor.pos
    const quoted = readQuoted(cursor)
    if (cursor.done || cursor.peek() === ',' || cursor.peek() === ')') return quoted
    cursor.pos = start
  }
  if (cursor.peek() === '{') {
    const close = cursor.input.indexOf('}', cursor.pos)
    const inner = close < 0 ? '' : cursor.input.slice(cursor.pos + 1, close)
    if (close >= 0 && !inner.includes('{')) {
      const literal = cursor.input.slice(cursor.pos, close + 1)
      cursor.pos = close + 1
      return literal
    }
  }
  let value = ''
  while (!cursor.done && cursor.peek() !== ',' && cursor.peek() !== ')') value += cursor.input[cursor.pos++]
  return value
}

/** `(a,"b,c", d)` of `in.`. */
function readList(cursor: Cursor): string[] {
  cursor.skipSpaces()
  cursor.expect('(')
  cursor.skipSpaces()
  const values: string[] = []
  for (;;) {
    let element: string | undefined
    if (cursor.peek() === '"') {
      const start = cursor.pos
      const quoted = readQuoted(cursor)
      if (cursor.peek() === ',' || cursor.peek() === ')') element = quoted
      else cursor.pos = start
    }
    if (element === undefined) {
      element = ''
      while (!cursor.done && cursor.peek() !== ',' && cursor.peek() !== ')') element += cursor.input[cursor.pos++]
    }
    values.push(element)
    if (cursor.eat(',')) continue
    cursor.skipSpaces()
    cursor.expect(')', '"," or ")"')
    cursor.skipSpaces()
    return values
  }
}

/** `[not.]op[(quantifier)].value`. */
function readOperation(cursor: Cursor, readValue: ValueReader): { negate: boolean; operation: Operation } {
  const negate = cursor.eat('not.')
  const expecting = negate ? 'operator (eq, gt, ...)' : '"not" or operator (eq, gt, ...)'
  if (cursor.eat('in.')) return { negate, operation: { op: 'in', values: readList(cursor) } }
  if (cursor.eat('is.')) {
    const word = TRILEAN.find((w) => cursor.input.slice(cursor.pos, cursor.pos + w.length).toLowerCase() === w)
    if (!word) throw cursor.fail('null or trilean value (unknown, true, false)')
    cursor.pos += word.length
    return { negate, operation: { op: 'is', value: word } }
  }
  if (cursor.eat('isdistinct.')) return { negate, operation: { op: 'isdistinct', value: readValue(cursor) } }
  for (const op of FTS_OPERATORS) {
    if (!cursor.startsWith(op) || !'.('.includes(cursor.peek(op.length) || '?')) continue
    cursor.pos += op.length
    let language: string | undefined
    if (cursor.eat('(')) {
      const close = cursor.input.indexOf(')', cursor.pos)
      const inner = close < 0 ? '' : cursor.input.slice(cursor.pos, close)
      if (!/^[\p{L}\p{N}_ $]+$/u.test(inner)) throw cursor.fail('language identifier')
      language = inner.trim()
      cursor.pos = close + 1
    }
    cursor.expect('.', 'delimiter (.)')
    return { negate, operation: language === undefined ? { op, value: readValue(cursor) } : { op, language, value: readValue(cursor) } }
  }
  for (const op of SIMPLE_OPERATORS) {
    if (cursor.eat(`${op}.`)) return { negate, operation: { op, value: readValue(cursor) } }
  }
  for (const op of QUANT_OPERATORS) {
    if (!cursor.startsWith(op)) continue
    const after = cursor.input.slice(cursor.pos + op.length)
    const quantifier = after.startsWith('(any).') ? 'any' : after.startsWith('(all).') ? 'all' : undefined
    if (!quantifier && !after.startsWith('.')) continue
    cursor.pos += op.length + (quantifier ? 6 : 1)
    const value = readValue(cursor)
    return { negate, operation: quantifier ? { op, quantifier, value } : { op, value } }
  }
  throw cursor.fail(expecting)
}

/** The value of a filter parameter, e.g. `not.ilike.*smith*`. */
export function parseFilterValue(field: FieldRef, value: string): Filter {
  const cursor = new Cursor(value, 'filter')
  const { negate, operation } = readOperation(cursor, readRest)
  return { field, negate, operation }
}

/** True if `value` starts like a filter (`[not.]op.`); GET RPC parameters without one are arguments. */
export function looksLikeFilter(value: string): boolean {
  try {
    readOperation(new Cursor(value, 'filter'), readRest)
    return true
  } catch {
    return false
  }
}

/**
 * A logic tree. `op` is the parameter's key (`or`, `and`, `not.or`) and `value` its `(…)`,
 * parsed together as PostgREST does ("or(a.eq.1,and(b.gt.2,c.is.null))").
 */
export function parseLogicTree(op: 'and' | 'or', negate: boolean, value: string): LogicTree {
  // PostgREST parses "or(…)" but quotes only the parameter's value in its errors.
  const cursor = new Cursor(`${op}${value}`, 'logic tree', value)
  const children = readLogicChildren(cursor, op.length)
  if (!cursor.done) throw cursor.fail('end of input')
  return { kind: 'expr', negate, op, children }
}

function readLogicChildren(cursor: Cursor, skip: number): LogicTree[] {
  cursor.pos += skip
  cursor.skipSpaces()
  cursor.expect('(')
  const children: LogicTree[] = []
  for (;;) {
    cursor.skipSpaces()
    children.push(readLogicNode(cursor))
    cursor.skipSpaces()
    if (cursor.eat(',')) continue
    cursor.expect(')', '"," or ")"')
    cursor.skipSpaces()
    return children
  }
}

function readLogicNode(cursor: Cursor): LogicTree {
  const start = cursor.pos
  try {
    const field = readField(cursor)
    cursor.expect('.', 'delimiter (.)')
    const { negate, operation } = readOperation(cursor, readLogicValue)
    return { kind: 'filter', filter: { field, negate, operation } }
  } catch (error) {
    cursor.pos = start
    const negate = cursor.eat('not.')
    const op = cursor.startsWith('and') ? 'and' : cursor.startsWith('or') ? 'or' : undefined
    // Nested groups must start with and/or; otherwise the filter's own error is the useful one.
    if (!op || !/^\s*\(/.test(cursor.input.slice(cursor.pos + op.length))) {
      if (negate || op) throw cursor.fail('logic operator (and, or)')
      throw error
    }
    return { kind: 'expr', negate, op, children: readLogicChildren(cursor, op.length) }
  }
}
