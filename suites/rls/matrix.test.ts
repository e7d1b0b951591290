/**
 * The RLS suite: the coverage guard (every table and policy of schema public is in the
 * expectations), then one flow that seeds a workspace world and has every actor try every
 * operation on every table through supabase-js, checked against suites/rls/expectations.ts,
 * followed by the edge cases on the same world.
 */
import { expect, flow, onlyIn, test } from '../../fixtures/index.ts'
import { rlsExpectations } from './expectations.ts'
import { checkCoverage, formatCoverage, readPolicyCatalogRpc, readPolicyCatalogSql } from './lib/index.ts'
import { edgeSteps } from './steps/edges.ts'
import { probeStep, tableSteps } from './steps/matrix.ts'
import { worldStep } from './steps/world.ts'

test('coverage: every table with RLS and every policy of schema public is in the expectations', async ({ backend, service }) => {
  // SQL where the mode has it; a hot run without SUPABASE_DB_URL reads the catalog through the introspection RPC.
  const catalog = backend.sql ? await readPolicyCatalogSql(backend.sql) : await readPolicyCatalogRpc(service)
  const problems = checkCoverage(rlsExpectations, catalog)
  expect(problems, formatCoverage(problems)).toEqual([])
  // Not vacuous: the catalog held the schema's tables and policies.
  expect(Object.keys(catalog).length).toBeGreaterThanOrEqual(16)
  expect(Object.values(catalog).reduce((n, t) => n + Object.keys(t.policies).length, 0)).toBeGreaterThanOrEqual(64)
})

test(
  'an expired token is refused before any policy runs',
  onlyIn(['cold', 'dry'], 'signing an expired token needs the emulator secret'),
  async ({ user }) => {
    const late = await user({ expired: true })
    const read = await late.client.from('projects').select('id')
    expect(read.status).toBe(401)
    expect(read.error?.code).toBe('PGRST303')
    const write = await late.client.from('workflows').insert({ organization_id: late.personalWorkspaceId, name: 'late', created_by: late.id })
    expect(write.status).toBe(401)
    expect(write.error?.code).toBe('PGRST303')
  },
)

flow('rls', [worldStep, probeStep(rlsExpectations), ...tableSteps(rlsExpectations), ...edgeSteps()])
