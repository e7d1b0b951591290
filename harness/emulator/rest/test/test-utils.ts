/**
 * Shared helpers of the REST tests: a hand-built catalog for the pure planner tests, and for
 * the behaviour tests a database with `schema.sql` and seed rows, callers for each role, a
 * `call()` that drives `restRoutes.resolve` directly, and a snapshot of every table to prove
 * that a refused request changed nothing.
 */
import { readFileSync } from 'node:fs'
import type { SqlExecutor } from '../../../sql/index.ts'
import type { EngineName } from '../../../testing/index.ts'
import type { Caller, EmulatorContext } from '../../types.ts'
import type { Catalog, ColumnInfo, FunctionInfo, TableInfo } from '../catalog.ts'
import { openEngine } from '../../../testing/index.ts'
import { restRoutes } from '../index.ts'

// ---------------------------------------------------------------- pure catalog

function column(name: string, type: string, extra: Partial<ColumnInfo> = {}): ColumnInfo {
  return { name, type, typeName: type.replace(/\[\]$/, ''), notNull: false, ...extra }
}

function table(name: string, columns: ColumnInfo[], primaryKey: string[], uniqueKeys: string[][] = [primaryKey]): TableInfo {
  return { name, isView: false, columns: new Map(columns.map((c) => [c.name, c])), columnList: columns, primaryKey, uniqueKeys }
}

/** A catalog like `schema.sql`, built by hand (no database). */
export function fakeCatalog(): Catalog {
  const tables = [
    table('orgs', [column('id', 'uuid'), column('name', 'text')], ['id'], [['id'], ['name']]),
    table('projects', [
      column('id', 'bigint', { default: 'nextval(\'projects_id_seq\'::regclass)' }),
      column('org_id', 'uuid'),
      column('name', 'text'),
      column('tags', 'text[]', { default: "'{}'::text[]" }),
      column('meta', 'jsonb', { typeName: 'jsonb' }),
      column('budget', 'numeric(12,2)', { typeName: 'numeric' }),
    ], ['id']),
    table('project_details', [column('project_id', 'bigint'), column('summary', 'text')], ['project_id']),
    table('tasks', [column('id', 'integer'), column('project_id', 'bigint'), column('title', 'text'), column('parent_id', 'integer')], ['id']),
    table('handoffs', [column('id', 'integer'), column('from_project', 'bigint'), column('to_project', 'bigint')], ['id']),
    table('members', [column('org_id', 'uuid'), column('user_id', 'uuid')], ['org_id', 'user_id']),
    table('labels', [column('id', 'integer'), column('name', 'text')], ['id']),
    table('project_labels', [column('project_id', 'bigint'), column('label_id', 'integer')], ['project_id', 'label_id']),
    { ...table('project_names', [column('name', 'text')], []), isView: true },
  ]
  const fk = (name: string, from: string, columns: string[], to: string, foreignColumns: string[]) =>
    ({ name, table: from, columns, foreignTable: to, foreignColumns })
  const fn = (name: string, extra: Partial<FunctionInfo>): FunctionInfo =>
    ({ name, volatility: 's', returnsSet: false, returnKind: 'scalar', returnType: 'integer', inputs: [], outputs: [], ...extra })
  const functions: FunctionInfo[] = [
    fn('add_numbers', { inputs: [{ name: 'a', type: 'integer', mode: 'i', hasDefault: false }, { name: 'b', type: 'integer', mode: 'i', hasDefault: true }] }),
    fn('overloaded', { inputs: [{ name: 'a', type: 'integer', mode: 'i', hasDefault: false }] }),
    fn('overloaded', { inputs: [{ name: 'a', type: 'text', mode: 'i', hasDefault: false }] }),
    fn('echo_json', { inputs: [{ name: '', type: 'jsonb', mode: 'i', hasDefault: false }], returnType: 'jsonb' }),
    fn('projects_of', { returnsSet: true, returnKind: 'composite', returnType: 'projects', inputs: [{ name: 'org', type: 'uuid', mode: 'i', hasDefault: false }], outputs: tables[1]?.columnList ?? [] }),
    fn('tick', { volatility: 'v', returnKind: 'void', returnType: 'void' }),
  ]
  const byName = new Map<string, FunctionInfo[]>()
  for (const f of functions) byName.set(f.name, [...(byName.get(f.name) ?? []), f])
  return {
    tables: new Map(tables.map((t) => [t.name, t])),
    foreignKeys: [
      fk('projects_org_id_fkey', 'projects', ['org_id'], 'orgs', ['id']),
      fk('project_details_project_id_fkey', 'project_details', ['project_id'], 'projects', ['id']),
      fk('tasks_project_id_fkey', 'tasks', ['project_id'], 'projects', ['id']),
      fk('tasks_parent_id_fkey', 'tasks', ['parent_id'], 'tasks', ['id']),
      fk('handoffs_from_project_fkey', 'handoffs', ['from_project'], 'projects', ['id']),
      fk('handoffs_to_project_fkey', 'handoffs', ['to_project'], 'projects', ['id']),
      fk('members_org_id_fkey', 'members', ['org_id'], 'orgs', ['id']),
      fk('project_labels_project_id_fkey', 'project_labels', ['project_id'], 'projects', ['id']),
      fk('project_labels_label_id_fkey', 'project_labels', ['label_id'], 'labels', ['id']),
    ],
    functions: byName,
    casts: new Map([['text', 'text'], ['int', 'integer'], ['nope', null]]),
  }
}

// ---------------------------------------------------------------- behaviour tests

/** Fixed ids of the seed. */
export const IDS = {
  org1: '00000000-0000-0000-0000-0000000000a1',
  org2: '00000000-0000-0000-0000-0000000000a2',
  userA: '00000000-0000-0000-0000-00000000000a',
  userB: '00000000-0000-0000-0000-00000000000b',
} as const

const SEED = `
insert into orgs (id, name) values ('${IDS.org1}', 'one'), ('${IDS.org2}', 'two');
insert into members values ('${IDS.org1}', '${IDS.userA}'), ('${IDS.org2}', '${IDS.userB}');
insert into projects (org_id, name, budget, tags, meta, big) values
  ('${IDS.org1}', 'alpha', 10.5, '{a,b}', '{"k": 1, "nested": {"deep": "x"}}', 9007199254740993),
  ('${IDS.org1}', 'beta', null, '{b}', null, null),
  ('${IDS.org2}', 'gamma', 3, '{}', '{"k": 2}', 1);
insert into project_details values (1, 'first');
insert into tasks (project_id, title, done, position) values
  (1, 't1', false, 1), (1, 't2', true, 2), (2, 't3', false, null), (3, 't4', false, 1);
insert into handoffs values (1, 1, 3);
insert into secrets values (1, 'hidden');
`

/** The role and claims of each test actor. */
export const CALLERS = {
  /** Member of org one. */
  userA: { role: 'authenticated', claims: { sub: IDS.userA, role: 'authenticated' }, token: 'user-a' },
  /** Member of org two. */
  userB: { role: 'authenticated', claims: { sub: IDS.userB, role: 'authenticated' }, token: 'user-b' },
  anon: { role: 'anon', claims: { role: 'anon' }, token: 'anon' },
  service: { role: 'service_role', claims: { role: 'service_role' }, token: 'service' },
} as const satisfies Record<string, Caller>

/** One response, decoded. */
export interface CallResult {
  status: number
  headers: Headers
  /** Parsed JSON, or the raw text when it is not JSON (empty string for no body). */
  body: any
  text: string
}

/** A database with the test schema and seed, and an emulator context on it. */
export interface RestFixture {
  db: SqlExecutor
  ctx: EmulatorContext
  /** Sends one request straight to `restRoutes.resolve`. */
  call(method: string, path: string, options?: { as?: keyof typeof CALLERS | null; headers?: Record<string, string>; body?: unknown }): Promise<CallResult>
  /** Every row of every test table, to compare before and after a refused request. */
  snapshot(): Promise<string>
  dispose(): Promise<void>
}

/** The test schema (`schema.sql`). */
export const SCHEMA_SQL = readFileSync(new URL('./schema.sql', import.meta.url), 'utf8')

/** Opens `engine` with the test schema and seed. */
export async function openRest(engine: EngineName): Promise<RestFixture> {
  const opened = await openEngine(engine, { migrate: false })
  try {
    await opened.db.exec(SCHEMA_SQL)
    await opened.db.exec(SEED)
  } catch (error) {
    await opened.dispose()
    throw error
  }
  const { db } = opened
  const ctx: EmulatorContext = { db, jwtSecret: 'unused-by-rest', anonKey: 'anon', serviceRoleKey: 'service', baseUrl: 'http://localhost', preparedStatements: true }
  return {
    db,
    ctx,
    async call(method, path, options = {}) {
      const who = options.as === undefined ? 'userA' : options.as
      const init: RequestInit = { method, headers: { 'Content-Type': 'application/json', ...options.headers } }
      if (options.body !== undefined) init.body = typeof options.body === 'string' ? options.body : JSON.stringify(options.body)
      const response = await restRoutes.resolve(new Request(`http://localhost/rest/v1/${path}`, init), who === null ? null : CALLERS[who], ctx)
      const text = await response.text()
      let body: unknown = text
      try {
        body = text === '' ? '' : JSON.parse(text)
      } catch {
        body = text
      }
      return { status: response.status, headers: response.headers, body, text }
    },
    async snapshot() {
      const tables = ['orgs', 'members', 'projects', 'project_details', 'tasks', 'handoffs', 'secrets']
      const parts: string[] = []
      for (const name of tables) {
        const { rows } = await db.query<{ body: string }>(`select coalesce(json_agg(t order by t::text), '[]')::text as body from ${name} t`)
        parts.push(`${name}: ${rows[0]?.body}`)
      }
      const roles = await db.query<{ n: string }>(`select count(*)::text as n from pg_roles`)
      parts.push(`roles: ${roles.rows[0]?.n}`)
      return parts.join('\n')
    },
    dispose: () => opened.dispose(),
  }
}
