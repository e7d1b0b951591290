/**
 * The expected schema: built from the zod models' table metadata (columns, keys, constraints,
 * enums: the source of truth shared with the server) plus a contract for what the models do
 * not describe (indexes the server relies on, RLS, grants, views, functions' security).
 */
import type { ApiRole, TablePrivilege } from './types.ts'
import { ContractError } from './errors.ts'
import { canonicalType } from './normalize.ts'

/** A column as the models' metadata declares it (structurally `supabase/models` `ColumnInfo`). */
export interface ModelColumn {
  name: string
  pgType: string
  nullable: boolean
  hasDefault: boolean
  generated: boolean
}

/** A foreign key as the models declare it; `references.table` is unqualified for `public`. */
export interface ModelForeignKey {
  name: string
  columns: readonly string[]
  references: { table: string; columns: readonly string[] }
  onDelete: string
}

/** A table's metadata as the models declare it (structurally `supabase/models` `Table`). */
export interface ModelTable {
  name: string
  primaryKey: string | readonly string[]
  columns: readonly ModelColumn[]
  foreignKeys: readonly ModelForeignKey[]
  unique: Readonly<Record<string, readonly string[]>>
  checks: readonly string[]
}

/** An index the server relies on. */
export interface ExpectedIndex {
  columns: string[]
  /** Access method (`btree`, `gin`…); default `btree`. */
  method?: string
  unique?: boolean
}

/** A function as the models declare it (structurally `supabase/models` `FunctionInfo`). */
export interface ModelFunction {
  /** Argument types in order, short names (`uuid`, `entity_type`, `text[]`). */
  args: readonly string[]
  returns: string
  securityDefiner: boolean
  /** Runs as a trigger (nobody on the API calls it). */
  trigger: boolean
}

/** Who may execute the functions: triggers, one default for the rest, and exceptions by name. */
export interface FunctionExecuteRule {
  trigger: ApiRole[]
  default: ApiRole[]
  byName?: Record<string, ApiRole[]>
}

/** A function's expected signature and security. */
export interface ExpectedFunction {
  name: string
  args: string[]
  returns: string
  securityDefiner: boolean
  /** The pinned search_path (`''` for the empty one), or null when it is not pinned. */
  searchPath: string | null
  /** API roles that may execute it, sorted. */
  executableBy: ApiRole[]
}

/** What the models do not say, stated once for the suite. */
export interface SchemaContract {
  /** Indexes the server relies on, per table (extra indexes are not drift). */
  indexes?: Record<string, Record<string, ExpectedIndex>>
  /** RLS enabled on every table (default true); false turns the check off. */
  rls?: boolean
  /** Privileges every table grants each API role, unless `tableGrants` overrides a table. */
  defaultGrants?: Partial<Record<ApiRole, TablePrivilege[]>>
  tableGrants?: Record<string, Partial<Record<ApiRole, TablePrivilege[]>>>
  /** Explicit column grants per table (default: none anywhere). */
  columnGrants?: Record<string, Partial<Record<ApiRole, Record<string, string[]>>>>
  /** Views of the schema with their columns (default: none; any other view is drift). */
  views?: Record<string, { columns: string[] }>
  /** The search_path every function pins (`''`: the empty one); omitted: not checked. */
  functionSearchPath?: string
  /** Who may execute which function; omitted: not checked. */
  functionExecute?: FunctionExecuteRule
  /** Functions the models do not list yet (e.g. installed for the suite itself), by name. */
  extraFunctions?: Record<string, ModelFunction>
}

/** One expected column, in comparable form. */
export interface ExpectedColumn {
  type: string
  nullable: boolean
  hasDefault: boolean
  generated: boolean
}

/** One expected table. */
export interface ExpectedTable {
  columns: Record<string, ExpectedColumn>
  primaryKey: string[]
  foreignKeys: Record<string, { columns: string[]; references: { table: string; columns: string[] }; onDelete: string }>
  unique: Record<string, string[]>
  checks: string[]
  indexes: Record<string, ExpectedIndex>
  /** Undefined: not checked. */
  rls: boolean | undefined
  grants: Partial<Record<ApiRole, TablePrivilege[]>> | undefined
  columnGrants: Partial<Record<ApiRole, Record<string, string[]>>>
}

/** The whole expectation the differ compares a snapshot with. */
export interface ExpectedSchema {
  /** The schema the tables live in (`public`). */
  schema: string
  tables: Record<string, ExpectedTable>
  views: Record<string, { columns: string[] }>
  enums: Record<string, readonly string[]>
  /**
   * By canonical signature `name(type, type)`. Undefined: the models list no functions, and
   * only the rule "a security definer function pins its search_path" applies.
   */
  functions: Record<string, ExpectedFunction> | undefined
  /** Whether `searchPath` / `executableBy` of `functions` are checked. */
  checkSearchPath: boolean
  checkExecute: boolean
}

/** What the models export, structurally: tables, enum values and (optionally) functions. */
export interface ModelSchema {
  tables: readonly ModelTable[]
  enums: Readonly<Record<string, readonly string[]>>
  functions?: Readonly<Record<string, ModelFunction>>
}

/** `name(type, type)` with canonical type names: how functions are matched. */
export function functionSignature(name: string, args: readonly string[], schema = 'public'): string {
  return `${name}(${args.map((a) => canonicalType(a, schema)).join(', ')})`
}

/**
 * Builds the expectation from the models and the contract.
 * @throws AggregateError of ContractError when the contract names tables or columns the models lack.
 */
export function expectedSchema(models: ModelSchema, contract: SchemaContract = {}, schema = 'public'): ExpectedSchema {
  const tables: Record<string, ExpectedTable> = {}
  for (const model of models.tables) {
    tables[model.name] = {
      columns: Object.fromEntries(
        model.columns.map((c) => [c.name, { type: c.pgType, nullable: c.nullable, hasDefault: c.hasDefault, generated: c.generated }]),
      ),
      primaryKey: typeof model.primaryKey === 'string' ? [model.primaryKey] : [...model.primaryKey],
      foreignKeys: Object.fromEntries(
        model.foreignKeys.map((fk) => [
          fk.name,
          { columns: [...fk.columns], references: { table: fk.references.table, columns: [...fk.references.columns] }, onDelete: fk.onDelete },
        ]),
      ),
      unique: Object.fromEntries(Object.entries(model.unique).map(([name, columns]) => [name, [...columns]])),
      checks: [...model.checks],
      indexes: contract.indexes?.[model.name] ?? {},
      rls: contract.rls === false ? undefined : true,
      grants: contract.tableGrants?.[model.name] ?? contract.defaultGrants,
      columnGrants: contract.columnGrants?.[model.name] ?? {},
    }
  }
  const problems: ContractError[] = []
  const known = (table: string, where: string) => {
    if (!tables[table]) problems.push(new ContractError(`${where} names table "${table}", which no model declares`))
  }
  for (const [table, indexes] of Object.entries(contract.indexes ?? {})) {
    known(table, 'contract.indexes')
    for (const [name, index] of Object.entries(indexes)) {
      for (const column of index.columns) {
        if (tables[table] && !tables[table].columns[column]) {
          problems.push(new ContractError(`index "${name}" of "${table}" names column "${column}", which the model lacks`))
        }
      }
    }
  }
  for (const table of Object.keys(contract.tableGrants ?? {})) known(table, 'contract.tableGrants')
  for (const table of Object.keys(contract.columnGrants ?? {})) known(table, 'contract.columnGrants')
  const declared = models.functions || contract.extraFunctions ? { ...models.functions, ...contract.extraFunctions } : undefined
  let functions: Record<string, ExpectedFunction> | undefined
  if (declared) {
    functions = {}
    for (const [name, fn] of Object.entries(declared)) {
      const rule = contract.functionExecute
      const roles = rule ? (rule.byName?.[name] ?? (fn.trigger ? rule.trigger : rule.default)) : []
      functions[functionSignature(name, fn.args, schema)] = {
        name,
        args: fn.args.map((a) => canonicalType(a, schema)),
        returns: canonicalType(fn.returns, schema),
        securityDefiner: fn.securityDefiner,
        searchPath: contract.functionSearchPath ?? null,
        executableBy: [...roles].sort(),
      }
    }
  }
  for (const name of Object.keys(contract.functionExecute?.byName ?? {})) {
    if (declared && !declared[name]) problems.push(new ContractError(`contract.functionExecute names function "${name}", which no model declares`))
  }
  if (problems.length > 0) throw new AggregateError(problems, `The schema contract has ${problems.length} problem(s); fix it to match the models.`)
  return {
    schema,
    tables,
    views: contract.views ?? {},
    enums: { ...models.enums },
    functions,
    checkSearchPath: contract.functionSearchPath !== undefined,
    checkExecute: contract.functionExecute !== undefined,
  }
}
