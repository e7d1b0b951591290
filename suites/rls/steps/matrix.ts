/**
 * The matrix steps: one step probes every table x operation x actor through supabase-js (all
 * requests of the flow in flight a few at a time), then one generated step per table of the
 * expectations reports that table's disagreements, naming operation and actor.
 */
import type { Expectations, MatrixResult } from '../lib/index.ts'
import type { RlsStep, RlsStepContext } from './context.ts'
import { expect } from '../../../fixtures/index.ts'
import { ACTORS, OPERATIONS, checkMatrix, formatMismatches, probePlans } from '../lib/index.ts'
import { worldOf } from './context.ts'

/** The probe step: returns every observation and mismatch of the matrix. */
export function probeStep(expectations: Expectations): RlsStep {
  return {
    id: 'probe',
    dependsOn: ['world'],
    timeout: 300_000,
    run: async ({ harmful, results, step }): Promise<MatrixResult> => {
      const { world, clients } = worldOf({ results, step })
      return checkMatrix(expectations, {
        clients,
        plans: probePlans(world),
        onInserted: (table, id) => harmful.track({ table, key: id, deleteMode: 'hard' }),
      })
    },
  }
}

/** One step per table: its 32 cells were probed, and none disagrees. */
export function tableSteps(expectations: Expectations): RlsStep[] {
  return Object.keys(expectations).map((table) => ({
    id: table,
    dependsOn: ['probe'],
    run: ({ results }: RlsStepContext) => {
      const { observations, mismatches } = results.probe as MatrixResult
      const probed = observations.filter((o) => o.table === table)
      expect(probed.length, `${table}: every operation x actor cell is probed`).toBe(OPERATIONS.length * ACTORS.length)
      const mine = mismatches.filter((m) => m.table === table)
      expect(mine, formatMismatches(mine)).toEqual([])
    },
  }))
}
