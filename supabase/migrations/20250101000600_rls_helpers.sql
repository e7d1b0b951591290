-- Helper functions of the row-level security policies (spec §2.1).
-- All are `security definer` with an empty search_path: they read membership tables without
-- recursing into those tables' own policies, and every name inside is schema-qualified.
-- A membership is "live" when it is not soft-deleted and its status is active (NULL counts as
-- active, the column's default). Every check is false for a NULL user or a NULL parent key.
-- The functions live in `public`, so PostgREST also serves them as RPCs: a signed-in caller may
-- only ask about themself (a JWT-less caller such as a trigger or the service role may ask about
-- anyone), otherwise another user's memberships would leak.

-- True when `user_id` is the caller, or when there is no signed-in caller (triggers, the service
-- role, maintenance sessions).
create function public.is_caller_or_trusted(user_id uuid) returns boolean
language sql stable
set search_path = ''
as $$
  select auth.uid() is null or is_caller_or_trusted.user_id = auth.uid()
$$;

create function public.is_organization_member(org_id uuid, user_id uuid) returns boolean
language sql stable security definer
set search_path = ''
as $$
  select public.is_caller_or_trusted(is_organization_member.user_id) and exists (
    select 1 from public.organization_members m
    where m.organization_id = is_organization_member.org_id
      and m.user_id = is_organization_member.user_id
      and not coalesce(m.is_deleted, false)
      and coalesce(m.status, 'active') = 'active'
  )
$$;

create function public.is_organization_owner_or_admin(org_id uuid, user_id uuid) returns boolean
language sql stable security definer
set search_path = ''
as $$
  select public.is_caller_or_trusted(is_organization_owner_or_admin.user_id) and exists (
    select 1 from public.organization_members m
    where m.organization_id = is_organization_owner_or_admin.org_id
      and m.user_id = is_organization_owner_or_admin.user_id
      and m.role in ('owner', 'admin', 'super_admin')
      and not coalesce(m.is_deleted, false)
      and coalesce(m.status, 'active') = 'active'
  )
$$;

create function public.is_organization_owner(org_id uuid, user_id uuid) returns boolean
language sql stable security definer
set search_path = ''
as $$
  select public.is_caller_or_trusted(is_organization_owner.user_id) and exists (
    select 1 from public.organization_members m
    where m.organization_id = is_organization_owner.org_id
      and m.user_id = is_organization_owner.user_id
      and m.role = 'owner'
      and not coalesce(m.is_deleted, false)
      and coalesce(m.status, 'active') = 'active'
  )
$$;

-- True when the organization `org_id` created by `user_id` is visible to the current statement's
-- snapshot. A row is not yet visible while its own INSERT checks it, so `not` this tells the
-- inserting statement (INSERT ... RETURNING) apart from every later read.
create function public.is_organization_created(org_id uuid, user_id uuid) returns boolean
language sql stable security definer
set search_path = ''
as $$
  select public.is_caller_or_trusted(is_organization_created.user_id) and exists (
    select 1 from public.organizations o
    where o.id = is_organization_created.org_id and o.created_by = is_organization_created.user_id
  )
$$;

-- Unlike the reference mirror (spec §7.9), the answer depends on a matching row.
create function public.is_super_admin(user_id uuid) returns boolean
language sql stable security definer
set search_path = ''
as $$
  select public.is_caller_or_trusted(is_super_admin.user_id) and exists (
    select 1 from public.organization_members m
    where m.user_id = is_super_admin.user_id
      and m.role = 'super_admin'
      and not coalesce(m.is_deleted, false)
      and coalesce(m.status, 'active') = 'active'
  )
$$;

create function public.get_user_organization_ids(user_id uuid) returns uuid[]
language sql stable security definer
set search_path = ''
as $$
  select coalesce(array_agg(m.organization_id order by m.organization_id), '{}'::uuid[])
  from public.organization_members m
  where public.is_caller_or_trusted(get_user_organization_ids.user_id)
    and m.user_id = get_user_organization_ids.user_id
    and not coalesce(m.is_deleted, false)
    and coalesce(m.status, 'active') = 'active'
$$;

create function public.is_project_member(project_id uuid, user_id uuid) returns boolean
language sql stable security definer
set search_path = ''
as $$
  select public.is_caller_or_trusted(is_project_member.user_id) and exists (
    select 1 from public.project_members pm
    where pm.project_id = is_project_member.project_id
      and pm.user_id = is_project_member.user_id
      and not coalesce(pm.is_deleted, false)
      and coalesce(pm.status, 'active') = 'active'
  )
$$;

-- Read access: a live project membership, a live public project, or a live membership of the
-- project's organization.
create function public.user_can_access_project(project_id uuid, user_id uuid) returns boolean
language sql stable security definer
set search_path = ''
as $$
  select user_can_access_project.user_id is not null
    and public.is_caller_or_trusted(user_can_access_project.user_id)
    and exists (
    select 1 from public.projects p
    where p.id = user_can_access_project.project_id
      and (
        (p.visibility = 'public' and not coalesce(p.is_deleted, false))
        or public.is_organization_member(p.organization_id, user_can_access_project.user_id)
        or public.is_project_member(p.id, user_can_access_project.user_id)
      )
  )
$$;

create function public.is_project_owner_or_admin(project_id uuid, user_id uuid) returns boolean
language sql stable security definer
set search_path = ''
as $$
  select public.is_caller_or_trusted(is_project_owner_or_admin.user_id) and exists (
    select 1 from public.project_members pm
    where pm.project_id = is_project_owner_or_admin.project_id
      and pm.user_id = is_project_owner_or_admin.user_id
      and pm.role in ('owner', 'admin')
      and not coalesce(pm.is_deleted, false)
      and coalesce(pm.status, 'active') = 'active'
  )
$$;

create function public.is_project_owner(project_id uuid, user_id uuid) returns boolean
language sql stable security definer
set search_path = ''
as $$
  select public.is_caller_or_trusted(is_project_owner.user_id) and exists (
    select 1 from public.project_members pm
    where pm.project_id = is_project_owner.project_id
      and pm.user_id = is_project_owner.user_id
      and pm.role = 'owner'
      and not coalesce(pm.is_deleted, false)
      and coalesce(pm.status, 'active') = 'active'
  )
$$;

-- "Editor or above": owner, admin, maintainer or editor.
create function public.is_project_editor(project_id uuid, user_id uuid) returns boolean
language sql stable security definer
set search_path = ''
as $$
  select public.is_caller_or_trusted(is_project_editor.user_id) and exists (
    select 1 from public.project_members pm
    where pm.project_id = is_project_editor.project_id
      and pm.user_id = is_project_editor.user_id
      and pm.role in ('owner', 'admin', 'maintainer', 'editor')
      and not coalesce(pm.is_deleted, false)
      and coalesce(pm.status, 'active') = 'active'
  )
$$;

-- The project of a live document; NULL (deny) for a soft-deleted or unknown one (spec §2.2).
create function public.document_project_id(document_id uuid) returns uuid
language sql stable security definer
set search_path = ''
as $$
  select d.project_id from public.documents d
  where d.id = document_project_id.document_id and not coalesce(d.is_deleted, false)
$$;

create function public.requirement_project_id(requirement_id uuid) returns uuid
language sql stable security definer
set search_path = ''
as $$
  select d.project_id
  from public.requirements r
  join public.documents d on d.id = r.document_id
  where r.id = requirement_project_id.requirement_id and not coalesce(d.is_deleted, false)
$$;

create function public.test_project_id(test_id uuid) returns uuid
language sql stable security definer
set search_path = ''
as $$
  select t.project_id from public.test_req t where t.id = test_project_id.test_id
$$;

-- The project of a polymorphic trace-link / assignment endpoint.
create function public.entity_project_id(kind public.entity_type, entity_id uuid) returns uuid
language sql stable security definer
set search_path = ''
as $$
  select case entity_project_id.kind
    when 'document' then public.document_project_id(entity_project_id.entity_id)
    when 'requirement' then public.requirement_project_id(entity_project_id.entity_id)
  end
$$;

create function public.workflow_organization_id(workflow_id uuid) returns uuid
language sql stable security definer
set search_path = ''
as $$
  select w.organization_id from public.workflows w where w.id = workflow_organization_id.workflow_id
$$;

-- Set-returning helpers for the SELECT (and content UPDATE/DELETE) policies: a policy tests `col in (select public.get_...(
-- (select auth.uid())))`, an uncorrelated sub-select that runs once per statement (a hashed
-- subplan), instead of calling a per-row helper for each row, which the planner cannot see into.
-- Each answers the same question as the per-row helper named in its comment, for all rows at once.
-- `rows` tells the planner a caller reaches a small share of the data, so the joins below walk
-- the parent-key indexes from the caller's projects instead of scanning whole tables.

-- Projects with a live project membership of `user_id` (is_project_member).
create function public.get_user_project_ids(user_id uuid) returns setof uuid
language sql stable security definer rows 20
set search_path = ''
as $$
  select pm.project_id from public.project_members pm
  where public.is_caller_or_trusted(get_user_project_ids.user_id)
    and pm.user_id = get_user_project_ids.user_id
    and not coalesce(pm.is_deleted, false)
    and coalesce(pm.status, 'active') = 'active'
$$;

-- Projects `user_id` may read (user_can_access_project).
create function public.get_accessible_project_ids(user_id uuid) returns setof uuid
language sql stable security definer rows 50
set search_path = ''
as $$
  select p.id from public.projects p
  where get_accessible_project_ids.user_id is not null
    and public.is_caller_or_trusted(get_accessible_project_ids.user_id)
    and (
      (p.visibility = 'public' and not coalesce(p.is_deleted, false))
      or p.organization_id in (select unnest(public.get_user_organization_ids(get_accessible_project_ids.user_id)))
      or p.id in (select public.get_user_project_ids(get_accessible_project_ids.user_id))
    )
$$;

-- Live documents of projects `user_id` may read (user_can_access_project(document_project_id(id))).
create function public.get_accessible_document_ids(user_id uuid) returns setof uuid
language sql stable security definer rows 500
set search_path = ''
as $$
  select d.id
  from public.get_accessible_project_ids(get_accessible_document_ids.user_id) a(project_id)
  join public.documents d on d.project_id = a.project_id
  where not coalesce(d.is_deleted, false)
$$;

-- Requirements whose live document's project `user_id` may read
-- (user_can_access_project(requirement_project_id(id))).
create function public.get_accessible_requirement_ids(user_id uuid) returns setof uuid
language sql stable security definer rows 500
set search_path = ''
as $$
  select r.id
  from public.get_accessible_document_ids(get_accessible_requirement_ids.user_id) a(document_id)
  join public.requirements r on r.document_id = a.document_id
$$;

-- Workflows of the organizations `user_id` is a live member of
-- (is_organization_member(workflow_organization_id(id))).
create function public.get_accessible_workflow_ids(user_id uuid) returns setof uuid
language sql stable security definer rows 50
set search_path = ''
as $$
  select w.id from public.workflows w
  where w.organization_id in (select unnest(public.get_user_organization_ids(get_accessible_workflow_ids.user_id)))
$$;

-- Projects where `user_id` is a live editor or above (is_project_editor).
create function public.get_editable_project_ids(user_id uuid) returns setof uuid
language sql stable security definer rows 20
set search_path = ''
as $$
  select pm.project_id from public.project_members pm
  where public.is_caller_or_trusted(get_editable_project_ids.user_id)
    and pm.user_id = get_editable_project_ids.user_id
    and pm.role in ('owner', 'admin', 'maintainer', 'editor')
    and not coalesce(pm.is_deleted, false)
    and coalesce(pm.status, 'active') = 'active'
$$;

-- Projects where `user_id` is a live owner or admin (is_project_owner_or_admin).
create function public.get_administered_project_ids(user_id uuid) returns setof uuid
language sql stable security definer rows 20
set search_path = ''
as $$
  select pm.project_id from public.project_members pm
  where public.is_caller_or_trusted(get_administered_project_ids.user_id)
    and pm.user_id = get_administered_project_ids.user_id
    and pm.role in ('owner', 'admin')
    and not coalesce(pm.is_deleted, false)
    and coalesce(pm.status, 'active') = 'active'
$$;

-- Live documents of projects `user_id` edits (is_project_editor(document_project_id(id))).
create function public.get_editable_document_ids(user_id uuid) returns setof uuid
language sql stable security definer rows 200
set search_path = ''
as $$
  select d.id
  from public.get_editable_project_ids(get_editable_document_ids.user_id) e(project_id)
  join public.documents d on d.project_id = e.project_id
  where not coalesce(d.is_deleted, false)
$$;

-- Requirements whose live document's project `user_id` edits
-- (is_project_editor(requirement_project_id(id))).
create function public.get_editable_requirement_ids(user_id uuid) returns setof uuid
language sql stable security definer rows 200
set search_path = ''
as $$
  select r.id
  from public.get_editable_document_ids(get_editable_requirement_ids.user_id) e(document_id)
  join public.requirements r on r.document_id = e.document_id
$$;

-- Policies run as the caller, so `authenticated` needs EXECUTE; `anon` has no policies and
-- must not probe memberships through these.
revoke all on function
  public.is_caller_or_trusted(uuid), public.is_organization_member(uuid, uuid),
  public.is_organization_owner_or_admin(uuid, uuid), public.is_organization_owner(uuid, uuid), public.is_organization_created(uuid, uuid),
  public.is_super_admin(uuid), public.get_user_organization_ids(uuid),
  public.is_project_member(uuid, uuid), public.user_can_access_project(uuid, uuid),
  public.is_project_owner_or_admin(uuid, uuid), public.is_project_owner(uuid, uuid),
  public.is_project_editor(uuid, uuid), public.document_project_id(uuid),
  public.requirement_project_id(uuid), public.test_project_id(uuid),
  public.entity_project_id(public.entity_type, uuid), public.workflow_organization_id(uuid),
  public.get_user_project_ids(uuid), public.get_accessible_project_ids(uuid),
  public.get_accessible_document_ids(uuid), public.get_accessible_requirement_ids(uuid),
  public.get_accessible_workflow_ids(uuid), public.get_editable_project_ids(uuid),
  public.get_administered_project_ids(uuid), public.get_editable_document_ids(uuid),
  public.get_editable_requirement_ids(uuid)
from public, anon;
grant execute on function
  public.is_caller_or_trusted(uuid), public.is_organization_member(uuid, uuid),
  public.is_organization_owner_or_admin(uuid, uuid), public.is_organization_owner(uuid, uuid), public.is_organization_created(uuid, uuid),
  public.is_super_admin(uuid), public.get_user_organization_ids(uuid),
  public.is_project_member(uuid, uuid), public.user_can_access_project(uuid, uuid),
  public.is_project_owner_or_admin(uuid, uuid), public.is_project_owner(uuid, uuid),
  public.is_project_editor(uuid, uuid), public.document_project_id(uuid),
  public.requirement_project_id(uuid), public.test_project_id(uuid),
  public.entity_project_id(public.entity_type, uuid), public.workflow_organization_id(uuid),
  public.get_user_project_ids(uuid), public.get_accessible_project_ids(uuid),
  public.get_accessible_document_ids(uuid), public.get_accessible_requirement_ids(uuid),
  public.get_accessible_workflow_ids(uuid), public.get_editable_project_ids(uuid),
  public.get_administered_project_ids(uuid), public.get_editable_document_ids(uuid),
  public.get_editable_requirement_ids(uuid)
to authenticated, service_role;
