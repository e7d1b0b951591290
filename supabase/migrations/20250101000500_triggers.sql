-- The invariants of spec §6 as real triggers:
--   * a profile for every new auth.users row,
--   * a personal organization for every new profile (and its removal with the profile when empty),
--   * owner membership for every new organization and project,
--   * organizations.member_count kept equal to the live, active members,
--   * updated_at / updated_by / version / soft-delete bookkeeping on every update,
--   * requirements.properties mirroring status, priority, format, level and type.
-- Functions that write other tables are `security definer` with an empty search_path, so every
-- name inside is schema-qualified and a caller cannot shadow one.

create function public.handle_updated_at() returns trigger
language plpgsql
set search_path = ''
as $$
begin
  new.updated_at := now();
  return new;
end
$$;

-- The caller's id wins over a client-supplied updated_by; without a JWT (service role) the
-- supplied value stays.
create function public.handle_updated_by() returns trigger
language plpgsql
set search_path = ''
as $$
begin
  new.updated_by := coalesce(auth.uid(), new.updated_by);
  return new;
end
$$;

-- Optimistic-lock counter: bumped unless the caller set a new value itself.
create function public.handle_version_bump() returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if new.version is not distinct from old.version then
    new.version := coalesce(old.version, 0) + 1;
  end if;
  return new;
end
$$;

-- Keeps the soft-delete triple consistent: deleting stamps when and who, restoring clears both.
create function public.handle_soft_delete() returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if coalesce(new.is_deleted, false) and not coalesce(old.is_deleted, false) then
    new.deleted_at := coalesce(new.deleted_at, now());
    new.deleted_by := coalesce(new.deleted_by, auth.uid());
  elsif not coalesce(new.is_deleted, false) and coalesce(old.is_deleted, false) then
    new.deleted_at := null;
    new.deleted_by := null;
  end if;
  return new;
end
$$;

create function public.handle_requirement_properties() returns trigger
language plpgsql
set search_path = ''
as $$
begin
  new.properties := coalesce(new.properties, '{}'::jsonb) || jsonb_build_object(
    'status', new.status,
    'priority', new.priority,
    'format', new.format,
    'level', new.level,
    'type', new.type
  );
  return new;
end
$$;

create function public.handle_new_user() returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  insert into public.profiles (id, email, full_name, avatar_url)
  values (
    new.id,
    coalesce(new.email, ''),
    coalesce(new.raw_user_meta_data ->> 'full_name', new.raw_user_meta_data ->> 'name'),
    new.raw_user_meta_data ->> 'avatar_url'
  )
  on conflict (id) do nothing;
  return new;
end
$$;

-- Personal workspace: "<full name or email local part>'s Workspace", slug
-- "<email local part>-personal" (made unique with the user id when taken).
create function public.handle_new_profile() returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  local_part text := split_part(new.email, '@', 1);
  base text;
  org_slug text;
  org_id uuid;
begin
  if new.personal_organization_id is not null then
    return new;
  end if;
  base := left(trim(both '-' from regexp_replace(lower(local_part), '[^a-z0-9]+', '-', 'g')), 200);
  if base = '' then
    base := 'user';
  elsif base !~ '^[a-z]' then
    base := 'u-' || base;
  end if;
  org_slug := base || '-personal';
  if exists (select 1 from public.organizations o where o.slug = org_slug) then
    org_slug := base || '-' || replace(new.id::text, '-', '') || '-personal';
  end if;
  insert into public.organizations (name, slug, type, owner_id, created_by, updated_by)
  values (
    left(coalesce(nullif(trim(new.full_name), ''), nullif(local_part, ''), 'My'), 200) || '''s Workspace',
    org_slug,
    'personal',
    new.id,
    new.id,
    new.id
  )
  returning id into org_id;
  update public.profiles
  set personal_organization_id = org_id,
      current_organization_id = coalesce(current_organization_id, org_id)
  where id = new.id;
  return new;
end
$$;

-- A removed user's personal workspace goes too, unless it already holds work.
create function public.handle_deleted_profile() returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  delete from public.organizations o
  where o.id = old.personal_organization_id
    and o.type = 'personal'
    and not exists (select 1 from public.projects p where p.organization_id = o.id)
    and not exists (select 1 from public.workflows w where w.organization_id = o.id)
    and not exists (select 1 from public.properties pr where pr.org_id = o.id);
  return old;
end
$$;

create function public.handle_new_organization() returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  insert into public.organization_members (organization_id, user_id, role, status, updated_by)
  values (new.id, coalesce(new.owner_id, new.created_by), 'owner', 'active', new.created_by)
  on conflict (organization_id, user_id) do nothing;
  return new;
end
$$;

create function public.handle_new_project() returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  insert into public.project_members (project_id, user_id, org_id, role, status)
  values (new.id, new.owned_by, new.organization_id, 'owner', 'active')
  on conflict (project_id, user_id) do nothing;
  return new;
end
$$;

create function public.handle_organization_member_count() returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  org uuid;
begin
  foreach org in array array[
    case when tg_op <> 'INSERT' then old.organization_id end,
    case when tg_op <> 'DELETE' then new.organization_id end
  ] loop
    continue when org is null;
    update public.organizations o
    set member_count = c.n
    from (
      select count(*)::integer as n
      from public.organization_members m
      where m.organization_id = org and not coalesce(m.is_deleted, false) and m.status = 'active'
    ) c
    where o.id = org and o.member_count is distinct from c.n;
  end loop;
  return null;
end
$$;

do $$
declare
  t text;
begin
  foreach t in array array[
    'profiles', 'organizations', 'organization_members', 'organization_invitations', 'projects',
    'project_members', 'documents', 'blocks', 'properties', 'requirements', 'test_req',
    'requirement_tests', 'trace_links', 'assignments', 'workflows', 'workflow_runs'
  ] loop
    execute format(
      'create trigger set_updated_at before update on public.%I for each row execute function public.handle_updated_at()', t);
  end loop;
  foreach t in array array[
    'organizations', 'organization_members', 'organization_invitations', 'projects', 'documents',
    'blocks', 'properties', 'requirements', 'test_req', 'trace_links', 'assignments', 'workflows'
  ] loop
    execute format(
      'create trigger set_updated_by before update on public.%I for each row execute function public.handle_updated_by()', t);
  end loop;
  foreach t in array array[
    'projects', 'documents', 'blocks', 'requirements', 'trace_links', 'assignments', 'workflows'
  ] loop
    execute format(
      'create trigger bump_version before update on public.%I for each row execute function public.handle_version_bump()', t);
  end loop;
  foreach t in array array[
    'profiles', 'organizations', 'organization_members', 'organization_invitations', 'projects',
    'project_members', 'documents', 'blocks', 'properties', 'requirements', 'test_req',
    'trace_links', 'assignments', 'workflows'
  ] loop
    execute format(
      'create trigger sync_soft_delete before update on public.%I for each row execute function public.handle_soft_delete()', t);
  end loop;
end
$$;

create trigger sync_properties before insert or update on public.requirements
  for each row execute function public.handle_requirement_properties();
create trigger on_auth_user_created after insert on auth.users
  for each row execute function public.handle_new_user();
create trigger on_profile_created after insert on public.profiles
  for each row execute function public.handle_new_profile();
create trigger on_profile_deleted after delete on public.profiles
  for each row execute function public.handle_deleted_profile();
create trigger on_organization_created after insert on public.organizations
  for each row execute function public.handle_new_organization();
create trigger on_project_created after insert on public.projects
  for each row execute function public.handle_new_project();
create trigger sync_member_count after insert or update or delete on public.organization_members
  for each row execute function public.handle_organization_member_count();

-- Trigger functions are never called directly; nobody on the API needs EXECUTE on them.
revoke all on function
  public.handle_updated_at(), public.handle_updated_by(), public.handle_version_bump(),
  public.handle_soft_delete(), public.handle_requirement_properties(), public.handle_new_user(),
  public.handle_new_profile(), public.handle_deleted_profile(), public.handle_new_organization(),
  public.handle_new_project(), public.handle_organization_member_count()
from public, anon, authenticated;
