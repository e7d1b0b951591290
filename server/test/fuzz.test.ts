/**
 * Fuzz: at least 2,000 generated tool calls with hostile inputs — wrong types, huge strings,
 * SQL and PostgREST syntax in strings, unknown fields, negative limits, deep nesting, random
 * workflow steps — mixed with plausible values and real ids so that many calls get past
 * validation and reach the database. Every answer must be a typed tool error other than
 * INTERNAL, or a result the SDK client validates against the tool's output schema.
 */
import type { Client } from '@modelcontextprotocol/sdk/client/index.js'
import type { Stack, TestUser } from './test-utils.ts'

import fc from 'fast-check'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { ERROR_CODES } from '../errors.ts'
import { TOOLS } from '../tools/index.ts'
import { call, ok, openStack } from './test-utils.ts'

const RUNS = Number(process.env.FUZZ_RUNS ?? 2_000)

let stack: Stack
let alice: TestUser
let client: Client
const ids: string[] = []

beforeAll(async () => {
  stack = await openStack('dry')
  alice = await stack.signUp('fuzz')
  const other = await stack.signUp('other')
  client = await stack.connect(alice)
  const ws = (await ok(client, 'workspace', { operation: 'create_workspace', name: 'Fuzz' })).item.id
  const project = (await ok(client, 'entity', { operation: 'create_entity', entity_type: 'project', data: { organization_id: ws, name: 'Fuzzed' } })).item.id
  const doc = (await ok(client, 'entity', { operation: 'create_entity', entity_type: 'document', data: { project_id: project, name: 'Doc' } })).item.id
  const req = (await ok(client, 'entity', { operation: 'create_entity', entity_type: 'requirement', data: { document_id: doc, name: 'Req' } })).item.id
  const testId = (await ok(client, 'entity', { operation: 'create_entity', entity_type: 'test', data: { project_id: project, title: 'Test' } })).item.id
  const wf = (await ok(client, 'workflow', { operation: 'create_workflow', workspace_id: ws, template: 'bulk_status_update' })).item.id
  ids.push(ws, project, doc, req, testId, wf, alice.id, other.id)
})
afterAll(async () => {
  await client?.close()
  await stack?.close()
})

const HOSTILE_STRINGS = [
  "' OR 1=1 --", "'; drop table public.projects; --", 'a\u0000b', '%', '*', 'a,b)', '(', '"', '\\', '${steps.x.y}', '${inputs.__proto__}',
  '__proto__', 'constructor', '../../etc/passwd', '<script>alert(1)</script>', '🚀 ünïcödé', 'eq.1', 'not.is.null', 'select=*', 'id=eq.1&or=(x)',
  ' ', '', 'null', 'true', '-1', '1e309', 'NaN', '2025-13-45T99:99:99Z', 'P1Y2M', '30 minutes', 'name:desc', 'name;drop', 'a'.repeat(300),
]
const COLUMNS = ['id', 'name', 'title', 'slug', 'status', 'priority', 'description', 'tags', 'version', 'organization_id', 'project_id', 'document_id',
  'block_id', 'link_type', 'role', 'is_deleted', 'created_by', 'owned_by', 'position', 'content', 'fts_vector', 'created_at', 'deleted_at', 'email', 'junk']

// Real ids exist only after beforeAll, so they are looked up when a value is generated.
const uuid = () => fc.oneof(fc.nat({ max: 7 }).map((i) => ids[i] ?? '00000000-0000-0000-0000-000000000000'), fc.uuid(), fc.constant('00000000-0000-0000-0000-000000000000'))
const hostileString = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...HOSTILE_STRINGS) },
  { weight: 2, arbitrary: fc.string({ maxLength: 40 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 20 }) },
  { weight: 1, arbitrary: fc.constant('x'.repeat(100_000)) },
  { weight: 2, arbitrary: uuid() },
)
const scalar = fc.oneof(hostileString, fc.integer(), fc.integer({ min: -3_000_000_000, max: 3_000_000_000 }),
  fc.double({ noNaN: true, noDefaultInfinity: true }), fc.boolean(), fc.constant(null), fc.constantFrom(-1, 0, 1.5, 2_147_483_648))
const { value: hostile } = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof({ depthSize: 'small', withCrossShrink: true }, scalar, fc.array(tie('value'), { maxLength: 4 }), fc.dictionary(fc.constantFrom(...COLUMNS, '__proto__', 'x'), tie('value'), { maxKeys: 4 })),
}))
const deep = fc.integer({ min: 30, max: 200 }).map((n) => {
  let v: unknown = 'bottom'
  for (let i = 0; i < n; i++) v = { nested: v }
  return v
})
const record = fc.dictionary(fc.constantFrom(...COLUMNS), fc.oneof(hostile, uuid(), fc.constantFrom('active', 'high', 'draft', 'relates_to', 'admin')), { maxKeys: 5 })
const condition = fc.record({ field: fc.constantFrom(...COLUMNS), op: fc.constantFrom('eq', 'neq', 'gt', 'gte', 'lt', 'lte', 'like', 'ilike', 'in', 'is', 'contains', 'regex', ''), value: fc.oneof(hostile, uuid(), fc.array(fc.oneof(uuid(), hostileString), { maxLength: 3 })) })
const step = fc.record({
  id: fc.oneof(fc.constantFrom('a', 'b', 'Bad Id', ''), fc.string({ maxLength: 5 })),
  tool: fc.constantFrom('entity', 'workspace', 'query', 'relationship', 'workflow', 'shell'),
  operation: fc.constantFrom('read_entity', 'create_entity', 'list_workspaces', 'query_entities', 'execute_workflow', 'rm'),
  args: record,
}, { requiredKeys: [] })

/** Plausible-but-hostile values per field name, so that calls reach every layer. */
function fieldValue(field: string): fc.Arbitrary<unknown> {
  if (/(^|_)id$/.test(field)) return fc.oneof({ weight: 4, arbitrary: uuid() }, { weight: 1, arbitrary: hostile })
  switch (field) {
    case 'entity_type': return fc.oneof(fc.constantFrom('organization', 'project', 'document', 'block', 'requirement', 'test', 'property', 'profile', 'workspace', 'users'), hostile)
    case 'entity_types': return fc.oneof(fc.subarray(['organization', 'project', 'document', 'requirement', 'test', 'block']), hostile)
    case 'kind': return fc.oneof(fc.constantFrom('org_member', 'project_member', 'trace_link', 'requirement_test', 'assignment', 'friend'), hostile)
    case 'kinds': return fc.oneof(fc.subarray(['org_member', 'trace_link', 'assignment', 'enemy']), hostile)
    case 'limit': case 'offset': case 'depth': case 'expected_version':
      return fc.oneof(fc.integer({ min: -5, max: 200 }), fc.constantFrom(0, 1e9, 1.5, -1), hostile)
    case 'wait_ms': return fc.oneof(fc.integer({ min: -10, max: 2_000 }), hostile)
    case 'data': case 'patch': case 'attributes': case 'filters': case 'inputs': return fc.oneof({ weight: 4, arbitrary: record }, { weight: 1, arbitrary: deep }, { weight: 1, arbitrary: hostile })
    case 'where': return fc.oneof(fc.array(condition, { maxLength: 3 }), hostile)
    case 'query': return fc.oneof(fc.record({ where: fc.array(condition, { maxLength: 2 }), limit: fc.integer({ min: -1, max: 2000 }), select: fc.subarray(COLUMNS) }, { requiredKeys: [] }), hostile)
    case 'select': return fc.oneof(fc.subarray(COLUMNS), hostile)
    case 'order_by': return fc.oneof(fc.constantFrom('name', 'name:desc', 'created_at:asc', 'properties', 'name;drop', 'x:sideways'), fc.array(fc.constantFrom('name', 'priority:desc'), { maxLength: 4 }), hostile)
    case 'steps': return fc.oneof(fc.array(step, { maxLength: 4 }), hostile)
    case 'template': return fc.oneof(fc.constantFrom('setup_project', 'import_requirements', 'setup_test_matrix', 'bulk_status_update', 'organization_onboarding', 'rm_rf'), hostile)
    case 'format': return fc.oneof(fc.constantFrom('json', 'csv', 'markdown', 'xml'), hostile)
    case 'include': return fc.oneof(fc.subarray(['children', 'relations', 'everything']), hostile)
    case 'direction': return fc.oneof(fc.constantFrom('out', 'in', 'both', 'sideways'), hostile)
    case 'facets': return fc.oneof(fc.subarray(['entity_type', 'status', 'priority', 'owner']), hostile)
    default: return fc.oneof(hostileString, hostile)
  }
}

const rarely = <T>(arb: fc.Arbitrary<T>) => fc.oneof({ weight: 9, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: arb })

// Mostly the fields of the chosen operation (required ones nearly always), mostly plausible
// values, sometimes another operation's field or an unknown one: calls reach every layer.
const toolCall = fc.constantFrom(...TOOLS).chain((tool) => {
  const allFields = [...new Set(Object.values(tool.operations).flatMap((op) => Object.keys(op.input)))]
  return fc.oneof({ weight: 9, arbitrary: fc.constantFrom(...Object.keys(tool.operations)) }, { weight: 1, arbitrary: hostile }).chain((operation) => {
    const spec = typeof operation === 'string' && Object.hasOwn(tool.operations, operation) ? tool.operations[operation] : undefined
    const own = spec ? Object.entries(spec.input) : []
    const picks = own.map(([field, schema]) => {
      const required = !schema.safeParse(undefined).success
      const value = fc.oneof({ weight: 8, arbitrary: fieldValue(field) }, { weight: 2, arbitrary: hostile })
      // fc.option's freq: one in `freq` draws is null.
      return fc.option(fc.tuple(fc.constant(field), value), { freq: required ? 12 : 2 })
    })
    return fc.record({
      tool: fc.constant(tool.name),
      operation: fc.constant(operation),
      fields: fc.tuple(...picks).map((list) => list.filter((f): f is [string, unknown] => f !== null)),
      foreign: rarely(fc.constantFrom(...allFields).chain((f) => fc.tuple(fc.constant(f), fieldValue(f)))),
      extra: rarely(fc.tuple(fc.constantFrom('unknown_field', 'operation2', '__proto__', '$where'), hostile)),
    })
  })
})

const S = hostileString
const seedId = (i: number) => fc.constant(null).map(() => ids[i]!)
const [WS, PROJECT, DOC, REQ, , WF] = [0, 1, 2, 3, 4, 5]
/** One valid call per operation, with hostile strings where strings go: these reach the database. */
const SEEDS: Array<[string, Record<string, fc.Arbitrary<unknown>>]> = [
  ['workspace', { operation: fc.constant('list_workspaces'), limit: fc.integer({ min: 1, max: 100 }) }],
  ['workspace', { operation: fc.constant('create_workspace'), name: S, description: S }],
  ['workspace', { operation: fc.constant('read_workspace'), id: uuid() }],
  ['workspace', { operation: fc.constant('update_workspace'), id: seedId(WS), patch: fc.record({ description: S }) }],
  ['workspace', { operation: fc.constant('delete_workspace'), id: fc.uuid() }],
  ['workspace', { operation: fc.constant('list_projects'), workspace_id: uuid(), status: fc.constantFrom('active', 'draft') }],
  ['workspace', { operation: fc.constant('get_workspace_info'), id: uuid() }],
  ['entity', { operation: fc.constant('list_entities'), entity_type: fc.constantFrom('requirement', 'document', 'test'), parent_id: uuid(), filters: fc.record({ name: S }, { requiredKeys: [] }) }],
  ['entity', { operation: fc.constant('create_entity'), entity_type: fc.constant('requirement'), data: fc.record({ document_id: seedId(DOC), name: S, description: S }) }],
  ['entity', { operation: fc.constant('read_entity'), entity_type: fc.constantFrom('document', 'project', 'requirement'), id: uuid(), include: fc.subarray(['children', 'relations']) }],
  ['entity', { operation: fc.constant('update_entity'), entity_type: fc.constant('requirement'), id: seedId(REQ), data: fc.record({ description: S }) }],
  ['entity', { operation: fc.constant('delete_entity'), entity_type: fc.constantFrom('test', 'block'), id: fc.uuid(), hard: fc.boolean() }],
  ['entity', { operation: fc.constant('search_entities'), text: S, limit: fc.integer({ min: 1, max: 100 }) }],
  ['relationship', { operation: fc.constant('create_relationship'), kind: fc.constant('trace_link'), source_id: seedId(REQ), target_id: seedId(DOC), attributes: fc.record({ link_type: fc.constant('relates_to'), description: S }) }],
  ['relationship', { operation: fc.constant('list_relationships'), entity_id: uuid(), direction: fc.constantFrom('in', 'out', 'both') }],
  ['relationship', { operation: fc.constant('update_relationship'), kind: fc.constant('trace_link'), id: fc.uuid(), attributes: fc.record({ description: S }) }],
  ['relationship', { operation: fc.constant('delete_relationship'), kind: fc.constantFrom('assignment', 'requirement_test'), id: fc.uuid() }],
  ['relationship', { operation: fc.constant('get_relationship_graph'), root_id: uuid(), root_type: fc.constantFrom('requirement', 'document', 'project'), depth: fc.integer({ min: 0, max: 5 }) }],
  ['workflow', { operation: fc.constant('create_workflow'), workspace_id: seedId(WS), name: S, steps: fc.constant([{ id: 'a', tool: 'entity', operation: 'read_entity', args: { entity_type: 'document', id: '${inputs.id}' } }]) }],
  ['workflow', { operation: fc.constant('execute_workflow'), workflow_id: seedId(WF), inputs: fc.record({ entity_type: fc.constant('requirement'), entity_ids: fc.array(uuid(), { maxLength: 2 }), new_status: fc.oneof(fc.constant('approved'), S) }), wait_ms: fc.constant(5_000) }],
  ['workflow', { operation: fc.constant('get_workflow_status'), run_id: fc.uuid() }],
  ['workflow', { operation: fc.constant('list_workflows'), workspace_id: uuid() }],
  ['workflow', { operation: fc.constant('delete_workflow'), id: fc.uuid() }],
  ['query', { operation: fc.constant('query_entities'), entity_type: fc.constant('requirement'), where: fc.tuple(fc.record({ field: fc.constantFrom('name', 'description'), op: fc.constantFrom('eq', 'ilike', 'like', 'neq'), value: S })) }],
  ['query', { operation: fc.constant('advanced_search'), text: S, entity_types: fc.constant(['requirement', 'document']) }],
  ['query', { operation: fc.constant('get_query_stats'), workspace_id: uuid() }],
  ['query', { operation: fc.constant('export_results'), entity_type: fc.constant('requirement'), query: fc.record({ where: fc.tuple(fc.record({ field: fc.constant('name'), op: fc.constant('in'), value: fc.array(S, { minLength: 1, maxLength: 3 }) })) }), format: fc.constantFrom('json', 'csv', 'markdown') }],
]
void PROJECT
const seededCall = fc.constantFrom(...SEEDS).chain(([tool, shape]) => fc.record({
  tool: fc.constant(tool),
  args: fc.record(shape),
  // Half the seeded calls get one field replaced by a hostile value.
  mutation: fc.option(fc.tuple(fc.constantFrom(...Object.keys(shape).filter((k) => k !== 'operation')), hostile), { freq: 2 }),
})).map(({ tool, args, mutation }) => {
  const copy: Record<string, unknown> = { ...args }
  if (mutation) copy[mutation[0]] = mutation[1]
  return { tool, operation: copy.operation, fields: Object.entries(copy).filter(([k]) => k !== 'operation'), foreign: null, extra: null }
})

test(`${RUNS} hostile calls: typed errors or valid results, never INTERNAL`, async () => {
  const seen: Record<string, number> = {}
  await fc.assert(fc.asyncProperty(fc.oneof(toolCall, seededCall), async ({ tool, operation, fields, foreign, extra }) => {
    const args: Record<string, unknown> = { operation }
    for (const [field, value] of [...fields, ...(foreign ? [foreign] : [])]) args[field] = value
    if (extra) Object.defineProperty(args, extra[0], { value: extra[1], enumerable: true, configurable: true, writable: true })
    // The SDK client validates successful structured results against the listed output schema.
    const result = await call(client, tool, args)
    if (result.isError) {
      const error = (result.structuredContent as { error?: { code?: string, message?: string } } | undefined)?.error
      expect(error, `untyped error for ${tool}: ${JSON.stringify(result.content).slice(0, 500)}`).toBeDefined()
      expect(ERROR_CODES).toContain(error!.code)
      expect(error!.code, `INTERNAL for ${tool} ${JSON.stringify(args).slice(0, 800)}: ${error!.message}`).not.toBe('INTERNAL')
      seen[error!.code!] = (seen[error!.code!] ?? 0) + 1
      if (process.env.FUZZ_DEBUG) console.info(tool, JSON.stringify(args).slice(0, 300), '→', error!.message?.slice(0, 200))
    } else {
      expect((result.structuredContent as { operation?: string }).operation).toBe(operation)
      seen.ok = (seen.ok ?? 0) + 1
    }
  }), { numRuns: RUNS, seed: process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : undefined })
  // Many calls must get past validation, or the fuzz only tests zod.
  const total = Object.values(seen).reduce((a, b) => a + b, 0)
  expect(total).toBe(RUNS)
  expect((seen.ok ?? 0) + (seen.NOT_FOUND ?? 0) + (seen.FORBIDDEN ?? 0) + (seen.CONFLICT ?? 0)).toBeGreaterThan(RUNS / 20)
  console.info(`fuzz outcomes over ${RUNS} calls: ${JSON.stringify(seen)}`)
}, 900_000)
