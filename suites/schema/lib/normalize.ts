/**
 * Spellings the catalog and the models may disagree on without meaning different things:
 * `timestamptz` vs `timestamp with time zone`, `public.visibility` vs `visibility`,
 * a search_path stored as `""` vs written as `''`.
 */

// format_type() prints the SQL-standard long names; the models use the short ones.
const LONG_NAMES: ReadonlyArray<[RegExp, string]> = [
  [/^timestamp(\(\d+\))? with time zone/, 'timestamptz$1'],
  [/^timestamp(\(\d+\))? without time zone/, 'timestamp$1'],
  [/^time(\(\d+\))? with time zone/, 'timetz$1'],
  [/^time(\(\d+\))? without time zone/, 'time$1'],
  [/^character varying/, 'varchar'],
  [/^character(?!\s)/, 'char'],
  [/^bit varying/, 'varbit'],
  [/^int4(?=$|\[)/, 'integer'],
  [/^int8(?=$|\[)/, 'bigint'],
  [/^int2(?=$|\[)/, 'smallint'],
  [/^float8(?=$|\[)/, 'double precision'],
  [/^float4(?=$|\[)/, 'real'],
  [/^bool(?=$|\[)/, 'boolean'],
]

/**
 * One spelling per Postgres type: short names, lower case, no `public.` qualifier (other
 * schemas keep theirs), array brackets kept: `timestamp with time zone[]` -> `timestamptz[]`.
 */
export function canonicalType(type: string, defaultSchema = 'public'): string {
  let t = type.trim().toLowerCase().replace(/\s+/g, ' ')
  const prefix = `${defaultSchema}.`
  if (t.startsWith(prefix)) t = t.slice(prefix.length)
  // A quoted identifier (e.g. a mixed-case enum) loses its quotes; the name is what matters.
  t = t.replace(/^"([^"]+)"/, '$1')
  for (const [pattern, replacement] of LONG_NAMES) {
    if (pattern.test(t)) return t.replace(pattern, replacement)
  }
  return t
}

/**
 * A pinned search_path as one comparable string: `""` and `''` (the empty path) become the
 * empty string, list items are trimmed and joined with `, `; null stays null (not pinned).
 */
export function normalizeSearchPath(value: string | null | undefined): string | null {
  if (value === null || value === undefined) return null
  return value
    .split(',')
    .map((part) => part.trim().replace(/^"(.*)"$/, '$1').replace(/^'(.*)'$/, '$1'))
    .filter((part) => part !== '')
    .join(', ')
}

/** `public.projects` -> `projects`; names in other schemas keep their qualifier. */
export function shortName(qualified: string, defaultSchema = 'public'): string {
  const prefix = `${defaultSchema}.`
  return qualified.startsWith(prefix) ? qualified.slice(prefix.length) : qualified
}

/** `projects` -> `public.projects`; an already qualified name is returned as is. */
export function qualifiedName(name: string, defaultSchema = 'public'): string {
  return name.includes('.') ? name : `${defaultSchema}.${name}`
}

/** Equality of plain JSON values (objects compared by keys, arrays by order). */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false
  if (Array.isArray(a) !== Array.isArray(b)) return false
  if (Array.isArray(a)) {
    const other = b as unknown[]
    return a.length === other.length && a.every((item, i) => jsonEqual(item, other[i]))
  }
  const ak = Object.keys(a as object)
  const bk = Object.keys(b as object)
  if (ak.length !== bk.length) return false
  return ak.every((k) => Object.hasOwn(b as object, k) && jsonEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]))
}
