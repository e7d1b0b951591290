-- Profiles and organizations ("workspaces"), their members and invitations (spec §1.1-§1.4).
-- profiles and organizations point at each other, so the profile -> organization keys are
-- added after both tables exist.

create table public.profiles (
  id uuid not null,
  email text not null,
  full_name text,
  avatar_url text,
  job_title text,
  status public.user_status default 'active',
  is_approved boolean not null default true,
  current_organization_id uuid,
  personal_organization_id uuid,
  pinned_organization_id uuid,
  preferences jsonb default '{}'::jsonb,
  last_login_at timestamptz,
  login_count integer default 0,
  is_deleted boolean default false,
  deleted_at timestamptz,
  deleted_by uuid,
  created_at timestamptz default now(),
  updated_at timestamptz default now(),
  constraint profiles_pkey primary key (id),
  -- a profile is the public face of an auth user and goes away with it
  constraint profiles_id_fkey foreign key (id) references auth.users (id) on delete cascade,
  constraint profiles_login_count_check check (login_count >= 0)
);

create table public.organizations (
  id uuid not null default gen_random_uuid(),
  name text not null,
  slug text not null,
  description text,
  type public.organization_type not null default 'team',
  status public.user_status default 'active',
  billing_plan public.billing_plan not null default 'free',
  billing_cycle public.pricing_plan_interval not null default 'none',
  max_members integer not null default 5,
  max_monthly_requests integer not null default 1000,
  member_count integer default 0,
  storage_used integer default 0,
  logo_url text,
  owner_id uuid,
  settings jsonb default '{}'::jsonb,
  metadata jsonb default '{}'::jsonb,
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
  constraint organizations_pkey primary key (id),
  constraint organizations_slug_key unique (slug),
  constraint organizations_owner_id_fkey foreign key (owner_id)
    references public.profiles (id) on delete set null,
  constraint organizations_name_length check (char_length(name) between 2 and 255),
  constraint organizations_slug_format check (slug ~ '^[a-z][a-z0-9-]*$' and char_length(slug) <= 255),
  constraint organizations_max_members_check check (max_members > 0),
  constraint organizations_max_monthly_requests_check check (max_monthly_requests >= 0),
  constraint organizations_member_count_check check (member_count >= 0),
  constraint organizations_storage_used_check check (storage_used >= 0)
);

alter table public.profiles
  add constraint profiles_current_organization_id_fkey foreign key (current_organization_id)
    references public.organizations (id) on delete set null,
  add constraint profiles_personal_organization_id_fkey foreign key (personal_organization_id)
    references public.organizations (id) on delete set null,
  add constraint profiles_pinned_organization_id_fkey foreign key (pinned_organization_id)
    references public.organizations (id) on delete set null;

create table public.organization_members (
  id uuid not null default gen_random_uuid(),
  organization_id uuid not null,
  user_id uuid not null,
  role public.user_role_type not null default 'member',
  status public.user_status default 'active',
  permissions jsonb default '{}'::jsonb,
  last_active_at timestamptz,
  is_deleted boolean default false,
  deleted_at timestamptz,
  deleted_by uuid,
  created_at timestamptz default now(),
  updated_at timestamptz default now(),
  updated_by uuid,
  constraint organization_members_pkey primary key (id),
  constraint organization_members_organization_id_user_id_key unique (organization_id, user_id),
  -- hard-deleting an (empty) organization takes its membership rows with it
  constraint organization_members_organization_id_fkey foreign key (organization_id)
    references public.organizations (id) on delete cascade,
  constraint organization_members_user_id_fkey foreign key (user_id)
    references public.profiles (id) on delete cascade
);

create table public.organization_invitations (
  id uuid not null default gen_random_uuid(),
  organization_id uuid not null,
  email text not null,
  role public.user_role_type not null default 'member',
  status public.invitation_status not null default 'pending',
  token uuid not null default gen_random_uuid(),
  expires_at timestamptz not null default (now() + interval '7 days'),
  metadata jsonb default '{}'::jsonb,
  is_deleted boolean default false,
  deleted_at timestamptz,
  deleted_by uuid,
  created_at timestamptz default now(),
  updated_at timestamptz default now(),
  created_by uuid not null,
  updated_by uuid not null,
  constraint organization_invitations_pkey primary key (id),
  constraint organization_invitations_token_key unique (token),
  constraint organization_invitations_organization_id_fkey foreign key (organization_id)
    references public.organizations (id) on delete cascade,
  constraint organization_invitations_email_format check (email ~ '^[^@[:space:]]+@[^@[:space:]]+$')
);

create index organization_members_user_id_idx on public.organization_members (user_id);
create index organization_invitations_organization_id_idx on public.organization_invitations (organization_id);
create index organizations_fts_idx on public.organizations using gin (fts_vector);
