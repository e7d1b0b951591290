-- Project content: documents and their blocks, custom properties, requirements, tests
-- (`test_req`), requirement <-> test coverage, trace links and assignments (spec §1.7-§1.14).
-- Content rows never cascade on hard delete: children must go first. Pure link rows
-- (requirement_tests) go with either end.

create table public.documents (
  id uuid not null default gen_random_uuid(),
  project_id uuid not null,
  name text not null,
  slug text not null,
  description text,
  tags text[] default '{}'::text[],
  version integer not null default 1,
  fts_vector tsvector generated always as (
    setweight(to_tsvector('english'::regconfig, coalesce(name, '')), 'A')
    || setweight(to_tsvector('english'::regconfig, coalesce(description, '')), 'B')
    || setweight(to_tsvector('english'::regconfig, coalesce(slug, '')), 'C')
  ) stored,
  is_deleted boolean default false,
  deleted_at timestamptz,
  deleted_by uuid,
  created_at timestamptz default now(),
  updated_at timestamptz default now(),
  created_by uuid,
  updated_by uuid,
  constraint documents_pkey primary key (id),
  constraint documents_project_id_slug_key unique (project_id, slug),
  constraint documents_project_id_fkey foreign key (project_id) references public.projects (id),
  constraint documents_name_length check (char_length(name) between 1 and 255),
  constraint documents_slug_format check (slug ~ '^[a-z0-9][a-z0-9-]*$' and char_length(slug) <= 255),
  constraint documents_version_check check (version >= 1)
);

create table public.blocks (
  id uuid not null default gen_random_uuid(),
  document_id uuid not null,
  type text not null,
  position integer not null,
  name text not null default 'Untitled',
  content jsonb default '{}'::jsonb,
  org_id uuid,
  version integer not null default 1,
  is_deleted boolean default false,
  deleted_at timestamptz,
  deleted_by uuid,
  created_at timestamptz default now(),
  updated_at timestamptz default now(),
  created_by uuid,
  updated_by uuid,
  constraint blocks_pkey primary key (id),
  constraint blocks_document_id_fkey foreign key (document_id) references public.documents (id),
  constraint blocks_org_id_fkey foreign key (org_id) references public.organizations (id) on delete set null,
  constraint blocks_position_check check (position >= 0),
  constraint blocks_version_check check (version >= 1)
);

create table public.properties (
  id uuid not null default gen_random_uuid(),
  org_id uuid not null,
  project_id uuid,
  document_id uuid,
  name text not null,
  property_type text not null,
  options jsonb default '{}'::jsonb,
  scope text,
  is_base boolean default false,
  is_deleted boolean not null default false,
  deleted_at timestamptz,
  deleted_by uuid,
  created_at timestamptz default now(),
  updated_at timestamptz default now(),
  created_by uuid,
  updated_by uuid,
  constraint properties_pkey primary key (id),
  constraint properties_org_id_fkey foreign key (org_id) references public.organizations (id),
  constraint properties_project_id_fkey foreign key (project_id) references public.projects (id),
  constraint properties_document_id_fkey foreign key (document_id) references public.documents (id),
  constraint properties_property_type_check check (property_type in (
    'text', 'number', 'boolean', 'date', 'url', 'array', 'enum', 'entity_reference', 'select',
    'multi_select', 'file'
  ))
);

create table public.requirements (
  id uuid not null default gen_random_uuid(),
  document_id uuid not null,
  block_id uuid not null,
  name text not null,
  description text,
  external_id text,
  format public.requirement_format not null default 'ears',
  type text,
  level public.requirement_level not null default 'component',
  status public.requirement_status not null default 'active',
  priority public.requirement_priority not null default 'low',
  position double precision not null default 0,
  properties jsonb default '{}'::jsonb,
  tags text[] default '{}'::text[],
  original_requirement text,
  enchanced_requirement text,
  ai_analysis jsonb default '{}'::jsonb,
  version integer not null default 1,
  fts_vector tsvector generated always as (
    setweight(to_tsvector('english'::regconfig, coalesce(name, '')), 'A')
    || setweight(to_tsvector('english'::regconfig, coalesce(description, '')), 'B')
    || setweight(to_tsvector('english'::regconfig,
      coalesce(original_requirement, '') || ' ' || coalesce(enchanced_requirement, '')), 'C')
  ) stored,
  is_deleted boolean default false,
  deleted_at timestamptz,
  deleted_by uuid,
  created_at timestamptz default now(),
  updated_at timestamptz default now(),
  created_by uuid,
  updated_by uuid,
  constraint requirements_pkey primary key (id),
  constraint requirements_document_id_fkey foreign key (document_id) references public.documents (id),
  constraint requirements_block_id_fkey foreign key (block_id) references public.blocks (id),
  constraint requirements_name_length check (char_length(name) between 1 and 255),
  constraint requirements_version_check check (version >= 1)
);

create table public.test_req (
  id uuid not null default gen_random_uuid(),
  project_id uuid,
  title text not null,
  test_id text,
  description text,
  preconditions text,
  expected_results text,
  test_environment text,
  test_type public.test_type not null default 'other',
  method public.test_method not null default 'manual',
  status public.test_status not null default 'draft',
  priority public.test_priority not null default 'medium',
  category text[],
  test_steps jsonb,
  attachments jsonb,
  result text default 'not_executed',
  estimated_duration interval,
  version text,
  is_active boolean default true,
  -- not in the reference table: lets search rank tests like every other entity
  fts_vector tsvector generated always as (
    setweight(to_tsvector('english'::regconfig, coalesce(title, '')), 'A')
    || setweight(to_tsvector('english'::regconfig, coalesce(description, '')), 'B')
    || setweight(to_tsvector('english'::regconfig, coalesce(test_id, '')), 'C')
  ) stored,
  is_deleted boolean not null default false,
  deleted_at timestamptz,
  deleted_by uuid,
  created_at timestamptz default now(),
  updated_at timestamptz default now(),
  created_by uuid,
  updated_by uuid,
  constraint test_req_pkey primary key (id),
  constraint test_req_project_id_fkey foreign key (project_id) references public.projects (id),
  constraint test_req_title_length check (char_length(title) between 1 and 255)
);

create table public.requirement_tests (
  id uuid not null default gen_random_uuid(),
  requirement_id uuid not null,
  test_id uuid not null,
  execution_status public.execution_status not null default 'not_executed',
  executed_at timestamptz,
  executed_by uuid,
  execution_environment text,
  execution_version text,
  result_notes text,
  external_req_id text,
  external_test_id text,
  defects jsonb,
  evidence_artifacts jsonb,
  created_at timestamptz default now(),
  updated_at timestamptz default now(),
  constraint requirement_tests_pkey primary key (id),
  constraint requirement_tests_requirement_id_test_id_key unique (requirement_id, test_id),
  constraint requirement_tests_requirement_id_fkey foreign key (requirement_id)
    references public.requirements (id) on delete cascade,
  constraint requirement_tests_test_id_fkey foreign key (test_id)
    references public.test_req (id) on delete cascade,
  constraint requirement_tests_executed_by_fkey foreign key (executed_by)
    references public.profiles (id) on delete set null
);

create table public.trace_links (
  id uuid not null default gen_random_uuid(),
  source_id uuid not null,
  source_type public.entity_type not null,
  target_id uuid not null,
  target_type public.entity_type not null,
  link_type public.trace_link_type not null,
  description text,
  version integer not null default 1,
  is_deleted boolean default false,
  deleted_at timestamptz,
  deleted_by uuid,
  created_at timestamptz default now(),
  updated_at timestamptz default now(),
  created_by uuid,
  updated_by uuid,
  constraint trace_links_pkey primary key (id),
  constraint trace_links_no_self_link check (not (source_id = target_id and source_type = target_type)),
  constraint trace_links_version_check check (version >= 1)
);

create table public.assignments (
  id uuid not null default gen_random_uuid(),
  entity_id uuid not null,
  entity_type public.entity_type not null,
  assignee_id uuid not null,
  role public.assignment_role not null,
  status public.requirement_status not null,
  comment text,
  due_date timestamptz,
  completed_at timestamptz,
  version integer not null default 1,
  is_deleted boolean default false,
  deleted_at timestamptz,
  deleted_by uuid,
  created_at timestamptz default now(),
  updated_at timestamptz default now(),
  created_by uuid,
  updated_by uuid,
  constraint assignments_pkey primary key (id),
  constraint assignments_assignee_id_fkey foreign key (assignee_id)
    references public.profiles (id) on delete cascade,
  constraint assignments_version_check check (version >= 1)
);

create index documents_project_id_idx on public.documents (project_id);
create index documents_fts_idx on public.documents using gin (fts_vector);
create index blocks_document_id_idx on public.blocks (document_id);
create index properties_org_id_idx on public.properties (org_id);
create index requirements_document_id_idx on public.requirements (document_id);
create index requirements_block_id_idx on public.requirements (block_id);
create index requirements_fts_idx on public.requirements using gin (fts_vector);
create index test_req_project_id_idx on public.test_req (project_id);
create index test_req_fts_idx on public.test_req using gin (fts_vector);
create index requirement_tests_test_id_idx on public.requirement_tests (test_id);
create index trace_links_source_idx on public.trace_links (source_id);
create index trace_links_target_idx on public.trace_links (target_id);
create index assignments_entity_idx on public.assignments (entity_id);
create index assignments_assignee_id_idx on public.assignments (assignee_id);
