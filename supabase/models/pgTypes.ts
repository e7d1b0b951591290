/**
 * Maps the type names Postgres prints (`format_type()`, `pg_typeof()`) onto the short names the
 * models use, so a drift check can compare the live catalog with `tables[…].columns`.
 */

const LONG_TO_SHORT: Record<string, string> = {
  'timestamp with time zone': 'timestamptz',
  'timestamp without time zone': 'timestamp',
  'time with time zone': 'timetz',
  'time without time zone': 'time',
  'character varying': 'varchar',
  character: 'char',
  int4: 'integer',
  int8: 'bigint',
  int2: 'smallint',
  float8: 'double precision',
  float4: 'real',
  bool: 'boolean',
  timestamptz: 'timestamptz',
}

/**
 * The model's name for a Postgres type as `format_type(atttypid, atttypmod)` prints it:
 * `timestamp with time zone` → `timestamptz`, `public.visibility` → `visibility`,
 * `timestamp with time zone[]` → `timestamptz[]`; other names pass through.
 */
export function normalizePgType(printed: string): string {
  const isArray = printed.endsWith('[]')
  const base = (isArray ? printed.slice(0, -2) : printed).replace(/^public\./, '').replace(/^"(.*)"$/, '$1')
  const short = LONG_TO_SHORT[base] ?? base
  return isArray ? `${short}[]` : short
}
