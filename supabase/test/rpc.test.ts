/**
 * The RPC functions the MCP server calls: `get_relationship_graph` (bounded, cycle-safe walk that
 * only shows what the caller may read) and `get_query_stats` (counts and coverage under RLS).
 * Results are checked against the shared zod result models.
 */
import type { SqlExecutor, SqlSession } from '../../harness/sql/index.ts'
import type { World } from './world.ts'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { ENGINES, openEngine } from '../../harness/testing/index.ts'
import { QueryStats, RelationshipGraph } from '../models/index.ts'
import { asUser, expectSqlState } from './test-utils.ts'
import { buildWorld } from './world.ts'

async function graph(tx: SqlSession, rootId: string, rootType: string, depth?: number, kinds?: string[] | null) {
  const { rows } = await tx.query<{ g: unknown }>(
    'select public.get_relationship_graph(root_id => $1, root_type => $2, depth => coalesce($3::int, 2), kinds => $4::text[]) as g',
    [rootId, rootType, depth ?? null, kinds ?? null],
  )
  return RelationshipGraph.parse(rows[0]!.g)
}

async function stats(tx: SqlSession, workspaceId: string | null, projectId: string | null = null) {
  const { rows } = await tx.query<{ s: unknown }>('select public.get_query_stats($1, $2) as s', [workspaceId, projectId])
  return QueryStats.parse(rows[0]!.s)
}

const nodeKeys = (g: Awaited<ReturnType<typeof graph>>) => g.nodes.map((n) => `${n.type}:${n.id}@${n.depth}`).sort()

describe.each(ENGINES)('RPC functions on %s', (engine) => {
  let db: SqlExecutor
  let dispose: () => Promise<void>
  let w: World

  beforeAll(async () => {
    ;({ db, dispose } = await openEngine(engine))
    w = await buildWorld(db)
  })
  afterAll(() => dispose())

  test('the graph walks links both ways, ends on cycles and reports each node at its nearest depth', async () => {
    const [r1, r2] = w.alpha.requirements as [string, string]
    const g = await asUser(db, w.users.alice, (tx) => graph(tx, r1, 'requirement', 2, ['trace_link', 'requirement_test', 'assignment']))
    expect(nodeKeys(g)).toEqual(
      [
        `requirement:${r1}@0`,
        `document:${w.alpha.document}@1`,
        `requirement:${r2}@1`,
        `test:${w.alpha.test}@1`,
        `profile:${w.users.carol.id}@2`,
      ].sort(),
    )
    // r1 <-> r2 is a cycle of two links: both edges are reported once
    expect(g.edges.map((e) => e.id).sort()).toEqual([...w.alpha.traceLinks, w.alpha.requirementTest, w.alpha.assignment].sort())
    expect(g.nodes.find((n) => n.id === r1)?.label).toBe('Alpha requirement 1')
  })

  test('depth and kinds bound the walk', async () => {
    const [r1, r2] = w.alpha.requirements as [string, string]
    const shallow = await asUser(db, w.users.alice, (tx) => graph(tx, r1, 'requirement', 1))
    expect(shallow.nodes.some((n) => n.type === 'profile')).toBe(false)
    const onlyRoot = await asUser(db, w.users.alice, (tx) => graph(tx, r1, 'requirement', 0))
    expect(onlyRoot).toMatchObject({ depth: 0, nodes: [{ id: r1, depth: 0 }], edges: [] })
    const traceOnly = await asUser(db, w.users.alice, (tx) => graph(tx, r1, 'requirement', 5, ['trace_link']))
    expect(nodeKeys(traceOnly)).toEqual([`requirement:${r1}@0`, `document:${w.alpha.document}@1`, `requirement:${r2}@1`].sort())
    expect(traceOnly.edges.every((e) => e.kind === 'trace_link')).toBe(true)
  })

  test('membership edges connect organizations, projects and people, within what the caller may read', async () => {
    const g = await asUser(db, w.users.alice, (tx) => graph(tx, w.alpha.project, 'project', 2, ['project_member', 'org_member']))
    const people = g.nodes.filter((n) => n.type === 'profile').map((n) => n.id).sort()
    expect(people).toEqual([w.users.alice.id, w.users.carol.id, w.users.dave.id].sort())
    // alice's personal workspace is hers to see; bob's memberships are not
    expect(g.nodes.filter((n) => n.type === 'organization').length).toBeGreaterThanOrEqual(2)
    const bobView = await asUser(db, w.users.bob, (tx) => graph(tx, w.users.alice.id, 'profile', 3))
    expect(bobView.nodes).toEqual([{ id: w.users.alice.id, type: 'profile', label: 'Alice Alpha', depth: 0 }])
    expect(bobView.edges).toEqual([])
  })

  test('a root the caller cannot read is not found; bad arguments are 22023', async () => {
    const r1 = w.alpha.requirements[0]!
    await expectSqlState(asUser(db, w.users.bob, (tx) => graph(tx, r1, 'requirement')), 'P0002')
    await expectSqlState(asUser(db, w.users.alice, (tx) => graph(tx, r1, 'requirement', 6)), '22023')
    await expectSqlState(asUser(db, w.users.alice, (tx) => graph(tx, r1, 'requirement', -1)), '22023')
    await expectSqlState(asUser(db, w.users.alice, (tx) => graph(tx, r1, 'galaxy')), '22023')
    await expectSqlState(asUser(db, w.users.alice, (tx) => graph(tx, r1, 'requirement', 2, ['trace_link', 'friendship'])), '22023')
  })

  test('stats count what the caller can read, by type, status and priority, with coverage', async () => {
    const alpha = await asUser(db, w.users.alice, (tx) => stats(tx, w.alpha.org))
    expect(alpha.totals).toEqual({ projects: 1, documents: 1, requirements: 2, tests: 1 })
    expect(alpha.requirements.by_priority).toEqual({ low: 1, medium: 0, high: 1, critical: 0 })
    expect(alpha.requirements.by_status.active).toBe(2)
    expect(alpha.tests.by_status.draft).toBe(1)
    expect(alpha.projects.by_status).toEqual({ active: 1, archived: 0, draft: 0, deleted: 0 })
    expect(alpha.coverage).toEqual({ requirements: 2, covered: 1, percent: 50 })
    const byProject = await asUser(db, w.users.dave, (tx) => stats(tx, null, w.alpha.project))
    expect(byProject.totals).toEqual(alpha.totals)
    expect(byProject.scope).toEqual({ workspace_id: null, project_id: w.alpha.project })
    // another tenant asking about Alpha learns nothing
    const bob = await asUser(db, w.users.bob, (tx) => stats(tx, w.alpha.org))
    expect(bob.totals).toEqual({ projects: 0, documents: 0, requirements: 0, tests: 0 })
    expect(bob.coverage).toEqual({ requirements: 0, covered: 0, percent: 0 })
    const bobAll = await asUser(db, w.users.bob, (tx) => stats(tx, null))
    expect(bobAll.totals).toEqual({ projects: 1, documents: 1, requirements: 1, tests: 1 })
  })

  test('stats skip soft-deleted rows', async () => {
    await db.beginUnit()
    try {
      await asUser(db, w.users.alice, (tx) => tx.query('update public.requirements set is_deleted = true where id = $1', [w.alpha.requirements[0]]))
      const after = await asUser(db, w.users.alice, (tx) => stats(tx, w.alpha.org))
      expect(after.totals.requirements).toBe(1)
      expect(after.coverage).toEqual({ requirements: 1, covered: 0, percent: 0 })
    } finally {
      await db.endUnit()
    }
  })
})
