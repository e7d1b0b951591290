-- Stored workflows (ordered steps, each a call of another tool operation) and their runs (spec §0).

create table public.workflows (
  id uuid not null default gen_random_uuid(),
  organization_id uuid not null,
  name text not null,
  description text,
  steps jsonb not null default '[]'::jsonb,
  version integer not null default 1,
  is_deleted boolean default false,
  deleted_at timestamptz,
  deleted_by uuid,
  created_at timestamptz default now(),
  updated_at timestamptz default now(),
  created_by uuid not null,
  updated_by uuid,
  constraint workflows_pkey primary key (id),
  constraint workflows_organization_id_fkey foreign key (organization_id)
    references public.organizations (id),
  constraint workflows_name_length check (char_length(name) between 1 and 255),
  constraint workflows_steps_is_array check (jsonb_typeof(steps) = 'array'),
  constraint workflows_version_check check (version >= 1)
);

create table public.workflow_runs (
  id uuid not null default gen_random_uuid(),
  workflow_id uuid not null,
  status public.workflow_run_status not null default 'pending',
  inputs jsonb not null default '{}'::jsonb,
  step_results jsonb not null default '[]'::jsonb,
  error jsonb,
  started_at timestamptz,
  finished_at timestamptz,
  created_by uuid not null,
  created_at timestamptz default now(),
  updated_at timestamptz default now(),
  constraint workflow_runs_pkey primary key (id),
  -- runs are history of their workflow: hard-deleting the workflow removes them
  constraint workflow_runs_workflow_id_fkey foreign key (workflow_id)
    references public.workflows (id) on delete cascade,
  constraint workflow_runs_step_results_is_array check (jsonb_typeof(step_results) = 'array'),
  constraint workflow_runs_finished_after_start check (finished_at is null or started_at is null or finished_at >= started_at)
);

create index workflows_organization_id_idx on public.workflows (organization_id);
create index workflow_runs_workflow_id_idx on public.workflow_runs (workflow_id);
