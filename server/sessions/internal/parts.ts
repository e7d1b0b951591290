/** What every piece of the session manager works with; each piece's deps add their own. */
import type { AuditLog } from '../AuditLog.ts'
import type { Clock } from '../clock.ts'
import type { SessionConfig } from '../config.ts'
import type { SessionStore } from '../storage/types.ts'
import type { TokenManager } from '../TokenManager.ts'
import type { Sealer } from './sealer.ts'

export interface SessionParts {
  store: SessionStore
  config: SessionConfig
  clock: Clock
  audit: AuditLog
  sealer: Sealer
  tokens: TokenManager
}
