/**
 * The zod models are exact: every table, column (order, type, nullability, default, generated),
 * key, unique and check constraint, enum and function of the models matches the live catalog,
 * and real rows (as PostgREST would render them) parse with the Row models, seeded through
 * the Insert models.
 */
import type { SqlExecutor } from '../../harness/sql/index.ts'
import type { ForeignKey, TableName } from '../models/index.ts'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { ENGINES, openEngine } from '../../harness/testing/index.ts'
import { enumValues, enums, functions, normalizePgType, tables } from '../models/index.ts'
import { asService, insertRow, signUp } from './test-utils.ts'

const tableNames = Object.keys(tables) as TableName[]
const ON_DELETE: Record<string, ForeignKey['onDelete']> = { a: 'no action', c: 'cascade', n: 'set null' }
// Installed by the introspection migration for the schema suite, which checks it itself; the
// models describe the Atoms schema only.
const SUITE_FUNCTIONS = ['atoms_introspect']

describe.each(ENGINES)('models vs. the catalog on %s', (engine) => {
  let db: SqlExecutor
  let dispose: () => Promise<void>

  beforeAll(async () => {
    ;({ db, dispose } = await openEngine(engine))
  })
  afterAll(() => dispose())

  test('the models name exactly the tables of public', async () => {
    const { rows } = await db.query<{ name: string }>(
      `select relname as name from pg_class where relnamespace = 'public'::regnamespace and relkind = 'r' order by 1`,
    )
    expect(rows.map((r) => r.name)).toEqual([...tableNames].sort())
  })

  test.each(tableNames)('columns of %s', async (table) => {
    const { rows } = await db.query<{ name: string; type: string; nullable: boolean; has_default: boolean; generated: boolean }>(
      `select a.attname as name, format_type(a.atttypid, a.atttypmod) as type, not a.attnotnull as nullable,
         a.atthasdef as has_default, a.attgenerated <> '' as generated
       from pg_attribute a
       where a.attrelid = ('public.' || quote_ident($1))::regclass and a.attnum > 0 and not a.attisdropped
       order by a.attnum`,
      [table],
    )
    const live = rows.map((r) => ({ name: r.name, pgType: normalizePgType(r.type), nullable: r.nullable, hasDefault: r.has_default, generated: r.generated }))
    expect(live).toEqual(tables[table].columns)
    expect(Object.keys(tables[table].schema.shape)).toEqual(live.map((c) => c.name))
  })

  test.each(tableNames)('keys and constraints of %s', async (table) => {
    const { rows } = await db.query<{ name: string; type: string; columns: string[]; ref_table: string | null; ref_columns: string[] | null; on_delete: string }>(
      `select c.conname as name, c.contype::text as type,
         array(select a.attname::text from unnest(c.conkey) with ordinality k(n, i)
               join pg_attribute a on a.attrelid = c.conrelid and a.attnum = k.n order by k.i) as columns,
         case when c.contype = 'f' then c.confrelid::regclass::text end as ref_table,
         case when c.contype = 'f' then array(select a.attname::text from unnest(c.confkey) with ordinality k(n, i)
               join pg_attribute a on a.attrelid = c.confrelid and a.attnum = k.n order by k.i) end as ref_columns,
         c.confdeltype::text as on_delete
       from pg_constraint c
       where c.conrelid = ('public.' || quote_ident($1))::regclass and c.contype in ('p', 'f', 'u', 'c')
       order by c.conname`,
      [table],
    )
    const model = tables[table]
    expect(rows.filter((r) => r.type === 'p').map((r) => r.columns)).toEqual([[model.primaryKey]])
    const fks = rows
      .filter((r) => r.type === 'f')
      .map((r) => ({ name: r.name, columns: r.columns, references: { table: r.ref_table, columns: r.ref_columns }, onDelete: ON_DELETE[r.on_delete] }))
    expect(fks).toEqual([...model.foreignKeys].sort((a, b) => (a.name < b.name ? -1 : 1)))
    expect(Object.fromEntries(rows.filter((r) => r.type === 'u').map((r) => [r.name, r.columns]))).toEqual(model.unique)
    expect(rows.filter((r) => r.type === 'c').map((r) => r.name)).toEqual([...model.checks].sort())
    expect(model.parents).toEqual([...new Set(model.foreignKeys.map((f) => f.references.table))].filter((t) => t !== table))
  })

  test('enums: the same types with the same values in the same order', async () => {
    const { rows } = await db.query<{ name: string; labels: string[] }>(
      `select t.typname as name, array_agg(e.enumlabel::text order by e.enumsortorder) as labels
       from pg_type t join pg_enum e on e.enumtypid = t.oid
       where t.typnamespace = 'public'::regnamespace group by t.typname order by 1`,
    )
    expect(Object.fromEntries(rows.map((r) => [r.name, r.labels]))).toEqual(enumValues)
    for (const [name, schema] of Object.entries(enums)) expect(schema.options, name).toEqual(enumValues[name as keyof typeof enumValues])
  })

  test('functions: names, argument types, results and security as modelled', async () => {
    const { rows } = await db.query<{ name: string; args: string; returns: string; definer: boolean; config: string[] | null }>(
      `select p.proname as name, oidvectortypes(p.proargtypes) as args, format_type(p.prorettype, null) as returns,
         p.prosecdef as definer, p.proconfig as config
       from pg_proc p where p.pronamespace = 'public'::regnamespace order by 1`,
    )
    const live = Object.fromEntries(
      rows.filter((r) => !SUITE_FUNCTIONS.includes(r.name)).map((r) => [
        r.name,
        {
          args: r.args === '' ? [] : r.args.split(', ').map(normalizePgType),
          returns: normalizePgType(r.returns),
          securityDefiner: r.definer,
        },
      ]),
    )
    const modelled = Object.fromEntries(
      Object.entries(functions).map(([name, f]) => [name, { args: f.args, returns: f.returns, securityDefiner: f.securityDefiner }]),
    )
    expect(live).toEqual(modelled)
    for (const row of rows) expect(row.config ?? [], row.name).toContain('search_path=""')
    const rpc = Object.entries(functions).filter(([, f]) => f.rpc).map(([name]) => name)
    const { rows: grants } = await db.query<{ name: string; auth: boolean; anon: boolean }>(
      `select p.proname as name, has_function_privilege('authenticated', p.oid, 'execute') as auth,
         has_function_privilege('anon', p.oid, 'execute') as anon
       from pg_proc p where p.pronamespace = 'public'::regnamespace and p.proname = any($1::text[]) order by 1`,
      [rpc],
    )
    expect(grants).toEqual(rpc.sort().map((name) => ({ name, auth: true, anon: false })))
  })

  test('rows seeded through the Insert models read back as valid Row models in every table', async () => {
    const user = await signUp(db, 'models@example.test', 'Model User')
    const other = await signUp(db, 'other@example.test')
    const at = '2030-01-02T03:04:05.678+00:00'
    const seeded: Partial<Record<TableName, Record<string, unknown>>> = {}
    await asService(db, async (tx) => {
      const put = async (table: TableName, data: Record<string, unknown>) => {
        const insert = tables[table].insert.parse(data)
        const row = await insertRow<Record<string, unknown>>(tx, table, insert)
        seeded[table] = row
        return row.id as string
      }
      const org = await put('organizations', { name: 'Models Org', slug: 'models-org', created_by: user.id, updated_by: user.id, settings: { theme: 'dark' } })
      await put('organization_invitations', { organization_id: org, email: 'invitee@example.test', created_by: user.id, updated_by: user.id })
      const project = await put('projects', {
        organization_id: org,
        name: 'Models Project',
        slug: 'models-project',
        owned_by: user.id,
        created_by: user.id,
        updated_by: user.id,
        tags: ['a', 'b'],
      })
      await put('project_members', { project_id: project, user_id: other.id, org_id: org, role: 'editor' })
      const document = await put('documents', { project_id: project, name: 'Doc', slug: 'doc', description: null })
      const block = await put('blocks', { document_id: document, type: 'section', position: 1, content: { text: 'x' } })
      await put('properties', { org_id: org, project_id: project, name: 'Risk', property_type: 'select', options: { values: ['low'] } })
      const requirement = await put('requirements', { document_id: document, block_id: block, name: 'Req', position: 1.5 })
      const test = await put('test_req', {
        project_id: project,
        title: 'Test',
        estimated_duration: '01:30:00',
        category: ['smoke'],
        test_steps: [{ step: 1 }],
        version: 'v1',
      })
      await put('requirement_tests', { requirement_id: requirement, test_id: test, executed_at: at, execution_status: 'passed' })
      await put('trace_links', { source_id: requirement, source_type: 'requirement', target_id: document, target_type: 'document', link_type: 'implements' })
      await put('assignments', { entity_id: requirement, entity_type: 'requirement', assignee_id: other.id, role: 'assignee', status: 'active', due_date: at })
      const workflow = await put('workflows', { organization_id: org, name: 'Flow', steps: [{ tool: 'entity', operation: 'list_entities' }], created_by: user.id })
      await put('workflow_runs', { workflow_id: workflow, created_by: user.id, inputs: { n: 1 }, status: 'running', started_at: at })
    })
    const { rows } = await db.query<{ row: Record<string, unknown> }>('select to_jsonb(p.*) as row from public.profiles p where id = $1', [user.id])
    seeded.profiles = rows[0]!.row
    const { rows: members } = await db.query<{ row: Record<string, unknown> }>('select to_jsonb(m.*) as row from public.organization_members m limit 1')
    seeded.organization_members = members[0]!.row
    for (const table of tableNames) {
      const row = seeded[table]
      expect(row, `a seeded ${table} row`).toBeDefined()
      const parsed = tables[table].schema.safeParse(row)
      expect(parsed.error?.issues ?? [], table).toEqual([])
      expect(Object.keys(row!).sort(), table).toEqual(Object.keys(tables[table].schema.shape).sort())
    }
  })

  test('Insert models reject unknown, generated and mistyped fields before SQL runs', () => {
    const base = { document_id: crypto.randomUUID(), block_id: crypto.randomUUID(), name: 'R' }
    expect(tables.requirements.insert.safeParse(base).success).toBe(true)
    expect(tables.requirements.insert.safeParse({ ...base, fts_vector: 'x' }).success).toBe(false)
    expect(tables.requirements.insert.safeParse({ ...base, title: 'x' }).success).toBe(false)
    expect(tables.requirements.insert.safeParse({ ...base, priority: 'urgent' }).success).toBe(false)
    expect(tables.requirements.insert.safeParse({ ...base, block_id: undefined }).success).toBe(false)
    expect(tables.test_req.insert.safeParse({ title: 'T' }).success).toBe(true)
    expect(tables.test_req.insert.safeParse({ name: 'T' }).success).toBe(false)
    expect(tables.requirement_tests.insert.safeParse({ requirement_id: base.block_id, test_id: base.document_id, is_deleted: false }).success).toBe(false)
    expect(tables.projects.update.safeParse({ id: base.block_id }).success).toBe(false)
    expect(tables.projects.update.safeParse({ name: 'New', description: null }).success).toBe(true)
  })
})
