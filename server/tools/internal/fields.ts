/**
 * zod building blocks shared by the tools: ids, paging, per-column value schemas derived from
 * the entity definitions, and the validation of `data`, `where`/`filters`, `select` and
 * `order_by` against each entity type's whitelist.
 */
import type { ColumnDef, EntityDef } from '../../data/entities.ts'

import { z } from 'zod'
import { ENUMS } from '../../data/enums.ts'

/** Text without NUL bytes (Postgres refuses them in `text`). */
export function text(max: number, min = 0) {
  return z.string().min(min).max(max).refine((s) => !s.includes('\u0000'), 'must not contain NUL characters')
}

/** A uuid as Postgres accepts it (any version). */
export const uuid = () => z.guid()

/** Page size: 1..100, default 20. */
export const limit = (fallback = 20, max = 100) =>
  z.number().int().min(1).max(max).default(fallback).describe(`Page size, 1-${max} (default ${fallback})`)

/** Rows to skip: 0..100000, default 0. */
export const offset = () => z.number().int().min(0).max(100_000).default(0).describe('Rows to skip for paging (default 0)')

/** `include_deleted`: see soft-deleted rows too. */
export const includeDeleted = () =>
  z.boolean().default(false).describe('Also return soft-deleted rows (default false)')

/** A JSON object or array stored in a jsonb column. */
export const jsonValue = () => z.union([z.record(z.string(), z.unknown()), z.array(z.unknown())])

const INTERVAL = /^(?:\d{1,6} ?(?:second|minute|hour|day|week|month|year)s?)(?: \d{1,6} ?(?:second|minute|hour|day|week|month|year)s?)*$|^P(?=\d|T\d)(?:\d{1,6}[YMWD])*(?:T(?:\d{1,6}[HMS])+)?$/

/** The value schema of one column, for writing it or comparing with it. */
export function columnValue(def: ColumnDef): z.ZodType {
  switch (def.kind) {
    case 'uuid': return uuid()
    case 'text': return text(def.max ?? 10_000, def.min ?? 0)
    case 'int': return z.number().int().min(-2_147_483_648).max(2_147_483_647)
    case 'float': return z.number().finite()
    case 'bool': return z.boolean()
    case 'timestamp': return z.iso.datetime({ offset: true })
    case 'enum': return z.enum(ENUMS[def.enum!] as unknown as [string, ...string[]])
    case 'text[]': return z.array(text(200)).max(100)
    case 'json': return jsonValue()
    case 'interval': return z.string().max(100).regex(INTERVAL, 'must be an interval such as "30 minutes" or "PT1H"')
  }
}

/** The zod object `create_entity` / `update_entity` validate `data` with for one entity type. */
export function dataSchema(def: Pick<EntityDef, 'columns'>, mode: 'create' | 'update'): z.ZodType<Record<string, unknown>> {
  const shape: Record<string, z.ZodType> = {}
  for (const [name, column] of Object.entries(def.columns)) {
    if (mode === 'create' ? !column.create : !column.update) continue
    let value = columnValue(column)
    if (name === 'slug') value = z.string().min(1).max(255).regex(/^[a-z0-9][a-z0-9-]*$/, 'must be lowercase letters, digits and "-"')
    if (name === 'position' && column.kind === 'int') value = z.number().int().min(0).max(2_147_483_647)
    shape[name] = column.required && mode === 'create' ? value : value.optional()
  }
  const object = z.strictObject(shape)
  return mode === 'update'
    ? object.refine((d) => Object.keys(d).length > 0, 'data must set at least one field')
    : object
}

/** One line per entity type naming its writable fields (`*` = required), for descriptions. */
export function describeWritable(defs: Array<{ type: string, columns: Record<string, ColumnDef> }>, mode: 'create' | 'update'): string {
  return defs.map((def) => {
    const fields = Object.entries(def.columns)
      .filter(([, c]) => (mode === 'create' ? c.create : c.update))
      .map(([n, c]) => `${n}${mode === 'create' && c.required ? '*' : ''}${c.kind === 'enum' ? `(${ENUMS[c.enum!].join('|')})` : ''}`)
    return `${def.type}: ${fields.length ? fields.join(', ') : '(none)'}`
  }).join('; ')
}

/** Comparison operators of `where` / `filters`. */
export const OPS = ['eq', 'neq', 'gt', 'gte', 'lt', 'lte', 'like', 'ilike', 'in', 'is', 'contains'] as const
export type Op = (typeof OPS)[number]

const OPS_BY_KIND: Record<ColumnDef['kind'], readonly Op[]> = {
  uuid: ['eq', 'neq', 'in', 'is'],
  text: ['eq', 'neq', 'like', 'ilike', 'in', 'is'],
  int: ['eq', 'neq', 'gt', 'gte', 'lt', 'lte', 'in', 'is'],
  float: ['eq', 'neq', 'gt', 'gte', 'lt', 'lte', 'in', 'is'],
  timestamp: ['eq', 'neq', 'gt', 'gte', 'lt', 'lte', 'in', 'is'],
  bool: ['eq', 'neq', 'is'],
  enum: ['eq', 'neq', 'in', 'is'],
  'text[]': ['contains', 'is'],
  json: ['is'],
  interval: ['is'],
}

/** One condition of `where`. */
export interface Condition {
  field: string
  op: Op
  value: unknown
}

/** The schema of one `where` condition (field and value are checked per entity type later). */
export const conditionSchema = z.strictObject({
  field: z.string().min(1).max(63).describe('Column to compare (whitelisted per entity_type)'),
  op: z.enum(OPS).describe('Operator: eq, neq, gt, gte, lt, lte, like, ilike (text, "%" wildcard), in (array value), is (null, true or false), contains (array columns)'),
  value: z.unknown().describe('Value to compare with; an array for "in"/"contains"; null/true/false for "is"'),
})

/**
 * Checks conditions against an entity type's columns and operators; returns one message per
 * problem (empty when all are fine).
 */
export function checkConditions(def: EntityDef, conditions: Condition[]): Array<{ path: (string | number)[], message: string }> {
  const problems: Array<{ path: (string | number)[], message: string }> = []
  conditions.forEach((cond, i) => {
    const column = def.columns[cond.field]
    if (!column) {
      problems.push({ path: [i, 'field'], message: `unknown field "${cond.field}" for entity_type "${def.type}"; use one of: ${Object.keys(def.columns).join(', ')}` })
      return
    }
    const allowed = OPS_BY_KIND[column.kind]
    if (!allowed.includes(cond.op)) {
      problems.push({ path: [i, 'op'], message: `operator "${cond.op}" is not allowed on "${cond.field}"; use one of: ${allowed.join(', ')}` })
      return
    }
    const valueSchema = conditionValue(column, cond.op)
    const parsed = valueSchema.safeParse(cond.value)
    if (!parsed.success) {
      problems.push({ path: [i, 'value'], message: `bad value for "${cond.field}" ${cond.op}: ${parsed.error.issues[0]?.message ?? 'invalid'}` })
    }
  })
  return problems
}

// Value schemas per column and operator, built on first use: building a zod schema costs more
// than running it, and every query checks its conditions.
const conditionValues = new WeakMap<ColumnDef, Map<Op, z.ZodType>>()

function conditionValue(column: ColumnDef, op: Op): z.ZodType {
  let byOp = conditionValues.get(column)
  if (!byOp) conditionValues.set(column, (byOp = new Map()))
  let schema = byOp.get(op)
  if (!schema) byOp.set(op, (schema = buildConditionValue(column, op)))
  return schema
}

function buildConditionValue(column: ColumnDef, op: Op): z.ZodType {
  if (op === 'is') return column.kind === 'bool' ? z.union([z.null(), z.boolean()]) : z.null()
  if (op === 'like' || op === 'ilike') return text(255)
  if (op === 'contains') return z.array(text(200)).min(1).max(20)
  const scalar = column.kind === 'text' ? text(1_000) : columnValue(column)
  if (op === 'in') return z.array(scalar).min(1).max(100)
  return scalar
}

/** Column kinds a result can be ordered by. */
const SORTABLE = new Set<ColumnDef['kind']>(['uuid', 'text', 'int', 'float', 'bool', 'timestamp', 'enum'])

/** `order_by`: "column", "column:asc" or "column:desc". */
export const orderBySchema = () =>
  z.string().max(80).regex(/^[a-z_]+(?::(?:asc|desc))?$/, 'must look like "column", "column:asc" or "column:desc"')

/** Parses a checked `order_by` string. */
export function parseOrder(spec: string): { column: string, ascending: boolean } {
  const [column = '', direction] = spec.split(':')
  return { column, ascending: direction !== 'desc' }
}

/** Problems of an `order_by` for an entity type. */
export function checkOrder(def: EntityDef, spec: string): string | null {
  const { column } = parseOrder(spec)
  const found = def.columns[column]
  if (!found) return `unknown order_by column "${column}" for entity_type "${def.type}"`
  if (!SORTABLE.has(found.kind)) return `cannot order by "${column}" (${found.kind} column)`
  return null
}

/** Problems of a `select` column list for an entity type. */
export function checkSelect(def: EntityDef, columns: string[]): string | null {
  const unknown = columns.filter((c) => !def.columns[c])
  return unknown.length ? `unknown select column(s) ${unknown.map((c) => `"${c}"`).join(', ')} for entity_type "${def.type}"` : null
}

/** Converts a `filters` object (list_entities) to conditions: scalar → eq, null → is, array → in, {op: value} → op. */
export function filtersToConditions(filters: Record<string, unknown>): Condition[] {
  return Object.entries(filters).map(([field, raw]) => {
    if (raw === null) return { field, op: 'is', value: null }
    if (Array.isArray(raw)) return { field, op: 'in', value: raw }
    if (typeof raw === 'object') {
      const entries = Object.entries(raw as Record<string, unknown>)
      const [op, value] = entries.length === 1 ? entries[0]! : ['invalid', undefined]
      return { field, op: (OPS as readonly string[]).includes(op) ? op as Op : 'eq', value: (OPS as readonly string[]).includes(op) ? value : raw }
    }
    return { field, op: 'eq', value: raw }
  })
}
