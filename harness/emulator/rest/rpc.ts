/**
 * `rpc/<fn>`: finds the function by name and argument names in the catalog (PostgREST's
 * `findProc`) and calls it with named arguments expanded from the JSON body by
 * `json_to_record`, typed from the catalog, so Postgres converts every value.
 * @see https://docs.postgrest.org/en/v12/references/api/functions.html
 */
import type { Catalog, FunctionInfo, TableInfo } from './catalog.ts'
import type { SqlParams } from './internal/sql.ts'
import { PostgrestError, unsupported } from './errors.ts'
import { ident, qualified } from './internal/sql.ts'
import { EXPOSED_SCHEMA } from './parseHeaders.ts'

/** The function chosen for a call, and how its arguments are passed. */
export interface ResolvedCall {
  fn: FunctionInfo
  /** The function takes the whole body as its one unnamed json/jsonb parameter. */
  singleJson: boolean
  /** The input parameters the call names (those present in the arguments). */
  named: FunctionInfo['inputs']
}

function isSingleUnnamedJson(fn: FunctionInfo): boolean {
  const [only, ...rest] = fn.inputs
  return rest.length === 0 && only !== undefined && only.name === '' && (only.type === 'json' || only.type === 'jsonb')
}

function matchesKeys(fn: FunctionInfo, keys: Set<string>): boolean {
  if (fn.inputs.some((p) => p.name === '')) return false
  if (fn.inputs.length === 0) return keys.size === 0
  const names = new Set(fn.inputs.map((p) => p.name))
  return [...keys].every((k) => names.has(k)) && fn.inputs.every((p) => p.hasDefault || keys.has(p.name))
}

/** Picks the overload of `name` that `argNames` can call: PGRST202 (404) when none, PGRST203 (300) when several. */
export function resolveFunction(catalog: Catalog, name: string, argNames: string[], isPost: boolean): ResolvedCall {
  const keys = new Set(argNames)
  const overloads = catalog.functions.get(name) ?? []
  const matching = overloads.filter((fn) => matchesKeys(fn, keys))
  if (matching.length > 1) {
    throw new PostgrestError(300, {
      code: 'PGRST203',
      message: `Could not choose the best candidate function between: ${matching
        .map((fn) => `${EXPOSED_SCHEMA}.${fn.name}(${fn.inputs.map((p) => `${p.name} => ${p.type}`).join(', ')})`)
        .join(', ')}`,
      hint: 'Try renaming the parameters or the function itself in the database so function overloading can be resolved',
    })
  }
  const [match] = matching
  if (match) return { fn: match, singleJson: false, named: match.inputs.filter((p) => keys.has(p.name)) }
  const single = isPost ? overloads.find(isSingleUnnamedJson) : undefined
  if (single) return { fn: single, singleJson: true, named: [] }
  const sorted = [...keys].sort()
  const listed = sorted.length === 0 ? ' without parameters' : `(${sorted.join(', ')})`
  const searched = sorted.length === 0 ? ' without parameters' : ` with parameter${sorted.length > 1 ? 's' : ''} ${sorted.join(', ')}`
  throw new PostgrestError(
    404,
    {
      code: 'PGRST202',
      message: `Could not find the function ${EXPOSED_SCHEMA}.${name}${listed} in the schema cache`,
      details: `Searched for the function ${EXPOSED_SCHEMA}.${name}${searched}${isPost ? ' or with a single unnamed json/jsonb parameter' : ''}, but no matches were found in the schema cache.`,
    },
    { catalogMiss: true },
  )
}

/** True when the function yields plain values rather than rows. */
export function returnsScalar(fn: FunctionInfo): boolean {
  return fn.returnKind === 'scalar' || fn.returnKind === 'void'
}

/**
 * The CTE body of a call: the function's rows (`pgrst_call.*`) or its values as `pgrst_scalar`.
 * `argsJson` is the JSON object of named arguments (or the whole body for a single json parameter).
 */
export function callSql(call: ResolvedCall, argsJson: string, params: SqlParams): string {
  if (call.fn.returnKind === 'record') {
    throw unsupported(`Calling "${call.fn.name}", which returns an undescribed record (declare OUT parameters or RETURNS TABLE)`)
  }
  const fnName = qualified(EXPOSED_SCHEMA, call.fn.name)
  let from = ''
  let args = ''
  if (call.singleJson) {
    args = `${params.add(argsJson)}::${call.fn.inputs[0]?.type ?? 'json'}`
  } else if (call.named.length > 0) {
    const typed = call.named.map((p) => `${ident(p.name)} ${p.type}`).join(', ')
    from = `FROM json_to_record(${params.add(argsJson)}::json) AS pgrst_body(${typed}), `
    args = call.named.map((p) => `${p.mode === 'v' ? 'VARIADIC ' : ''}${ident(p.name)} := pgrst_body.${ident(p.name)}`).join(', ')
  }
  const invoke = `${fnName}(${args})`
  if (returnsScalar(call.fn)) {
    const lateral = `(SELECT ${invoke} pgrst_scalar) pgrst_call`
    return `SELECT pgrst_call.pgrst_scalar ${from ? `${from}LATERAL ${lateral}` : `FROM ${lateral}`}`
  }
  return `SELECT pgrst_call.* ${from ? `${from}LATERAL ${invoke} pgrst_call` : `FROM ${invoke} pgrst_call`}`
}

/** A composite result described as a table, so select/filters/order plan against its columns. */
export function resultTable(fn: FunctionInfo): TableInfo {
  return {
    name: fn.name,
    isView: true,
    columns: new Map(fn.outputs.map((c) => [c.name, c])),
    columnList: fn.outputs,
    primaryKey: [],
    uniqueKeys: [],
  }
}
