-- Rolls back 20250101000500_triggers.sql: every trigger, then every trigger function.
drop trigger sync_member_count on public.organization_members;
drop trigger on_project_created on public.projects;
drop trigger on_organization_created on public.organizations;
drop trigger on_profile_deleted on public.profiles;
drop trigger on_profile_created on public.profiles;
drop trigger on_auth_user_created on auth.users;
drop trigger sync_properties on public.requirements;

do $$
declare
  t text;
begin
  foreach t in array array[
    'profiles', 'organizations', 'organization_members', 'organization_invitations', 'projects',
    'project_members', 'documents', 'blocks', 'properties', 'requirements', 'test_req',
    'trace_links', 'assignments', 'workflows'
  ] loop
    execute format('drop trigger sync_soft_delete on public.%I', t);
  end loop;
  foreach t in array array[
    'projects', 'documents', 'blocks', 'requirements', 'trace_links', 'assignments', 'workflows'
  ] loop
    execute format('drop trigger bump_version on public.%I', t);
  end loop;
  foreach t in array array[
    'organizations', 'organization_members', 'organization_invitations', 'projects', 'documents',
    'blocks', 'properties', 'requirements', 'test_req', 'trace_links', 'assignments', 'workflows'
  ] loop
    execute format('drop trigger set_updated_by on public.%I', t);
  end loop;
  foreach t in array array[
    'profiles', 'organizations', 'organization_members', 'organization_invitations', 'projects',
    'project_members', 'documents', 'blocks', 'properties', 'requirements', 'test_req',
    'requirement_tests', 'trace_links', 'assignments', 'workflows', 'workflow_runs'
  ] loop
    execute format('drop trigger set_updated_at on public.%I', t);
  end loop;
end
$$;

drop function public.handle_organization_member_count();
drop function public.handle_new_project();
drop function public.handle_new_organization();
drop function public.handle_deleted_profile();
drop function public.handle_new_profile();
drop function public.handle_new_user();
drop function public.handle_requirement_properties();
drop function public.handle_soft_delete();
drop function public.handle_version_bump();
drop function public.handle_updated_by();
drop function public.handle_updated_at();
