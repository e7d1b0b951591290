/**
 * The catalog snapshot: what `CATALOG_SQL` (or `atoms_introspect()`) returns, as plain JSON.
 * Relations, enums, sequences and functions are keyed by their schema-qualified name
 * (`public.projects`, `public.is_project_member(uuid, uuid)`).
 */

/** The API roles whose privileges a snapshot records. */
export type ApiRole = 'anon' | 'authenticated' | 'service_role'

/** Table privileges as `has_table_privilege` names them. */
export type TablePrivilege = 'SELECT' | 'INSERT' | 'UPDATE' | 'DELETE' | 'TRUNCATE' | 'REFERENCES' | 'TRIGGER'

/** One column. */
export interface CatalogColumn {
  /** 1-based position in the table. */
  position: number
  /** `format_type()` with an empty search_path: `timestamp with time zone`, `public.visibility`, `text[]`. */
  type: string
  nullable: boolean
  /** The DEFAULT expression, or null (also null for generated columns). */
  default: string | null
  /** The expression of a `generated always as (…) stored` column, or null. */
  generated: string | null
  identity: 'always' | 'by default' | null
}

/** One constraint (NOT NULL lives on the column). */
export interface CatalogConstraint {
  type: 'primary key' | 'foreign key' | 'unique' | 'check' | 'exclusion' | 'trigger'
  columns: string[]
  /** `pg_get_constraintdef()`. */
  definition: string
  /** Foreign keys only: the referenced table (schema-qualified) and columns. */
  references: { table: string; columns: string[] } | null
  onDelete: string | null
  onUpdate: string | null
}

/** One index. */
export interface CatalogIndex {
  method: string
  unique: boolean
  primary: boolean
  /** Key columns (or expressions) in order. */
  columns: string[]
  /** The WHERE clause of a partial index. */
  predicate: string | null
  /** The constraint the index backs (primary key, unique), or null. */
  constraint: string | null
}

/** One row-level security policy. */
export interface CatalogPolicy {
  command: 'select' | 'insert' | 'update' | 'delete' | 'all'
  permissive: boolean
  roles: string[]
  using: string | null
  check: string | null
}

/** A table, view, materialized view or foreign table. */
export interface CatalogTable {
  kind: 'table' | 'partitioned table' | 'view' | 'materialized view' | 'foreign table'
  rls: boolean
  forceRls: boolean
  viewDefinition: string | null
  columns: Record<string, CatalogColumn>
  constraints: Record<string, CatalogConstraint>
  indexes: Record<string, CatalogIndex>
  /** Trigger name -> `pg_get_triggerdef()`. */
  triggers: Record<string, string>
  policies: Record<string, CatalogPolicy>
  /** Effective table privileges of each API role, sorted. */
  grants: Partial<Record<ApiRole, TablePrivilege[]>>
  /** Explicit column-level grants: role -> column -> privileges. */
  columnGrants: Partial<Record<ApiRole, Record<string, string[]>>>
}

/**
 * One function, procedure or aggregate, keyed by `schema.name(argument types)` (the identity
 * Postgres uses, so overloads stay apart).
 */
export interface CatalogFunction {
  /** Identity arguments with their names (`project_id uuid, user_id uuid`): PostgREST calls by name. */
  arguments: string
  kind: 'function' | 'procedure' | 'aggregate' | 'window'
  returns: string | null
  language: string
  volatility: 'immutable' | 'stable' | 'volatile'
  securityDefiner: boolean
  /** The pinned `search_path` as stored (`""` for an empty one), or null when not pinned. */
  searchPath: string | null
  config: string[]
  /** md5 of the body, so a changed body shows without printing it. */
  bodyHash: string
  /** API roles that may EXECUTE it (directly, via PUBLIC or via membership). */
  executableBy: ApiRole[]
}

/** One sequence. */
export interface CatalogSequence {
  type: string
  /** `table.column` of an owning serial/identity column, or null. */
  ownedBy: string | null
}

/** The whole snapshot. */
export interface CatalogSnapshot {
  formatVersion: 1
  /** The schemas read (those that exist). */
  schemas: string[]
  tables: Record<string, CatalogTable>
  /** Enum type -> values in declared order. */
  enums: Record<string, string[]>
  sequences: Record<string, CatalogSequence>
  functions: Record<string, CatalogFunction>
}
