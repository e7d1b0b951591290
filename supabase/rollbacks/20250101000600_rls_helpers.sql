-- Rolls back 20250101000600_rls_helpers.sql.
drop function public.workflow_organization_id(uuid);
drop function public.entity_project_id(public.entity_type, uuid);
drop function public.test_project_id(uuid);
drop function public.requirement_project_id(uuid);
drop function public.document_project_id(uuid);
drop function public.is_project_editor(uuid, uuid);
drop function public.is_project_owner(uuid, uuid);
drop function public.is_project_owner_or_admin(uuid, uuid);
drop function public.user_can_access_project(uuid, uuid);
drop function public.is_project_member(uuid, uuid);
drop function public.get_user_organization_ids(uuid);
drop function public.is_super_admin(uuid);
drop function public.has_organization_membership_row(uuid, uuid);
drop function public.is_organization_owner(uuid, uuid);
drop function public.is_organization_owner_or_admin(uuid, uuid);
drop function public.is_organization_member(uuid, uuid);
drop function public.is_caller_or_trusted(uuid);
