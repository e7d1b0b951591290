/**
 * Fault proofs: the suite's checking functions (probes + comparison, coverage guard) run against
 * a scratch database through the emulator, first intact, then with one seeded fault at a time:
 * a policy loosened to `true`, a policy dropped, RLS disabled, an extra permissive policy. Each
 * must be reported naming its table and actor. Every fault lives in an isolation unit of the
 * scratch database and is rolled back, together with whatever the probes wrote.
 */
import type { SupabaseClient } from '@supabase/supabase-js'
import type { SqlExecutor } from '../../harness/sql/index.ts'
import type { Actor, Mismatch, RlsFault, ScratchPerson, UserActor, World } from './lib/index.ts'
import { expect, test } from '../../fixtures/index.ts'
import { rlsExpectations } from './expectations.ts'
import {
  FaultTargetError,
  PolicyCatalogError,
  USER_ACTORS,
  applyFault,
  checkCoverage,
  checkMatrix,
  describeFault,
  formatCoverage,
  formatMismatches,
  probePlans,
  readPolicyCatalogSql,
  scratchApi,
  seedWorld,
} from './lib/index.ts'

interface Probe {
  db: SqlExecutor
  world: World
  clients: Record<Actor, SupabaseClient>
}

/** Runs the checks for `tables` with `faults` applied, then rolls everything back. */
async function checkWith(probe: Probe, tables: string[], faults: RlsFault[], extraSql?: string) {
  await probe.db.beginUnit()
  try {
    for (const fault of faults) await applyFault(probe.db, fault)
    if (extraSql) await probe.db.exec(extraSql)
    const { mismatches } = await checkMatrix(rlsExpectations, { clients: probe.clients, plans: probePlans(probe.world), scope: { tables } })
    const coverage = checkCoverage(rlsExpectations, await readPolicyCatalogSql(probe.db))
    return { mismatches, coverage }
  } finally {
    await probe.db.endUnit()
  }
}

const cell = (m: Mismatch) => `${m.table} × ${m.operation} × ${m.actor}: expected ${m.expected}, observed ${m.observed}`

const NAME = 'fault proofs: a loosened policy, a dropped policy, RLS turned off and an unlisted policy are each reported by table and actor'

test(NAME, { timeout: 300_000 }, async ({ scratch }) => {
  const db = await scratch({ migrate: true })
  const api = await scratchApi(db)
  const names = [...USER_ACTORS, 'fellow'] as const
  const people = Object.fromEntries(
    await Promise.all(names.map(async (name) => [name, await api.createPerson(`rls-fault-${name}@example.test`)] as const)),
  ) as Record<UserActor | 'fellow', ScratchPerson>
  const world = await seedWorld({ service: api.service, people, prefix: 'fault-' })
  const clients = Object.fromEntries([
    ['anon', api.anon],
    ['service', api.service],
    ...USER_ACTORS.map((actor) => [actor, people[actor].client]),
  ]) as Record<Actor, SupabaseClient>
  const probe: Probe = { db, world, clients }

  // A fault naming something that does not exist is refused before it changes anything.
  await expect(applyFault(db, { kind: 'drop', table: 'projects', policy: 'projects_nope' })).rejects.toThrow(FaultTargetError)
  await expect(applyFault(db, { kind: 'disable-rls', table: 'nope' })).rejects.toThrow(PolicyCatalogError)

  // The same checks pass on the intact database, so every failure below comes from its fault.
  const intact = await checkWith(probe, ['documents', 'projects', 'workflows'], [])
  expect(intact.mismatches, formatMismatches(intact.mismatches)).toEqual([])
  expect(intact.coverage, formatCoverage(intact.coverage)).toEqual([])

  const loosen: RlsFault = { kind: 'loosen', table: 'documents', policy: 'documents_select' }
  const loosened = await checkWith(probe, ['documents'], [loosen])
  expect(loosened.mismatches.map(cell), describeFault(loosen)).toEqual(['documents × select × outsider: expected deny, observed allow'])
  // Same policy names: only the probes can see this one.
  expect(loosened.coverage).toEqual([])

  const drop: RlsFault = { kind: 'drop', table: 'projects', policy: 'projects_update' }
  const dropped = await checkWith(probe, ['projects'], [drop])
  expect(dropped.mismatches.map(cell), describeFault(drop)).toEqual(['projects × update × owner: expected allow, observed deny'])
  expect(dropped.coverage.map((p) => [p.kind, p.table, p.policy]), formatCoverage(dropped.coverage)).toEqual([['policy-missing', 'projects', 'projects_update']])

  const disable: RlsFault = { kind: 'disable-rls', table: 'workflows' }
  const disabled = await checkWith(probe, ['workflows'], [disable])
  const text = formatMismatches(disabled.mismatches)
  expect(disabled.mismatches.map(cell), text).toEqual(
    expect.arrayContaining([
      'workflows × select × anon: expected deny, observed allow',
      'workflows × select × outsider: expected deny, observed allow',
      'workflows × insert × outsider: expected deny, observed allow',
      'workflows × update × member: expected deny, observed allow',
      'workflows × delete × outsider: expected deny, observed allow',
    ]),
  )
  expect(disabled.mismatches.every((m) => m.table === 'workflows' && m.observed === 'allow'), text).toBe(true)
  expect(disabled.coverage.map((p) => [p.kind, p.table]), formatCoverage(disabled.coverage)).toEqual([['rls-disabled', 'workflows']])

  // A policy nobody listed: the coverage guard names it, the probes show what it opens.
  const sneaky = await checkWith(probe, ['projects'], [], 'create policy projects_select_everyone on public.projects for select to authenticated using (true)')
  expect(sneaky.coverage.map((p) => [p.kind, p.table, p.policy]), formatCoverage(sneaky.coverage)).toEqual([['policy-uncovered', 'projects', 'projects_select_everyone']])
  expect(sneaky.mismatches.map(cell)).toEqual(['projects × select × outsider: expected deny, observed allow'])

  // Every fault was rolled back with its unit.
  const after = await checkWith(probe, ['documents', 'projects', 'workflows'], [])
  expect(after.mismatches, formatMismatches(after.mismatches)).toEqual([])
})
