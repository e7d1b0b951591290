-- Projects inside an organization and their members (spec §1.5, §1.6).

create table public.projects (
  id uuid not null default gen_random_uuid(),
  organization_id uuid not null,
  name text not null,
  slug text not null,
  description text,
  status public.project_status not null default 'active',
  visibility public.visibility not null default 'private',
  owned_by uuid not null,
  tags text[] default '{}'::text[],
  settings jsonb default '{}'::jsonb,
  metadata jsonb default '{}'::jsonb,
  star_count integer default 0,
  version integer default 1,
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
  created_by uuid not null,
  updated_by uuid not null,
  constraint projects_pkey primary key (id),
  -- slugs are unique inside their organization, so two workspaces may both have "demo"
  constraint projects_organization_id_slug_key unique (organization_id, slug),
  constraint projects_organization_id_fkey foreign key (organization_id)
    references public.organizations (id),
  constraint projects_owned_by_fkey foreign key (owned_by) references public.profiles (id),
  constraint projects_name_length check (char_length(name) between 2 and 255),
  constraint projects_slug_format check (slug ~ '^[a-z0-9][a-z0-9-]*$' and char_length(slug) <= 255),
  constraint projects_star_count_check check (star_count >= 0),
  constraint projects_version_check check (version >= 1)
);

create table public.project_members (
  id uuid not null default gen_random_uuid(),
  project_id uuid not null,
  user_id uuid not null,
  org_id uuid,
  role public.project_role not null default 'viewer',
  status public.user_status default 'active',
  permissions jsonb default '{}'::jsonb,
  last_accessed_at timestamptz,
  is_deleted boolean default false,
  deleted_at timestamptz,
  deleted_by uuid,
  created_at timestamptz default now(),
  updated_at timestamptz default now(),
  constraint project_members_pkey primary key (id),
  constraint project_members_project_id_user_id_key unique (project_id, user_id),
  constraint project_members_project_id_fkey foreign key (project_id)
    references public.projects (id) on delete cascade,
  constraint project_members_user_id_fkey foreign key (user_id)
    references public.profiles (id) on delete cascade,
  constraint project_members_org_id_fkey foreign key (org_id)
    references public.organizations (id) on delete set null
);

create index projects_organization_id_idx on public.projects (organization_id);
create index projects_fts_idx on public.projects using gin (fts_vector);
create index project_members_user_id_idx on public.project_members (user_id);
