/**
 * The data set the policy cost is measured on: every table filled with generate_series in SQL
 * (as the database owner, so triggers run but RLS does not get in the way), with `rows` rows in
 * each content table, and one member whose select sees a small share of it, as a real tenant's.
 * Ids are `md5(<kind><n>)::uuid`, so rows can name their parents without lookups.
 */
import type { SqlSession } from '../../../harness/sql/index.ts'
import { CostSettingError } from './errors.ts'

/** Shape of the data set. */
export interface CostSeedOptions {
  /** Rows of each content table (documents, blocks, requirements, tests, links, …); default 10 000. */
  rows?: number
}

/** What was seeded. */
export interface CostSeed {
  /** The user whose select is measured: member of one workspace, viewer of a few projects elsewhere. */
  memberId: string
  /** Row count per table after the seed. */
  counts: Record<string, number>
  /** Rows in the whole data set. */
  total: number
  /** Seed time in ms. */
  ms: number
}

/** The default number of rows per content table. */
export const DEFAULT_COST_ROWS = 10_000

/** The environment variable that overrides the rows per content table. */
export const COST_ROWS_ENV = 'ATOMS_RLS_COST_ROWS'

/** Rows per content table from `env` (default 10 000). @throws CostSettingError for anything but a positive integer. */
export function costRowsFromEnv(env: Readonly<Record<string, string | undefined>> = process.env): number {
  const raw = env[COST_ROWS_ENV]
  if (raw === undefined || raw.trim() === '') return DEFAULT_COST_ROWS
  const value = Number(raw)
  if (!Number.isInteger(value) || value <= 0) throw new CostSettingError(COST_ROWS_ENV, raw, 'a positive whole number of rows')
  return value
}

const id = (kind: string, expr: string) => `md5('${kind}' || (${expr}))::uuid`

/** The seed script for `rows` rows per content table. */
export function costSeedSql(rows: number): string {
  const n = Math.max(100, Math.floor(rows))
  const users = Math.max(20, Math.floor(n / 50))
  const orgs = Math.max(10, Math.floor(n / 100))
  const projects = Math.max(10, Math.floor(n / 10))
  const workflows = projects
  // user 0 is the measured member; the owner of team organization i is user i + 1.
  return `
insert into auth.users (id, email, email_confirmed_at)
select ${id('user', 'g')}, 'cost-user-' || g || '@example.test', now() from generate_series(0, ${users - 1}) g;

insert into public.organizations (id, name, slug, type, owner_id, created_by, updated_by)
select ${id('org', 'g')}, 'Cost org ' || g, 'cost-org-' || g, 'team', ${id('user', `g % ${users - 1} + 1`)},
  ${id('user', `g % ${users - 1} + 1`)}, ${id('user', `g % ${users - 1} + 1`)}
from generate_series(0, ${orgs - 1}) g;

insert into public.organization_members (organization_id, user_id, role)
select ${id('org', `g % ${orgs}`)}, ${id('user', 'g')}, 'member' from generate_series(0, ${users - 1}) g
on conflict (organization_id, user_id) do nothing;

insert into public.projects (id, organization_id, name, slug, owned_by, created_by, updated_by, visibility)
select ${id('project', 'g')}, ${id('org', `g % ${orgs}`)}, 'Cost project ' || g, 'cost-project-' || g,
  ${id('user', `(g % ${orgs}) % ${users - 1} + 1`)}, ${id('user', `(g % ${orgs}) % ${users - 1} + 1`)},
  ${id('user', `(g % ${orgs}) % ${users - 1} + 1`)}, case when g % 50 = 0 then 'public'::public.visibility else 'private'::public.visibility end
from generate_series(0, ${projects - 1}) g;

insert into public.project_members (project_id, user_id, org_id, role)
select ${id('project', 'g')}, ${id('user', `(g * 7) % ${users}`)}, ${id('org', `g % ${orgs}`)}, 'editor'::public.project_role
from generate_series(0, ${projects - 1}) g
union all
select ${id('project', 'g')}, ${id('user', '0')}, ${id('org', `g % ${orgs}`)}, 'viewer'::public.project_role
from generate_series(0, ${projects - 1}) g where g % 97 = 5
on conflict (project_id, user_id) do nothing;

insert into public.organization_invitations (organization_id, email, role, created_by, updated_by)
select ${id('org', `g % ${orgs}`)}, 'cost-invitee-' || g || '@example.test', 'member', ${id('user', '1')}, ${id('user', '1')}
from generate_series(0, ${n - 1}) g;

insert into public.documents (id, project_id, name, slug)
select ${id('document', 'g')}, ${id('project', `g % ${projects}`)}, 'Cost document ' || g, 'cost-document-' || g
from generate_series(0, ${n - 1}) g;

insert into public.blocks (id, document_id, type, position)
select ${id('block', 'g')}, ${id('document', 'g')}, 'text', 0 from generate_series(0, ${n - 1}) g;

insert into public.requirements (id, document_id, block_id, name)
select ${id('requirement', 'g')}, ${id('document', 'g')}, ${id('block', 'g')}, 'Cost requirement ' || g
from generate_series(0, ${n - 1}) g;

insert into public.test_req (id, project_id, title)
select ${id('test', 'g')}, ${id('project', `g % ${projects}`)}, 'Cost test ' || g from generate_series(0, ${n - 1}) g;

insert into public.requirement_tests (requirement_id, test_id)
select ${id('requirement', 'g')}, ${id('test', 'g')} from generate_series(0, ${n - 1}) g;

insert into public.trace_links (source_id, source_type, target_id, target_type, link_type)
select ${id('requirement', 'g')}, 'requirement', ${id('document', 'g')}, 'document', 'derives_from'
from generate_series(0, ${n - 1}) g;

insert into public.assignments (entity_id, entity_type, assignee_id, role, status)
select ${id('requirement', 'g')}, 'requirement', ${id('user', `g % ${users}`)}, 'reviewer', 'active'
from generate_series(0, ${n - 1}) g;

insert into public.properties (org_id, project_id, name, property_type)
select ${id('org', `(g % ${projects}) % ${orgs}`)}, case when g % 10 = 0 then null else ${id('project', `g % ${projects}`)} end,
  'Cost property ' || g, 'text'
from generate_series(0, ${n - 1}) g;

insert into public.workflows (id, organization_id, name, created_by)
select ${id('workflow', 'g')}, ${id('org', `g % ${orgs}`)}, 'Cost workflow ' || g, ${id('user', `g % ${orgs} % ${users - 1} + 1`)}
from generate_series(0, ${workflows - 1}) g;

insert into public.workflow_runs (workflow_id, created_by)
select ${id('workflow', `g % ${workflows}`)}, ${id('user', '1')} from generate_series(0, ${n - 1}) g;

analyze;
`
}

const TABLES_SQL = `
select c.relname as table from pg_catalog.pg_class c join pg_catalog.pg_namespace ns on ns.oid = c.relnamespace
where ns.nspname = 'public' and c.relkind = 'r' order by c.relname`

/** Seeds the data set on `db` (a scratch database: it is never cleaned up). */
export async function seedCostData(db: SqlSession, options: CostSeedOptions = {}): Promise<CostSeed> {
  const started = performance.now()
  await db.exec(costSeedSql(options.rows ?? DEFAULT_COST_ROWS))
  const ms = performance.now() - started
  const counts: Record<string, number> = {}
  for (const { table } of (await db.query<{ table: string }>(TABLES_SQL)).rows) {
    const count = await db.query<{ n: string | number }>(`select count(*) as n from public."${table.replaceAll('"', '""')}"`)
    counts[table] = Number(count.rows[0]!.n)
  }
  const memberId = (await db.query<{ id: string }>(`select (md5('user0'))::uuid::text as id`)).rows[0]!.id
  return { memberId, counts, total: Object.values(counts).reduce((a, b) => a + b, 0), ms }
}
