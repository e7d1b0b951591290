/**
 * The probes: every actor tries every operation on every table of the world through supabase-js,
 * and each answer is read into a verdict. One chain per table and actor (select, insert, update,
 * delete, in that order), a few chains at a time.
 */
import type { SupabaseClient } from '@supabase/supabase-js'
import type { MatrixScope } from './compare.ts'
import type { ProbePlan } from './plans.ts'
import type { Actor, Expectations, Mismatch, Observation, Operation } from './types.ts'
import { classifyInsert, classifySelect, classifyWrite } from './classify.ts'
import { compareMatrix, scopeTables } from './compare.ts'
import { ACTORS, OPERATIONS } from './types.ts'

/** What `probeMatrix` needs. */
export interface ProbeOptions {
  /** One client per actor: the anon key, each user's token, the service key. */
  clients: Readonly<Record<Actor, SupabaseClient>>
  plans: Readonly<Record<string, ProbePlan>>
  scope?: MatrixScope
  /** Called for every row an insert probe created (hand it to harmful()). */
  onInserted?: (table: string, id: string) => void
  /** Chains in flight at once (default 4). */
  concurrency?: number
}

async function probeChain(table: string, actor: Actor, plan: ProbePlan, options: ProbeOptions, operations: readonly Operation[]): Promise<Observation[]> {
  const client = options.clients[actor]
  const observations: Observation[] = []
  const record = (operation: Operation, result: { observed: Observation['observed']; detail: string }) =>
    observations.push({ table, operation, actor, ...result })

  if (operations.includes('select')) {
    const ids = plan.selectIds(actor)
    record('select', classifySelect(await client.from(table).select('id').in('id', ids), ids))
  }
  if (operations.includes('insert')) {
    const row = plan.insertRow(actor)
    // return=minimal: only the INSERT policy decides, not whether the actor may read the row back.
    const response = await client.from(table).insert(row)
    if (!response.error) options.onInserted?.(table, row.id)
    record('insert', classifyInsert(response))
  }
  if (operations.includes('update')) {
    record('update', classifyWrite(await client.from(table).update(plan.patch).eq('id', plan.twinId(actor)).select('id'), 'update'))
  }
  if (operations.includes('delete')) {
    record('delete', classifyWrite(await client.from(table).delete().eq('id', plan.twinId(actor)).select('id'), 'delete'))
  }
  return observations
}

/** Runs `tasks` with at most `limit` in flight, keeping their order in the result. */
async function mapLimit<T>(tasks: readonly (() => Promise<T>)[], limit: number): Promise<T[]> {
  const results: T[] = new Array(tasks.length)
  let next = 0
  const worker = async () => {
    while (next < tasks.length) {
      const index = next++
      results[index] = await tasks[index]!()
    }
  }
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, tasks.length)) }, worker))
  return results
}

/** Probes every cell of `scope` and returns what each probe saw. */
export async function probeMatrix(expectations: Expectations, options: ProbeOptions): Promise<Observation[]> {
  const scope = options.scope ?? {}
  const operations = scope.operations ?? OPERATIONS
  const chains: (() => Promise<Observation[]>)[] = []
  for (const table of scopeTables(expectations, scope)) {
    const plan = options.plans[table]
    if (!plan) throw new Error(`No probe plan for table "${table}"; add one to suites/rls/lib/plans.ts.`)
    for (const actor of scope.actors ?? ACTORS) chains.push(() => probeChain(table, actor, plan, options, operations))
  }
  return (await mapLimit(chains, options.concurrency ?? 4)).flat()
}

/** The result of `checkMatrix`. */
export interface MatrixResult {
  observations: Observation[]
  mismatches: Mismatch[]
}

/** Probes `scope` and compares the answers with `expectations`. */
export async function checkMatrix(expectations: Expectations, options: ProbeOptions): Promise<MatrixResult> {
  const observations = await probeMatrix(expectations, options)
  return { observations, mismatches: compareMatrix(expectations, observations, options.scope) }
}
