/**
 * The Postgres enum types of the Atoms schema (spec §1.16, plus `workflow_run_status`), with
 * their values in declared order, as zod enums. Kept equal to
 * `supabase/migrations/20250101000000_enums.sql`; the db tests compare both.
 */
import { z } from 'zod'

/** Every enum type's values, in the order `create type … as enum` declares them. */
export const enumValues = {
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
  property_type: [
    'text', 'number', 'boolean', 'date', 'url', 'array', 'enum', 'entity_reference', 'select', 'multi_select', 'file',
  ],
  workflow_run_status: ['pending', 'running', 'succeeded', 'failed', 'cancelled'],
} as const

/** The name of a Postgres enum type of the schema. */
export type EnumName = keyof typeof enumValues

/** The zod enum of every Postgres enum type, keyed by the type's name. */
export const enums = {
  organization_type: z.enum(enumValues.organization_type),
  billing_plan: z.enum(enumValues.billing_plan),
  pricing_plan_interval: z.enum(enumValues.pricing_plan_interval),
  user_status: z.enum(enumValues.user_status),
  user_role_type: z.enum(enumValues.user_role_type),
  invitation_status: z.enum(enumValues.invitation_status),
  project_role: z.enum(enumValues.project_role),
  visibility: z.enum(enumValues.visibility),
  project_status: z.enum(enumValues.project_status),
  requirement_status: z.enum(enumValues.requirement_status),
  requirement_priority: z.enum(enumValues.requirement_priority),
  requirement_level: z.enum(enumValues.requirement_level),
  requirement_format: z.enum(enumValues.requirement_format),
  test_type: z.enum(enumValues.test_type),
  test_priority: z.enum(enumValues.test_priority),
  test_status: z.enum(enumValues.test_status),
  test_method: z.enum(enumValues.test_method),
  execution_status: z.enum(enumValues.execution_status),
  trace_link_type: z.enum(enumValues.trace_link_type),
  entity_type: z.enum(enumValues.entity_type),
  assignment_role: z.enum(enumValues.assignment_role),
  property_type: z.enum(enumValues.property_type),
  workflow_run_status: z.enum(enumValues.workflow_run_status),
} as const satisfies { [K in EnumName]: z.ZodEnum }
