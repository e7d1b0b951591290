/**
 * The example suite: what a test written with atoms-test looks like. It runs unchanged in dry,
 * cold and hot; every row it creates is tracked by harmful() and removed after each test.
 */
import type { SuiteFixtures, TestUser } from '../../fixtures/index.ts'
import { crudSteps, describe, expect, flow, onlyIn, test } from '../../fixtures/index.ts'

describe('workspaces and RLS', () => {
  test('a member sees its own workspace and an outsider sees nothing', async ({ user, workspace, project }) => {
    const alice = await user()
    const bob = await user()
    const ws = await workspace({ as: alice, name: 'Alice Co' })
    const proj = await project({ as: alice, workspace: ws })

    const mine = await alice.client.from('projects').select('id, name').eq('id', proj.id)
    expect(mine.error).toBeNull()
    expect(mine.data).toEqual([{ id: proj.id, name: proj.name }])

    const theirs = await bob.client.from('projects').select('id').eq('id', proj.id)
    expect(theirs.error).toBeNull()
    expect(theirs.data).toEqual([])
  })

  test('an outsider cannot write into a foreign workspace', async ({ user, workspace, harmful }) => {
    const alice = await user()
    const bob = await user()
    const ws = await workspace({ as: alice })
    const attempt = await bob.client
      .from('projects')
      .insert({ organization_id: ws.id, name: 'intruder', slug: 'intruder-x', owned_by: bob.id, created_by: bob.id, updated_by: bob.id })
      .select('id')
    expect(attempt.error?.code).toBe('42501')
    // Nothing was created, so nothing beyond the users, their workspaces and `ws` is tracked.
    expect(harmful.rows.map((row) => row.table).sort()).toEqual(['auth.users', 'auth.users', 'organizations', 'organizations', 'organizations'])
  })

  test('the anon key sees no private data', async ({ anon, project }) => {
    await project()
    const { data, error } = await anon.from('projects').select('id')
    expect(error).toBeNull()
    expect(data).toEqual([])
  })
})

type Row = Record<string, unknown> & { id: string }

flow('requirement lifecycle', [
  { id: 'owner', run: ({ user }) => user() },
  {
    id: 'document',
    dependsOn: ['owner'],
    run: ({ results, document }) => document({ as: results.owner as TestUser, name: 'Spec' }),
  },
  {
    id: 'requirement',
    dependsOn: ['owner', 'document'],
    run: ({ results, requirement }) => requirement({ as: results.owner as TestUser, document: results.document as Row }),
  },
  {
    id: 'update status',
    dependsOn: ['owner', 'requirement'],
    run: async ({ results }) => {
      const owner = results.owner as TestUser
      const req = results.requirement as Row
      const { data, error } = await owner.client.from('requirements').update({ status: 'approved' }).eq('id', req.id).select('status, version').single()
      expect(error).toBeNull()
      expect(data).toEqual({ status: 'approved', version: (req.version as number) + 1 })
      return data
    },
  },
  {
    id: 'outsider is blind',
    dependsOn: ['requirement'],
    run: async ({ results, user }) => {
      const outsider = await user()
      const { data } = await outsider.client.from('requirements').select('id').eq('id', (results.requirement as Row).id)
      expect(data).toEqual([])
    },
  },
])

test('an expired token is refused', onlyIn(['cold', 'dry'], 'signs its own token with the emulator secret'), async ({ user }) => {
  const stale = await user({ expired: true })
  const { data, error } = await stale.client.from('projects').select('id')
  expect(data).toBeNull()
  expect(error?.code).toBe('PGRST303')
})

// A predefined pattern: create → read → update → delete → verify, each step depending on the last.
flow(
  'project crud',
  crudSteps<SuiteFixtures, { owner: TestUser; row: Row }>({
    create: async ({ user, workspace, project }) => {
      const owner = await user()
      return { owner, row: await project({ as: owner, workspace: await workspace({ as: owner }) }) }
    },
    read: async ({}, { owner, row }) => {
      const { data } = await owner.client.from('projects').select('id, name').eq('id', row.id).single()
      expect(data).toEqual({ id: row.id, name: row.name })
    },
    update: async ({}, { owner, row }) => {
      const { data } = await owner.client.from('projects').update({ description: 'changed' }).eq('id', row.id).select('description').single()
      expect(data).toEqual({ description: 'changed' })
    },
    delete: async ({}, { owner, row }) => {
      const { error } = await owner.client.from('projects').update({ is_deleted: true }).eq('id', row.id)
      expect(error).toBeNull()
    },
    verify: async ({ service }, { row }) => {
      const { data } = await service.from('projects').select('is_deleted, deleted_at').eq('id', row.id).single()
      expect(data?.is_deleted).toBe(true)
      expect(data?.deleted_at).not.toBeNull()
    },
  }),
)

test('the bundled MCP server answers as the signed-in user', async ({ user, workspace, mcp }) => {
  const alice = await user()
  const ws = await workspace({ as: alice, name: 'Via MCP' })
  const client = await mcp(alice)
  const { tools } = await client.listTools()
  expect(tools.map((t) => t.name).sort()).toEqual(['entity', 'query', 'relationship', 'workflow', 'workspace'])
  const result = await client.callTool({ name: 'workspace', arguments: { operation: 'read_workspace', id: ws.id } })
  expect(result.isError ?? false).toBe(false)
  expect(result.structuredContent).toMatchObject({ operation: 'read_workspace', item: { id: ws.id, name: 'Via MCP' }, role: 'owner' })
})
