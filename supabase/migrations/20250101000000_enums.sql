-- Enum types of the Atoms schema (spec §1.16), plus `workflow_run_status` for workflow runs (§0).
-- `property_type` exists as a type although `properties.property_type` is text (as in the
-- reference database); a check constraint on that column keeps the values in step.

create type public.organization_type as enum ('personal', 'team', 'enterprise', 'business');
create type public.billing_plan as enum ('free', 'pro', 'enterprise');
create type public.pricing_plan_interval as enum ('none', 'month', 'year');
create type public.user_status as enum ('active', 'inactive');
create type public.user_role_type as enum ('member', 'admin', 'owner', 'super_admin');
create type public.invitation_status as enum ('pending', 'accepted', 'rejected', 'revoked');
create type public.project_role as enum ('owner', 'admin', 'maintainer', 'editor', 'viewer');
create type public.visibility as enum ('private', 'team', 'organization', 'public');
create type public.project_status as enum ('active', 'archived', 'draft', 'deleted');
create type public.requirement_status as enum (
  'active', 'archived', 'draft', 'deleted', 'in_review', 'in_progress', 'approved', 'rejected'
);
create type public.requirement_priority as enum ('low', 'medium', 'high', 'critical');
create type public.requirement_level as enum ('component', 'system', 'subsystem');
create type public.requirement_format as enum ('incose', 'ears', 'other');
create type public.test_type as enum (
  'unit', 'integration', 'system', 'acceptance', 'performance', 'security', 'usability', 'other'
);
create type public.test_priority as enum ('critical', 'high', 'medium', 'low');
create type public.test_status as enum ('draft', 'ready', 'in_progress', 'blocked', 'completed', 'obsolete');
create type public.test_method as enum ('manual', 'automated', 'hybrid');
create type public.execution_status as enum (
  'not_executed', 'in_progress', 'passed', 'failed', 'blocked', 'skipped'
);
create type public.trace_link_type as enum (
  'derives_from', 'implements', 'relates_to', 'conflicts_with', 'is_related_to', 'parent_of', 'child_of'
);
create type public.entity_type as enum ('document', 'requirement');
create type public.assignment_role as enum ('assignee', 'reviewer', 'approver');
create type public.property_type as enum (
  'text', 'number', 'boolean', 'date', 'url', 'array', 'enum', 'entity_reference', 'select',
  'multi_select', 'file'
);
create type public.workflow_run_status as enum ('pending', 'running', 'succeeded', 'failed', 'cancelled');
