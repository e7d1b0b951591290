/**
 * The schema suite: the zod models (and the contract for what they do not say) against the live
 * catalog — tables, columns, keys, checks, indexes, RLS, grants, views, enums and functions'
 * security. Over SQL where the mode has it, else through the `atoms_introspect()` RPC.
 * Every run attaches the drift report as JSON; a drift fails listing each difference.
 */
import { describe, expect, test } from '../../fixtures/index.ts'
import { atomsExpectedSchema } from './contract.ts'
import { diffSchema, diffSnapshots, driftReportJson, formatDriftReport, readCatalog, readCatalogRpc, readCatalogSql } from './lib/index.ts'

describe('schema', () => {
  test('the live schema matches the zod models and the contract', async ({ backend, service, annotate }) => {
    const snapshot = await readCatalog({ sql: backend.sql, supabase: service })
    const drifts = diffSchema(atomsExpectedSchema(), snapshot)
    const text = formatDriftReport(drifts)
    await annotate(text, 'drift-report', { contentType: 'application/json', body: JSON.stringify(driftReportJson(drifts), null, 2) })
    expect(drifts.length, text).toBe(0)
    // Not vacuous: the catalog really held the schema the models describe.
    expect(Object.keys(snapshot.tables).filter((t) => t.startsWith('public.')).length).toBeGreaterThanOrEqual(16)
    expect(Object.keys(snapshot.enums).length).toBeGreaterThanOrEqual(20)
  })

  test('the introspection RPC returns exactly the catalog SQL reads', async ({ sql, service }) => {
    const schemas = ['public', 'auth']
    const viaSql = await readCatalogSql(sql, { schemas })
    const viaRpc = await readCatalogRpc(service, { schemas })
    expect(viaRpc.schemas).toEqual([...schemas].sort())
    const drifts = diffSnapshots(viaSql, viaRpc)
    expect(drifts, formatDriftReport(drifts, 'SQL vs RPC')).toEqual([])
  })

  test('only the service role may call the introspection RPC', async ({ anon, user }) => {
    const member = await user()
    for (const [who, client] of [['anon', anon], ['a signed-in user', member.client]] as const) {
      const { data, error } = await client.rpc('atoms_introspect', { schemas: ['public'] })
      expect(data, who).toBeNull()
      expect(error?.code, `${who}: ${error?.message}`).toBe('42501')
    }
  })
})
