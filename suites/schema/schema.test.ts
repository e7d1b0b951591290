/**
 * The schema suite: the zod models (and the contract for what they do not say) against the live
 * catalog — tables, columns, keys, checks, indexes, RLS, grants, views, enums and functions'
 * security. Over SQL where the mode has it, else through the `atoms_introspect()` RPC.
 * Every run attaches the drift report as JSON; a drift fails listing each difference.
 *
 * Fault proofs: on a migrated scratch database, faults are seeded in a transaction, the catalog
 * is read inside it, and the transaction is rolled back. The four the issue names (a dropped
 * constraint, an added enum value, a changed column type, dropped NOT NULL) are seeded one at a
 * time and must each give exactly their one drift; eight more (FK action, index, RLS, grants,
 * function security, a view) are seeded together and must give exactly one drift each.
 */
import type { CatalogSql, Drift } from './lib/index.ts'
import { describe, expect, test } from '../../fixtures/index.ts'
import { atomsExpectedSchema } from './contract.ts'
import {
  diffSchema,
  diffSnapshots,
  driftLine,
  driftReportJson,
  formatDriftReport,
  readCatalog,
  readCatalogRpc,
  readCatalogSql,
} from './lib/index.ts'

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

  test('the introspection RPC returns exactly what SQL reads; the SQL reader leaves the session as it was', async ({ sql, service }) => {
    const schemas = ['public', 'auth']
    const viaSql = await sql.transaction(async (tx) => {
      await tx.query(`select set_config('search_path', 'auth, public', true), set_config('plan_cache_mode', 'force_custom_plan', true)`)
      const snapshot = await readCatalogSql(tx, { schemas })
      const { rows } = await tx.query(`select current_setting('search_path') as path, current_setting('plan_cache_mode') as mode`)
      expect(rows).toEqual([{ path: 'auth, public', mode: 'force_custom_plan' }])
      return snapshot
    })
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

/** One seeded fault and the one drift it must produce. */
interface Fault {
  sql: string
  drift: Pick<Drift, 'kind' | 'object' | 'table' | 'name' | 'property'> & Partial<Pick<Drift, 'expected' | 'found'>>
}

const VISIBILITY = ['private', 'team', 'organization', 'public']
const ALL = ['DELETE', 'INSERT', 'REFERENCES', 'SELECT', 'TRIGGER', 'TRUNCATE', 'UPDATE']

// Each seeded alone: the drift list must be exactly its one difference.
const FAULTS: Record<string, Fault> = {
  'drop a check constraint': {
    sql: 'alter table public.projects drop constraint projects_slug_format',
    drift: { kind: 'missing', object: 'check', table: 'projects', name: 'projects_slug_format', property: null },
  },
  'add an enum value': {
    sql: `alter type public.visibility add value 'secret'`,
    drift: { kind: 'changed', object: 'enum', table: null, name: 'visibility', property: 'values', expected: VISIBILITY, found: [...VISIBILITY, 'secret'] },
  },
  'change a column type': {
    sql: 'alter table public.documents alter column version type bigint',
    drift: { kind: 'changed', object: 'column', table: 'documents', name: 'version', property: 'type', expected: 'integer', found: 'bigint' },
  },
  'drop NOT NULL': {
    sql: 'alter table public.projects alter column name drop not null',
    drift: { kind: 'changed', object: 'column', table: 'projects', name: 'name', property: 'nullable', expected: false, found: true },
  },
}

// Seeded together in one transaction (they touch disjoint objects, so none can hide another):
// the drift list must be exactly one difference per fault.
const MORE_FAULTS: Record<string, Fault> = {
  'change what a foreign key does on delete': {
    sql: `alter table public.blocks drop constraint blocks_document_id_fkey,
      add constraint blocks_document_id_fkey foreign key (document_id) references public.documents (id) on delete cascade`,
    drift: { kind: 'changed', object: 'foreign key', table: 'blocks', name: 'blocks_document_id_fkey', property: 'onDelete', expected: 'no action', found: 'cascade' },
  },
  'drop an index the server relies on': {
    sql: 'drop index public.documents_fts_idx',
    drift: { kind: 'missing', object: 'index', table: 'documents', name: 'documents_fts_idx', property: null },
  },
  'disable row level security': {
    sql: 'alter table public.test_req disable row level security',
    drift: { kind: 'changed', object: 'rls', table: 'test_req', name: 'test_req', property: 'enabled', expected: true, found: false },
  },
  'revoke a table privilege': {
    sql: 'revoke select on public.documents from authenticated',
    drift: { kind: 'changed', object: 'grant', table: 'documents', name: 'authenticated', property: 'privileges', expected: ALL, found: ALL.filter((p) => p !== 'SELECT') },
  },
  "unpin a security definer function's search_path": {
    sql: 'alter function public.is_project_member(uuid, uuid) reset search_path',
    drift: { kind: 'changed', object: 'function', table: null, name: 'is_project_member(uuid, uuid)', property: 'searchPath', expected: '', found: null },
  },
  'turn a security definer function into an invoker': {
    sql: 'alter function public.document_project_id(uuid) security invoker',
    drift: { kind: 'changed', object: 'function', table: null, name: 'document_project_id(uuid)', property: 'securityDefiner', expected: true, found: false },
  },
  'let anon execute an RLS helper': {
    sql: 'grant execute on function public.is_organization_member(uuid, uuid) to anon',
    drift: {
      kind: 'changed',
      object: 'function',
      table: null,
      name: 'is_organization_member(uuid, uuid)',
      property: 'executableBy',
      expected: ['authenticated', 'service_role'],
      found: ['anon', 'authenticated', 'service_role'],
    },
  },
  'add a view': {
    sql: 'create view public.all_projects as select id, name from public.projects',
    drift: { kind: 'unexpected', object: 'view', table: 'all_projects', name: 'all_projects', property: null },
  },
}

class Rollback extends Error {
  override name = 'Rollback'
}

/** Seeds `sql` in a transaction, returns the drift found inside it, and rolls it back. */
async function driftWith(db: Required<Pick<CatalogSql, 'transaction'>>, sql: string): Promise<Drift[]> {
  let drifts: Drift[] = []
  await db
    .transaction(async (tx) => {
      await tx.exec(sql)
      drifts = diffSchema(atomsExpectedSchema(), await readCatalogSql(tx))
      throw new Rollback()
    })
    .catch((error: unknown) => {
      if (!(error instanceof Rollback)) throw error
    })
  return drifts
}

const listing = (found: Record<string, Drift[]>) =>
  Object.entries(found)
    .map(([name, drifts]) => `${name}:\n  ${drifts.map(driftLine).join('\n  ') || '(no drift)'}`)
    .join('\n')

describe('schema fault proofs', () => {
  test('each seeded fault is reported as exactly its own difference', { timeout: 120_000 }, async ({ scratch }) => {
    const db = await scratch({ migrate: true })
    const found: Record<string, Drift[]> = {}
    for (const [name, fault] of Object.entries(FAULTS)) found[name] = await driftWith(db, fault.sql)
    const wanted = Object.fromEntries(Object.entries(FAULTS).map(([name, f]) => [name, [expect.objectContaining(f.drift)]]))
    expect(found, listing(found)).toEqual(wanted)

    const together = await driftWith(db, Object.values(MORE_FAULTS).map((f) => `${f.sql};`).join('\n'))
    const wantedTogether = Object.values(MORE_FAULTS).map((f) => expect.objectContaining(f.drift))
    expect(together, listing({ 'all of': together })).toHaveLength(wantedTogether.length)
    expect(together).toEqual(expect.arrayContaining(wantedTogether))
  })
})
