/**
 * The `query` tool: whitelisted structured queries, ranked search with facets, statistics and
 * exports, against the emulator over PGlite (dry).
 */
import type { Client } from '@modelcontextprotocol/sdk/client/index.js'
import type { Stack, TestUser } from './test-utils.ts'

import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { call, fails, ok, openStack } from './test-utils.ts'

let stack: Stack
let alice: TestUser
let bob: TestUser
let a: Client
let b: Client
let ws: string
let project: string
let doc: string
const reqs: Record<string, string> = {}

const create = (client: Client, entity_type: string, data: Record<string, unknown>) =>
  ok(client, 'entity', { operation: 'create_entity', entity_type, data }).then((r) => r.item.id as string)

beforeAll(async () => {
  stack = await openStack('dry')
  alice = await stack.signUp('alice')
  bob = await stack.signUp('bob')
  a = await stack.connect(alice)
  b = await stack.connect(bob)
  ws = (await ok(a, 'workspace', { operation: 'create_workspace', name: 'Queries' })).item.id
  project = await create(a, 'project', { organization_id: ws, name: 'Rover' })
  doc = await create(a, 'document', { project_id: project, name: 'Navigation spec' })
  for (const [name, priority, status, description] of [
    ['Wheel odometry', 'high', 'active', 'The rover shall estimate distance, "within 1%"'],
    ['Star tracker', 'critical', 'approved', 'Navigation by stars'],
    ['Hazard cameras', 'low', 'draft', 'Navigation cameras see hazards'],
  ] as const) {
    reqs[name] = await create(a, 'requirement', { document_id: doc, name, priority, status, description })
  }
  const t = await create(a, 'test', { project_id: project, title: 'Odometry drive test', status: 'ready', priority: 'high' })
  await ok(a, 'relationship', { operation: 'create_relationship', kind: 'requirement_test', source_id: reqs['Wheel odometry'], target_id: t })
})
afterAll(async () => {
  await a?.close()
  await b?.close()
  await stack?.close()
})

describe('query_entities', () => {
  test('where with several operators, select, order and total', async () => {
    const result = await ok(a, 'query', {
      operation: 'query_entities', entity_type: 'requirement',
      where: [
        { field: 'document_id', op: 'eq', value: doc },
        { field: 'priority', op: 'in', value: ['high', 'critical'] },
        { field: 'name', op: 'ilike', value: '%r%' },
      ],
      select: ['name', 'priority'],
      order_by: ['priority:desc', 'name'],
    })
    expect(result.total).toBe(2)
    expect(result.items).toEqual([
      { id: reqs['Star tracker'], name: 'Star tracker', priority: 'critical' },
      { id: reqs['Wheel odometry'], name: 'Wheel odometry', priority: 'high' },
    ])
    const recent = await ok(a, 'query', { operation: 'query_entities', entity_type: 'requirement', where: [{ field: 'created_at', op: 'gte', value: '2000-01-01T00:00:00Z' }, { field: 'deleted_at', op: 'is', value: null }], limit: 1 })
    expect(recent).toMatchObject({ total: 3, limit: 1 })
  })

  test('fields, operators and values are whitelisted', async () => {
    const bad = (where: unknown[], extra: Record<string, unknown> = {}) => fails(a, 'query', { operation: 'query_entities', entity_type: 'requirement', where, ...extra })
    expect((await bad([{ field: 'password', op: 'eq', value: 'x' }])).message).toContain('unknown field "password"')
    expect((await bad([{ field: 'priority', op: 'like', value: 'h%' }])).message).toContain('operator "like" is not allowed')
    expect((await bad([{ field: 'priority', op: 'eq', value: 'urgent' }])).code).toBe('INVALID_INPUT')
    expect((await bad([{ field: 'document_id', op: 'eq', value: "1' or '1'='1" }])).code).toBe('INVALID_INPUT')
    expect((await bad([{ field: 'name', op: 'in', value: [] }])).code).toBe('INVALID_INPUT')
    expect((await bad([], { select: ['fts_vector'] })).code).toBe('INVALID_INPUT')
    expect((await bad([], { order_by: 'name; drop table requirements' })).code).toBe('INVALID_INPUT')
    expect((await ok(b, 'query', { operation: 'query_entities', entity_type: 'requirement', where: [{ field: 'document_id', op: 'eq', value: doc }] })).total).toBe(0)
  })
})

describe('advanced_search', () => {
  test('ranked hits with facets over all matches', async () => {
    const result = await ok(a, 'query', { operation: 'advanced_search', text: 'navigation', entity_types: ['requirement', 'document'], limit: 1 })
    expect(result.total).toBe(3)
    expect(result.hits).toHaveLength(1)
    expect(result.facets.entity_type).toEqual({ requirement: 2, document: 1 })
    expect(result.facets.priority).toEqual({ critical: 1, low: 1 })
    const filtered = await ok(a, 'query', { operation: 'advanced_search', text: 'navigation', entity_types: ['requirement'], filters: { priority: ['critical'], project_id: project }, facets: ['status'] })
    expect(filtered.hits.map((h: any) => h.id)).toEqual([reqs['Star tracker']])
    expect(Object.keys(filtered.facets)).toEqual(['status'])
    expect((await ok(b, 'query', { operation: 'advanced_search', text: 'navigation', entity_types: ['requirement'] })).total).toBe(0)
    expect((await fails(a, 'query', { operation: 'advanced_search', text: 'x', entity_types: ['block'] })).code).toBe('INVALID_INPUT')
  })
})

describe('get_query_stats', () => {
  test('counts and coverage for a workspace and a project; foreign scope is NOT_FOUND', async () => {
    const stats = await ok(a, 'query', { operation: 'get_query_stats', workspace_id: ws })
    expect(stats.totals).toEqual({ projects: 1, documents: 1, requirements: 3, tests: 1 })
    expect(stats.requirements.by_priority).toMatchObject({ high: 1, critical: 1, low: 1, medium: 0 })
    expect(stats.coverage).toEqual({ requirements: 3, covered: 1, percent: 33.33 })
    const byProject = await ok(a, 'query', { operation: 'get_query_stats', project_id: project })
    expect(byProject.tests.by_status.ready).toBe(1)
    expect((await fails(b, 'query', { operation: 'get_query_stats', workspace_id: ws })).code).toBe('NOT_FOUND')
    expect((await fails(a, 'query', { operation: 'get_query_stats' })).code).toBe('INVALID_INPUT')
  })
})

describe('export_results', () => {
  test('json, csv and markdown as text content', async () => {
    const query = { where: [{ field: 'document_id', op: 'eq', value: doc }], select: ['name', 'description'], order_by: 'name' }
    const json = await call(a, 'query', { operation: 'export_results', entity_type: 'requirement', query, format: 'json' })
    const parsed = JSON.parse((json.content as any)[0].text)
    expect(parsed.map((r: any) => r.name)).toEqual(['Hazard cameras', 'Star tracker', 'Wheel odometry'])
    expect((json.structuredContent as any)).toMatchObject({ format: 'json', count: 3, total: 3 })

    const csv = await call(a, 'query', { operation: 'export_results', entity_type: 'requirement', query, format: 'csv' })
    const lines = (csv.content as any)[0].text.split('\r\n')
    expect(lines[0]).toBe('id,name,description')
    expect(lines[3]).toBe(`${reqs['Wheel odometry']},Wheel odometry,"The rover shall estimate distance, ""within 1%"""`)

    const md = await call(a, 'query', { operation: 'export_results', entity_type: 'requirement', query, format: 'markdown' })
    const table = (md.content as any)[0].text.split('\n')
    expect(table[0]).toBe('| id | name | description |')
    expect(table).toHaveLength(5)

    const empty = await ok(b, 'query', { operation: 'export_results', entity_type: 'requirement', query, format: 'csv' })
    expect(empty).toMatchObject({ count: 0, export: 'id,name,description' })
    expect((await fails(a, 'query', { operation: 'export_results', entity_type: 'requirement', query: { ...query, limit: 5000 }, format: 'csv' })).code).toBe('INVALID_INPUT')
  })
})
