/**
 * Small catalog snapshots and model schemas for the library's unit tests, built in code so each
 * test shows exactly the fact it changes.
 */
import type { ModelSchema, SchemaContract } from './expected.ts'
import type { CatalogColumn, CatalogConstraint, CatalogFunction, CatalogSnapshot, CatalogTable, TablePrivilege } from './types.ts'

export const ALL: TablePrivilege[] = ['DELETE', 'INSERT', 'REFERENCES', 'SELECT', 'TRIGGER', 'TRUNCATE', 'UPDATE']

/** A column as the catalog prints it. */
export function column(position: number, type: string, extra: Partial<CatalogColumn> = {}): CatalogColumn {
  return { position, type, nullable: false, default: null, generated: null, identity: null, ...extra }
}

/** A constraint as the catalog prints it. */
export function constraint(type: CatalogConstraint['type'], columns: string[], extra: Partial<CatalogConstraint> = {}): CatalogConstraint {
  return { type, columns, definition: `${type.toUpperCase()} (${columns.join(', ')})`, references: null, onDelete: null, onUpdate: null, ...extra }
}

/** A function as the catalog prints it. */
export function fn(extra: Partial<CatalogFunction> = {}): CatalogFunction {
  return {
    arguments: 'project_id uuid',
    kind: 'function',
    returns: 'boolean',
    language: 'sql',
    volatility: 'stable',
    securityDefiner: true,
    searchPath: '""',
    config: ['search_path=""'],
    bodyHash: '0'.repeat(32),
    executableBy: ['authenticated', 'service_role'],
    ...extra,
  }
}

/**
 * The catalog of a two-table schema that matches `models()` + `contract()` exactly:
 * `projects` (id, name, status enum, org_id -> orgs) and `orgs` (id, slug unique).
 */
export function snapshot(): CatalogSnapshot {
  const table = (t: Partial<CatalogTable>): CatalogTable => ({
    kind: 'table',
    rls: true,
    forceRls: false,
    viewDefinition: null,
    columns: {},
    constraints: {},
    indexes: {},
    triggers: {},
    policies: {},
    grants: { anon: ALL, authenticated: ALL, service_role: ALL },
    columnGrants: {},
    ...t,
  })
  return {
    formatVersion: 1,
    schemas: ['public'],
    tables: {
      'public.orgs': table({
        columns: {
          id: column(1, 'uuid', { default: 'gen_random_uuid()' }),
          slug: column(2, 'text'),
        },
        constraints: { orgs_pkey: constraint('primary key', ['id']), orgs_slug_key: constraint('unique', ['slug']) },
      }),
      'public.projects': table({
        columns: {
          id: column(1, 'uuid', { default: 'gen_random_uuid()' }),
          name: column(2, 'text'),
          status: column(3, 'public.project_status', { default: "'active'::public.project_status" }),
          org_id: column(4, 'uuid'),
          created_at: column(5, 'timestamp with time zone', { nullable: true, default: 'now()' }),
          fts: column(6, 'tsvector', { nullable: true, generated: "to_tsvector('english'::regconfig, name)" }),
        },
        constraints: {
          projects_pkey: constraint('primary key', ['id']),
          projects_org_id_fkey: constraint('foreign key', ['org_id'], {
            references: { table: 'public.orgs', columns: ['id'] },
            onDelete: 'cascade',
            onUpdate: 'no action',
          }),
          projects_name_length: constraint('check', ['name']),
        },
        indexes: {
          projects_org_id_idx: { method: 'btree', unique: false, primary: false, columns: ['org_id'], predicate: null, constraint: null },
        },
      }),
    },
    enums: { 'public.project_status': ['active', 'archived'] },
    sequences: {},
    functions: { 'public.is_member(uuid)': fn() },
  }
}

/** The models `snapshot()` matches. */
export function models(): ModelSchema {
  return {
    tables: [
      {
        name: 'orgs',
        primaryKey: 'id',
        columns: [
          { name: 'id', pgType: 'uuid', nullable: false, hasDefault: true, generated: false },
          { name: 'slug', pgType: 'text', nullable: false, hasDefault: false, generated: false },
        ],
        foreignKeys: [],
        unique: { orgs_slug_key: ['slug'] },
        checks: [],
      },
      {
        name: 'projects',
        primaryKey: 'id',
        columns: [
          { name: 'id', pgType: 'uuid', nullable: false, hasDefault: true, generated: false },
          { name: 'name', pgType: 'text', nullable: false, hasDefault: false, generated: false },
          { name: 'status', pgType: 'project_status', nullable: false, hasDefault: true, generated: false },
          { name: 'org_id', pgType: 'uuid', nullable: false, hasDefault: false, generated: false },
          { name: 'created_at', pgType: 'timestamptz', nullable: true, hasDefault: true, generated: false },
          { name: 'fts', pgType: 'tsvector', nullable: true, hasDefault: true, generated: true },
        ],
        foreignKeys: [{ name: 'projects_org_id_fkey', columns: ['org_id'], references: { table: 'orgs', columns: ['id'] }, onDelete: 'cascade' }],
        unique: {},
        checks: ['projects_name_length'],
      },
    ],
    enums: { project_status: ['active', 'archived'] },
    functions: { is_member: { args: ['uuid'], returns: 'boolean', securityDefiner: true, trigger: false } },
  }
}

/** The contract `snapshot()` matches. */
export function contract(): SchemaContract {
  return {
    indexes: { projects: { projects_org_id_idx: { columns: ['org_id'] } } },
    rls: true,
    defaultGrants: { anon: ALL, authenticated: ALL, service_role: ALL },
    functionSearchPath: '',
    functionExecute: { trigger: ['service_role'], default: ['authenticated', 'service_role'] },
  }
}
