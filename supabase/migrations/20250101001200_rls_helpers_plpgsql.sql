-- The row-level security helpers of 20250101000600_rls_helpers.sql, same bodies, in PL/pgSQL.
-- A `security definer` SQL function with its own search_path is never inlined, so Postgres plans
-- its query again on every call: the set-returning helpers behind the SELECT policies cost more to
-- plan than to run, once per statement and twice for a counted read (page and count). PL/pgSQL
-- keeps each query's plan for the connection's lifetime. `#variable_conflict use_column` keeps SQL-function name
-- resolution (a column wins over a parameter of the same name); a scalar body returns its one
-- row, or NULL when there is none, as before. Grants, owners and comments stay (create or replace).

create or replace function public.is_caller_or_trusted(user_id uuid) returns boolean
language plpgsql stable
set search_path = ''
as $$
#variable_conflict use_column
begin
  return (
  select auth.uid() is null or is_caller_or_trusted.user_id = auth.uid()
  );
end
$$;

create or replace function public.is_organization_member(org_id uuid, user_id uuid) returns boolean
language plpgsql stable security definer
set search_path = ''
as $$
#variable_conflict use_column
begin
  return (
  select public.is_caller_or_trusted(is_organization_member.user_id) and exists (
    select 1 from public.organization_members m
    where m.organization_id = is_organization_member.org_id
      and m.user_id = is_organization_member.user_id
      and not coalesce(m.is_deleted, false)
      and coalesce(m.status, 'active') = 'active'
  )
  );
end
$$;

create or replace function public.is_organization_owner_or_admin(org_id uuid, user_id uuid) returns boolean
language plpgsql stable security definer
set search_path = ''
as $$
#variable_conflict use_column
begin
  return (
  select public.is_caller_or_trusted(is_organization_owner_or_admin.user_id) and exists (
    select 1 from public.organization_members m
    where m.organization_id = is_organization_owner_or_admin.org_id
      and m.user_id = is_organization_owner_or_admin.user_id
      and m.role in ('owner', 'admin', 'super_admin')
      and not coalesce(m.is_deleted, false)
      and coalesce(m.status, 'active') = 'active'
  )
  );
end
$$;

create or replace function public.is_organization_owner(org_id uuid, user_id uuid) returns boolean
language plpgsql stable security definer
set search_path = ''
as $$
#variable_conflict use_column
begin
  return (
  select public.is_caller_or_trusted(is_organization_owner.user_id) and exists (
    select 1 from public.organization_members m
    where m.organization_id = is_organization_owner.org_id
      and m.user_id = is_organization_owner.user_id
      and m.role = 'owner'
      and not coalesce(m.is_deleted, false)
      and coalesce(m.status, 'active') = 'active'
  )
  );
end
$$;

create or replace function public.is_organization_created(org_id uuid, user_id uuid) returns boolean
language plpgsql stable security definer
set search_path = ''
as $$
#variable_conflict use_column
begin
  return (
  select public.is_caller_or_trusted(is_organization_created.user_id) and exists (
    select 1 from public.organizations o
    where o.id = is_organization_created.org_id and o.created_by = is_organization_created.user_id
  )
  );
end
$$;

create or replace function public.is_super_admin(user_id uuid) returns boolean
language plpgsql stable security definer
set search_path = ''
as $$
#variable_conflict use_column
begin
  return (
  select public.is_caller_or_trusted(is_super_admin.user_id) and exists (
    select 1 from public.organization_members m
    where m.user_id = is_super_admin.user_id
      and m.role = 'super_admin'
      and not coalesce(m.is_deleted, false)
      and coalesce(m.status, 'active') = 'active'
  )
  );
end
$$;

create or replace function public.get_user_organization_ids(user_id uuid) returns uuid[]
language plpgsql stable security definer
set search_path = ''
as $$
#variable_conflict use_column
begin
  return (
  select coalesce(array_agg(m.organization_id order by m.organization_id), '{}'::uuid[])
  from public.organization_members m
  where public.is_caller_or_trusted(get_user_organization_ids.user_id)
    and m.user_id = get_user_organization_ids.user_id
    and not coalesce(m.is_deleted, false)
    and coalesce(m.status, 'active') = 'active'
  );
end
$$;

create or replace function public.is_project_member(project_id uuid, user_id uuid) returns boolean
language plpgsql stable security definer
set search_path = ''
as $$
#variable_conflict use_column
begin
  return (
  select public.is_caller_or_trusted(is_project_member.user_id) and exists (
    select 1 from public.project_members pm
    where pm.project_id = is_project_member.project_id
      and pm.user_id = is_project_member.user_id
      and not coalesce(pm.is_deleted, false)
      and coalesce(pm.status, 'active') = 'active'
  )
  );
end
$$;

create or replace function public.user_can_access_project(project_id uuid, user_id uuid) returns boolean
language plpgsql stable security definer
set search_path = ''
as $$
#variable_conflict use_column
begin
  return (
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
  );
end
$$;

create or replace function public.is_project_owner_or_admin(project_id uuid, user_id uuid) returns boolean
language plpgsql stable security definer
set search_path = ''
as $$
#variable_conflict use_column
begin
  return (
  select public.is_caller_or_trusted(is_project_owner_or_admin.user_id) and exists (
    select 1 from public.project_members pm
    where pm.project_id = is_project_owner_or_admin.project_id
      and pm.user_id = is_project_owner_or_admin.user_id
      and pm.role in ('owner', 'admin')
      and not coalesce(pm.is_deleted, false)
      and coalesce(pm.status, 'active') = 'active'
  )
  );
end
$$;

create or replace function public.is_project_owner(project_id uuid, user_id uuid) returns boolean
language plpgsql stable security definer
set search_path = ''
as $$
#variable_conflict use_column
begin
  return (
  select public.is_caller_or_trusted(is_project_owner.user_id) and exists (
    select 1 from public.project_members pm
    where pm.project_id = is_project_owner.project_id
      and pm.user_id = is_project_owner.user_id
      and pm.role = 'owner'
      and not coalesce(pm.is_deleted, false)
      and coalesce(pm.status, 'active') = 'active'
  )
  );
end
$$;

create or replace function public.is_project_editor(project_id uuid, user_id uuid) returns boolean
language plpgsql stable security definer
set search_path = ''
as $$
#variable_conflict use_column
begin
  return (
  select public.is_caller_or_trusted(is_project_editor.user_id) and exists (
    select 1 from public.project_members pm
    where pm.project_id = is_project_editor.project_id
      and pm.user_id = is_project_editor.user_id
      and pm.role in ('owner', 'admin', 'maintainer', 'editor')
      and not coalesce(pm.is_deleted, false)
      and coalesce(pm.status, 'active') = 'active'
  )
  );
end
$$;

create or replace function public.document_project_id(document_id uuid) returns uuid
language plpgsql stable security definer
set search_path = ''
as $$
#variable_conflict use_column
begin
  return (
  select d.project_id from public.documents d
  where d.id = document_project_id.document_id and not coalesce(d.is_deleted, false)
  );
end
$$;

create or replace function public.requirement_project_id(requirement_id uuid) returns uuid
language plpgsql stable security definer
set search_path = ''
as $$
#variable_conflict use_column
begin
  return (
  select d.project_id
  from public.requirements r
  join public.documents d on d.id = r.document_id
  where r.id = requirement_project_id.requirement_id and not coalesce(d.is_deleted, false)
  );
end
$$;

create or replace function public.test_project_id(test_id uuid) returns uuid
language plpgsql stable security definer
set search_path = ''
as $$
#variable_conflict use_column
begin
  return (
  select t.project_id from public.test_req t where t.id = test_project_id.test_id
  );
end
$$;

create or replace function public.entity_project_id(kind public.entity_type, entity_id uuid) returns uuid
language plpgsql stable security definer
set search_path = ''
as $$
#variable_conflict use_column
begin
  return (
  select case entity_project_id.kind
    when 'document' then public.document_project_id(entity_project_id.entity_id)
    when 'requirement' then public.requirement_project_id(entity_project_id.entity_id)
  end
  );
end
$$;

create or replace function public.workflow_organization_id(workflow_id uuid) returns uuid
language plpgsql stable security definer
set search_path = ''
as $$
#variable_conflict use_column
begin
  return (
  select w.organization_id from public.workflows w where w.id = workflow_organization_id.workflow_id
  );
end
$$;

create or replace function public.get_user_project_ids(user_id uuid) returns setof uuid
language plpgsql stable security definer rows 20
set search_path = ''
as $$
#variable_conflict use_column
begin
  return query
  select pm.project_id from public.project_members pm
  where public.is_caller_or_trusted(get_user_project_ids.user_id)
    and pm.user_id = get_user_project_ids.user_id
    and not coalesce(pm.is_deleted, false)
    and coalesce(pm.status, 'active') = 'active';
end
$$;

create or replace function public.get_accessible_project_ids(user_id uuid) returns setof uuid
language plpgsql stable security definer rows 50
set search_path = ''
as $$
#variable_conflict use_column
begin
  return query
  select p.id from public.projects p
  where get_accessible_project_ids.user_id is not null
    and public.is_caller_or_trusted(get_accessible_project_ids.user_id)
    and (
      (p.visibility = 'public' and not coalesce(p.is_deleted, false))
      or p.organization_id in (select unnest(public.get_user_organization_ids(get_accessible_project_ids.user_id)))
      or p.id in (select public.get_user_project_ids(get_accessible_project_ids.user_id))
    );
end
$$;

create or replace function public.get_accessible_document_ids(user_id uuid) returns setof uuid
language plpgsql stable security definer rows 500
set search_path = ''
as $$
#variable_conflict use_column
begin
  return query
  select d.id
  from public.get_accessible_project_ids(get_accessible_document_ids.user_id) a(project_id)
  join public.documents d on d.project_id = a.project_id
  where not coalesce(d.is_deleted, false);
end
$$;

create or replace function public.get_accessible_requirement_ids(user_id uuid) returns setof uuid
language plpgsql stable security definer rows 500
set search_path = ''
as $$
#variable_conflict use_column
begin
  return query
  select r.id
  from public.get_accessible_document_ids(get_accessible_requirement_ids.user_id) a(document_id)
  join public.requirements r on r.document_id = a.document_id;
end
$$;

create or replace function public.get_accessible_workflow_ids(user_id uuid) returns setof uuid
language plpgsql stable security definer rows 50
set search_path = ''
as $$
#variable_conflict use_column
begin
  return query
  select w.id from public.workflows w
  where w.organization_id in (select unnest(public.get_user_organization_ids(get_accessible_workflow_ids.user_id)));
end
$$;

create or replace function public.get_editable_project_ids(user_id uuid) returns setof uuid
language plpgsql stable security definer rows 20
set search_path = ''
as $$
#variable_conflict use_column
begin
  return query
  select pm.project_id from public.project_members pm
  where public.is_caller_or_trusted(get_editable_project_ids.user_id)
    and pm.user_id = get_editable_project_ids.user_id
    and pm.role in ('owner', 'admin', 'maintainer', 'editor')
    and not coalesce(pm.is_deleted, false)
    and coalesce(pm.status, 'active') = 'active';
end
$$;

create or replace function public.get_administered_project_ids(user_id uuid) returns setof uuid
language plpgsql stable security definer rows 20
set search_path = ''
as $$
#variable_conflict use_column
begin
  return query
  select pm.project_id from public.project_members pm
  where public.is_caller_or_trusted(get_administered_project_ids.user_id)
    and pm.user_id = get_administered_project_ids.user_id
    and pm.role in ('owner', 'admin')
    and not coalesce(pm.is_deleted, false)
    and coalesce(pm.status, 'active') = 'active';
end
$$;

create or replace function public.get_editable_document_ids(user_id uuid) returns setof uuid
language plpgsql stable security definer rows 200
set search_path = ''
as $$
#variable_conflict use_column
begin
  return query
  select d.id
  from public.get_editable_project_ids(get_editable_document_ids.user_id) e(project_id)
  join public.documents d on d.project_id = e.project_id
  where not coalesce(d.is_deleted, false);
end
$$;

create or replace function public.get_editable_requirement_ids(user_id uuid) returns setof uuid
language plpgsql stable security definer rows 200
set search_path = ''
as $$
#variable_conflict use_column
begin
  return query
  select r.id
  from public.get_editable_document_ids(get_editable_requirement_ids.user_id) e(document_id)
  join public.requirements r on r.document_id = e.document_id;
end
$$;
