/**
 * Shared steps of every handler: plan against the cached catalog (reloading it once when the
 * request names something it lacks), and run the statement as the caller, PostgREST-style.
 */
import type { SqlSession } from '../../../sql/index.ts'
import type { Caller, EmulatorContext } from '../../types.ts'
import type { Catalog } from '../catalog.ts'
import type { StatementResult } from '../buildStatement.ts'
import type { SelectItem } from '../types.ts'
import { getCatalog, refreshCatalog, resolveCast } from '../catalog.ts'
import { PostgrestError } from '../errors.ts'
import { runStatement } from '../buildStatement.ts'
import { castsIn } from '../planRead.ts'

/**
 * Runs `plan` with the cached catalog; if it fails on a name the cache lacks, reloads the
 * catalog once and plans again (new tables, columns and functions appear without a restart).
 */
export async function withCatalog<T>(ctx: EmulatorContext, select: SelectItem[], plan: (catalog: Catalog) => T): Promise<T> {
  let catalog = await getCatalog(ctx.db)
  await resolveCasts(ctx, catalog, select)
  try {
    return plan(catalog)
  } catch (error) {
    if (!(error instanceof PostgrestError) || !error.catalogMiss) throw error
    catalog = await refreshCatalog(ctx.db)
    await resolveCasts(ctx, catalog, select)
    return plan(catalog)
  }
}

async function resolveCasts(ctx: EmulatorContext, catalog: Catalog, select: SelectItem[]): Promise<void> {
  for (const cast of castsIn(select)) await resolveCast(ctx.db, catalog, cast)
}

/**
 * Runs the statement as the caller (one transaction, `SET LOCAL ROLE`, JWT claims), then lets
 * `check` inspect the result inside the transaction, so a thrown error rolls the write back.
 */
export function runAsCaller(
  ctx: EmulatorContext,
  caller: Caller,
  sql: string,
  params: unknown[],
  options: { before?: (tx: SqlSession) => Promise<void>; check?: (result: StatementResult) => void } = {},
): Promise<StatementResult> {
  return ctx.db.asRole(caller.role, caller.claims, async (tx) => {
    if (options.before) await options.before(tx)
    const result = await runStatement(tx, sql, params, ctx.preparedStatements)
    options.check?.(result)
    if (result.gucHeaders !== null || result.gucStatus !== null) {
      // SET LOCAL outlives a released savepoint: clear the GUCs so the next request in a test unit starts clean.
      await tx.query(`select set_config('response.headers', '', true), set_config('response.status', '', true)`)
    }
    return result
  })
}
