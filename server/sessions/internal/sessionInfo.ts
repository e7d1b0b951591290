/** A session as its owner or an operator may see it. */
import type { SessionInfo, SessionRecord } from '../types.ts'

/** The session without its upstream tokens. */
export function sessionInfo(s: SessionRecord): SessionInfo {
  const { accessToken: _a, refreshToken: _r, ...rest } = s
  return rest
}
