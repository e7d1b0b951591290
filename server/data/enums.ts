/**
 * The Postgres enum values the tools validate against (spec §1.16, migration `_enums.sql`).
 * A test compares them with the database so the two cannot drift apart.
 */
export const ENUMS = {
  organization_type: ['personal', 'team', 'enterprise', 'business'],
  billing_plan: ['free', 'pro', 'enterprise'],
  pricing_plan_interval: ['none', 'month', 'year'],
  user_status: ['active', 'inactive'],
  user_role_type: ['member', 'admin', 'owner', 'super_admin'],
  invitation_status: ['pending', 'accepted', 'rejected', 'revoked'],
  project_role: ['owner', 'admin', 'maintainer', 'editor', 'viewer'],
  visibility: ['private', 'team', 'organization', 'public'],
  project_status: ['active', 'archived', 'draft', 'deleted'],
  requirement_status: ['active', 'archived', 'draft', 'deleted', 'in_review', 'in_progress', 'approved', 'rejected'],
  requirement_priority: ['low', 'medium', 'high', 'critical'],
  requirement_level: ['component', 'system', 'subsystem'],
  requirement_format: ['incose', 'ears', 'other'],
  test_type: ['unit', 'integration', 'system', 'acceptance', 'performance', 'security', 'usability', 'other'],
  test_priority: ['critical', 'high', 'medium', 'low'],
  test_status: ['draft', 'ready', 'in_progress', 'blocked', 'completed', 'obsolete'],
  test_method: ['manual', 'automated', 'hybrid'],
  execution_status: ['not_executed', 'in_progress', 'passed', 'failed', 'blocked', 'skipped'],
  trace_link_type: ['derives_from', 'implements', 'relates_to', 'conflicts_with', 'is_related_to', 'parent_of', 'child_of'],
  entity_type: ['document', 'requirement'],
  assignment_role: ['assignee', 'reviewer', 'approver'],
  property_type: ['text', 'number', 'boolean', 'date', 'url', 'array', 'enum', 'entity_reference', 'select', 'multi_select', 'file'],
  workflow_run_status: ['pending', 'running', 'succeeded', 'failed', 'cancelled'],
} as const satisfies Record<string, readonly [string, ...string[]]>

/** Name of one enum of {@link ENUMS}. */
export type EnumName = keyof typeof ENUMS
