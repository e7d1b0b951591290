/**
 * Start-up configuration from the environment, validated with zod. A missing or malformed
 * variable stops the server with a message naming it (never its value: several are secrets).
 */
import { z } from 'zod'
import { ConfigError } from './errors.ts'

/** Which transport the process serves; stdio needs the caller's token, HTTP takes it per request. */
export type TransportKind = 'stdio' | 'http'

const csv = z.string().transform((s) => s.split(',').map((p) => p.trim()).filter(Boolean))
const flag = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1')

const ENV = z.object({
  SUPABASE_URL: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL such as https://<ref>.supabase.co' }),
  SUPABASE_ANON_KEY: z.string({ error: 'is required (the project\'s anon key)' }).min(20, 'looks too short for an API key'),
  SUPABASE_JWT_SECRET: z.string().min(32, 'must be at least 32 characters (the project\'s JWT secret)').optional(),
  SUPABASE_SERVICE_ROLE_KEY: z.string().min(20, 'looks too short for an API key').optional(),
  SUPABASE_JWT_AUDIENCE: z.string().min(1).default('authenticated'),
  SUPABASE_JWT_ISSUER: z.string().min(1).optional(),
  ATOMS_ACCESS_TOKEN: z.string().min(20, 'looks too short for an access token').optional(),
  ATOMS_MCP_HOST: z.string().min(1).default('127.0.0.1'),
  ATOMS_MCP_PORT: z.coerce.number({ error: 'must be a port number' }).int().min(0).max(65_535).default(8787),
  ATOMS_MCP_ALLOWED_HOSTS: csv.optional(),
  ATOMS_MCP_ALLOWED_ORIGINS: csv.optional(),
  ATOMS_MCP_DNS_REBINDING_PROTECTION: flag.default(true),
  ATOMS_MCP_SESSIONS: flag.default(true),
  ATOMS_LOG_LEVEL: z.enum(['error', 'warn', 'info']).default('info'),
})

/** The validated configuration. */
export interface ServerConfig {
  supabaseUrl: string
  anonKey: string
  /** HS256 secret for verifying access tokens; without it tokens are checked against the project's JWKS. */
  jwtSecret?: string
  /** Present only when configured; no operation needs it today (see README). */
  serviceRoleKey?: string
  jwtAudience: string
  jwtIssuer?: string
  /** The stdio caller's token. */
  accessToken?: string
  host: string
  port: number
  /** Host header values accepted over HTTP; derived from host and port when not configured. */
  allowedHosts?: string[]
  /** Origin header values accepted over HTTP (requests without Origin are accepted). */
  allowedOrigins?: string[]
  dnsRebindingProtection: boolean
  /** HTTP: the session layer in front of `/mcp` (`ATOMS_MCP_SESSIONS`, default on; `--no-sessions` turns it off). */
  sessions: boolean
  logLevel: 'error' | 'warn' | 'info'
}

/** Names of the variables `loadConfig` reads. */
export const CONFIG_VARIABLES = Object.keys(ENV.shape)

/**
 * Reads and validates the configuration. Empty values count as unset. `ATOMS_ACCESS_TOKEN` is
 * required for stdio. Throws one `ConfigError` naming every bad variable.
 */
export function loadConfig(env: NodeJS.ProcessEnv, transport: TransportKind): ServerConfig {
  const present = Object.fromEntries(CONFIG_VARIABLES.map((name) => [name, env[name]]).filter(([, v]) => v !== undefined && v !== ''))
  const parsed = ENV.safeParse(present)
  const problems: Array<[string, string]> = parsed.success
    ? []
    : parsed.error.issues.map((i) => [String(i.path[0]), present[String(i.path[0])] === undefined ? 'is missing' : i.message])
  if (parsed.success && transport === 'stdio' && !parsed.data.ATOMS_ACCESS_TOKEN) {
    problems.push(['ATOMS_ACCESS_TOKEN', 'is missing (the stdio transport acts as the user whose Supabase access token this is)'])
  }
  if (problems.length > 0 || !parsed.success) {
    const lines = problems.map(([name, message]) => `  ${name} ${message}`)
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}\nSet these environment variables and start again.`, problems.map(([n]) => n))
  }
  const e = parsed.data
  return {
    supabaseUrl: e.SUPABASE_URL.replace(/\/+$/, ''),
    anonKey: e.SUPABASE_ANON_KEY,
    ...(e.SUPABASE_JWT_SECRET ? { jwtSecret: e.SUPABASE_JWT_SECRET } : {}),
    ...(e.SUPABASE_SERVICE_ROLE_KEY ? { serviceRoleKey: e.SUPABASE_SERVICE_ROLE_KEY } : {}),
    jwtAudience: e.SUPABASE_JWT_AUDIENCE,
    ...(e.SUPABASE_JWT_ISSUER ? { jwtIssuer: e.SUPABASE_JWT_ISSUER } : {}),
    ...(e.ATOMS_ACCESS_TOKEN ? { accessToken: e.ATOMS_ACCESS_TOKEN } : {}),
    host: e.ATOMS_MCP_HOST,
    port: e.ATOMS_MCP_PORT,
    ...(e.ATOMS_MCP_ALLOWED_HOSTS ? { allowedHosts: e.ATOMS_MCP_ALLOWED_HOSTS } : {}),
    ...(e.ATOMS_MCP_ALLOWED_ORIGINS ? { allowedOrigins: e.ATOMS_MCP_ALLOWED_ORIGINS } : {}),
    dnsRebindingProtection: e.ATOMS_MCP_DNS_REBINDING_PROTECTION,
    sessions: e.ATOMS_MCP_SESSIONS,
    logLevel: e.ATOMS_LOG_LEVEL,
  }
}
