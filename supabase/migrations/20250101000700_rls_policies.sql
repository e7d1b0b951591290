-- Row-level security on every table, with the policies of spec §2.2 (derived rows marked there).
-- Policies are for `authenticated` only: `anon` has none and therefore sees and changes nothing;
-- `service_role` bypasses RLS. `(select auth.uid())` is evaluated once per statement.
-- SELECT policies, and UPDATE/DELETE of content tables, are set-based: `col in (select
-- unnest(<array helper>))` and `col in (select <set-returning helper>)` are uncorrelated
-- sub-selects that run once per statement, where a per-row helper call (opaque to the planner)
-- would run for every row scanned. INSERT checks keep the per-row helpers (one row each).
-- Soft-deleted rows stay visible to those allowed to read them (list filters them; restore
-- needs them); soft-deleted memberships grant nothing.

alter table public.profiles enable row level security;
alter table public.organizations enable row level security;
alter table public.organization_members enable row level security;
alter table public.organization_invitations enable row level security;
alter table public.projects enable row level security;
alter table public.project_members enable row level security;
alter table public.documents enable row level security;
alter table public.blocks enable row level security;
alter table public.properties enable row level security;
alter table public.requirements enable row level security;
alter table public.test_req enable row level security;
alter table public.requirement_tests enable row level security;
alter table public.trace_links enable row level security;
alter table public.assignments enable row level security;
alter table public.workflows enable row level security;
alter table public.workflow_runs enable row level security;

-- profiles: everyone signed in reads; own row updated; super admins insert and delete
-- (rows normally come from the auth signup trigger).
create policy profiles_select on public.profiles for select to authenticated
  using (true);
create policy profiles_insert on public.profiles for insert to authenticated
  with check (public.is_super_admin((select auth.uid())));
create policy profiles_update on public.profiles for update to authenticated
  using (id = (select auth.uid()))
  with check (id = (select auth.uid()));
create policy profiles_delete on public.profiles for delete to authenticated
  using (public.is_super_admin((select auth.uid())));

-- organizations: members read. INSERT ... RETURNING checks the new row against SELECT before the
-- owner-membership trigger has run, so the creator also reads it in the inserting statement only
-- (the row is not yet visible to that statement's snapshot); never later, so a creator removed
-- from the workspace reads nothing.
create policy organizations_select on public.organizations for select to authenticated
  using (
    id in (select unnest(public.get_user_organization_ids((select auth.uid()))))
    or (created_by = (select auth.uid()) and not public.is_organization_created(id, (select auth.uid())))
  );
create policy organizations_insert on public.organizations for insert to authenticated
  with check (
    (select auth.uid()) is not null
    and created_by = (select auth.uid())
    and coalesce(owner_id, created_by) = (select auth.uid())
  );
create policy organizations_update on public.organizations for update to authenticated
  using (public.is_organization_owner_or_admin(id, (select auth.uid())))
  with check (public.is_organization_owner_or_admin(id, (select auth.uid())));
create policy organizations_delete on public.organizations for delete to authenticated
  using (public.is_organization_owner(id, (select auth.uid())));

-- organization_members: members read the roster (everyone reads their own rows); owners and
-- admins manage it. Only owners hand out or take away `owner`, only super admins `super_admin`.
create policy organization_members_select on public.organization_members for select to authenticated
  using (
    user_id = (select auth.uid())
    or organization_id in (select unnest(public.get_user_organization_ids((select auth.uid()))))
  );
create policy organization_members_insert on public.organization_members for insert to authenticated
  with check (
    public.is_organization_owner_or_admin(organization_id, (select auth.uid()))
    and (role <> 'owner' or public.is_organization_owner(organization_id, (select auth.uid())))
    and (role <> 'super_admin' or public.is_super_admin((select auth.uid())))
  );
create policy organization_members_update on public.organization_members for update to authenticated
  using (
    public.is_organization_owner_or_admin(organization_id, (select auth.uid()))
    and (role <> 'owner' or public.is_organization_owner(organization_id, (select auth.uid())))
  )
  with check (
    public.is_organization_owner_or_admin(organization_id, (select auth.uid()))
    and (role <> 'owner' or public.is_organization_owner(organization_id, (select auth.uid())))
    and (role <> 'super_admin' or public.is_super_admin((select auth.uid())))
  );
create policy organization_members_delete on public.organization_members for delete to authenticated
  using (
    public.is_organization_owner_or_admin(organization_id, (select auth.uid()))
    and (role <> 'owner' or public.is_organization_owner(organization_id, (select auth.uid())))
  );

-- organization_invitations: members and the invitee read; owners and admins manage.
create policy organization_invitations_select on public.organization_invitations for select to authenticated
  using (
    organization_id in (select unnest(public.get_user_organization_ids((select auth.uid()))))
    or lower(email) = (select lower(auth.email()))
  );
create policy organization_invitations_insert on public.organization_invitations for insert to authenticated
  with check (public.is_organization_owner_or_admin(organization_id, (select auth.uid())));
create policy organization_invitations_update on public.organization_invitations for update to authenticated
  using (public.is_organization_owner_or_admin(organization_id, (select auth.uid())))
  with check (public.is_organization_owner_or_admin(organization_id, (select auth.uid())));
create policy organization_invitations_delete on public.organization_invitations for delete to authenticated
  using (public.is_organization_owner_or_admin(organization_id, (select auth.uid())));

-- projects: read as user_can_access_project, spelled on the row's own columns so that
-- INSERT ... RETURNING (checked before the row exists) works; organization members create
-- projects they own; project owners/admins update; project owners delete.
create policy projects_select on public.projects for select to authenticated
  using (
    (visibility = 'public' and not coalesce(is_deleted, false))
    or organization_id in (select unnest(public.get_user_organization_ids((select auth.uid()))))
    or id in (select public.get_user_project_ids((select auth.uid())))
  );
create policy projects_insert on public.projects for insert to authenticated
  with check (
    public.is_organization_member(organization_id, (select auth.uid()))
    and owned_by = (select auth.uid())
    and created_by = (select auth.uid())
  );
create policy projects_update on public.projects for update to authenticated
  using (public.is_project_owner_or_admin(id, (select auth.uid())))
  with check (
    public.is_project_owner_or_admin(id, (select auth.uid()))
    and public.is_organization_member(organization_id, (select auth.uid()))
  );
create policy projects_delete on public.projects for delete to authenticated
  using (public.is_project_owner(id, (select auth.uid())));

-- project_members: readers of the project read the roster; project owners/admins manage it;
-- only project owners hand out or take away `owner`.
create policy project_members_select on public.project_members for select to authenticated
  using (
    user_id = (select auth.uid())
    or project_id in (select public.get_accessible_project_ids((select auth.uid())))
  );
create policy project_members_insert on public.project_members for insert to authenticated
  with check (
    public.is_project_owner_or_admin(project_id, (select auth.uid()))
    and (role <> 'owner' or public.is_project_owner(project_id, (select auth.uid())))
  );
create policy project_members_update on public.project_members for update to authenticated
  using (
    public.is_project_owner_or_admin(project_id, (select auth.uid()))
    and (role <> 'owner' or public.is_project_owner(project_id, (select auth.uid())))
  )
  with check (
    public.is_project_owner_or_admin(project_id, (select auth.uid()))
    and (role <> 'owner' or public.is_project_owner(project_id, (select auth.uid())))
  );
create policy project_members_delete on public.project_members for delete to authenticated
  using (
    public.is_project_owner_or_admin(project_id, (select auth.uid()))
    and (role <> 'owner' or public.is_project_owner(project_id, (select auth.uid())))
  );

-- documents: project readers read; editors write; project owners/admins delete.
create policy documents_select on public.documents for select to authenticated
  using (project_id in (select public.get_accessible_project_ids((select auth.uid()))));
create policy documents_insert on public.documents for insert to authenticated
  with check (public.is_project_editor(project_id, (select auth.uid())));
create policy documents_update on public.documents for update to authenticated
  using (project_id in (select public.get_editable_project_ids((select auth.uid()))))
  with check (project_id in (select public.get_editable_project_ids((select auth.uid()))));
create policy documents_delete on public.documents for delete to authenticated
  using (project_id in (select public.get_administered_project_ids((select auth.uid()))));

-- blocks: through the project of their (live) document.
create policy blocks_select on public.blocks for select to authenticated
  using (document_id in (select public.get_accessible_document_ids((select auth.uid()))));
create policy blocks_insert on public.blocks for insert to authenticated
  with check (public.is_project_editor(public.document_project_id(document_id), (select auth.uid())));
create policy blocks_update on public.blocks for update to authenticated
  using (document_id in (select public.get_editable_document_ids((select auth.uid()))))
  with check (document_id in (select public.get_editable_document_ids((select auth.uid()))));
create policy blocks_delete on public.blocks for delete to authenticated
  using (document_id in (select public.get_editable_document_ids((select auth.uid()))));

-- properties: scoped to a project, else a document, else the organization (owners/admins write).
create policy properties_select on public.properties for select to authenticated
  using (
    case
      when project_id is not null then project_id in (select public.get_accessible_project_ids((select auth.uid())))
      when document_id is not null then document_id in (select public.get_accessible_document_ids((select auth.uid())))
      else org_id in (select unnest(public.get_user_organization_ids((select auth.uid()))))
    end
  );
create policy properties_insert on public.properties for insert to authenticated
  with check (
    case
      when project_id is not null then public.is_project_editor(project_id, (select auth.uid()))
      when document_id is not null then
        public.is_project_editor(public.document_project_id(document_id), (select auth.uid()))
      else public.is_organization_owner_or_admin(org_id, (select auth.uid()))
    end
  );
create policy properties_update on public.properties for update to authenticated
  using (
    case
      when project_id is not null then project_id in (select public.get_editable_project_ids((select auth.uid())))
      when document_id is not null then
        document_id in (select public.get_editable_document_ids((select auth.uid())))
      else public.is_organization_owner_or_admin(org_id, (select auth.uid()))
    end
  )
  with check (
    case
      when project_id is not null then project_id in (select public.get_editable_project_ids((select auth.uid())))
      when document_id is not null then
        document_id in (select public.get_editable_document_ids((select auth.uid())))
      else public.is_organization_owner_or_admin(org_id, (select auth.uid()))
    end
  );
create policy properties_delete on public.properties for delete to authenticated
  using (
    case
      when project_id is not null then project_id in (select public.get_editable_project_ids((select auth.uid())))
      when document_id is not null then
        document_id in (select public.get_editable_document_ids((select auth.uid())))
      else public.is_organization_owner_or_admin(org_id, (select auth.uid()))
    end
  );

-- requirements: through the project of their (live) document; editors write and delete.
create policy requirements_select on public.requirements for select to authenticated
  using (document_id in (select public.get_accessible_document_ids((select auth.uid()))));
create policy requirements_insert on public.requirements for insert to authenticated
  with check (public.is_project_editor(public.document_project_id(document_id), (select auth.uid())));
create policy requirements_update on public.requirements for update to authenticated
  using (document_id in (select public.get_editable_document_ids((select auth.uid()))))
  with check (document_id in (select public.get_editable_document_ids((select auth.uid()))));
create policy requirements_delete on public.requirements for delete to authenticated
  using (document_id in (select public.get_editable_document_ids((select auth.uid()))));

-- test_req: project readers read; editors write; project owners/admins delete.
create policy test_req_select on public.test_req for select to authenticated
  using (project_id in (select public.get_accessible_project_ids((select auth.uid()))));
create policy test_req_insert on public.test_req for insert to authenticated
  with check (public.is_project_editor(project_id, (select auth.uid())));
create policy test_req_update on public.test_req for update to authenticated
  using (project_id in (select public.get_editable_project_ids((select auth.uid()))))
  with check (project_id in (select public.get_editable_project_ids((select auth.uid()))));
create policy test_req_delete on public.test_req for delete to authenticated
  using (project_id in (select public.get_administered_project_ids((select auth.uid()))));

-- requirement_tests: through the requirement's project; linking also needs read access to the test.
create policy requirement_tests_select on public.requirement_tests for select to authenticated
  using (requirement_id in (select public.get_accessible_requirement_ids((select auth.uid()))));
create policy requirement_tests_insert on public.requirement_tests for insert to authenticated
  with check (
    public.is_project_editor(public.requirement_project_id(requirement_id), (select auth.uid()))
    and public.user_can_access_project(public.test_project_id(test_id), (select auth.uid()))
  );
create policy requirement_tests_update on public.requirement_tests for update to authenticated
  using (requirement_id in (select public.get_editable_requirement_ids((select auth.uid()))))
  with check (
    requirement_id in (select public.get_editable_requirement_ids((select auth.uid())))
    and public.user_can_access_project(public.test_project_id(test_id), (select auth.uid()))
  );
create policy requirement_tests_delete on public.requirement_tests for delete to authenticated
  using (requirement_id in (select public.get_editable_requirement_ids((select auth.uid()))));

-- trace_links: readable when both endpoints' projects are; editors of the source's project
-- write, and need read access to the target.
create policy trace_links_select on public.trace_links for select to authenticated
  using (
    (case source_type
      when 'document' then source_id in (select public.get_accessible_document_ids((select auth.uid())))
      when 'requirement' then source_id in (select public.get_accessible_requirement_ids((select auth.uid())))
    end)
    and (case target_type
      when 'document' then target_id in (select public.get_accessible_document_ids((select auth.uid())))
      when 'requirement' then target_id in (select public.get_accessible_requirement_ids((select auth.uid())))
    end)
  );
create policy trace_links_insert on public.trace_links for insert to authenticated
  with check (
    public.is_project_editor(public.entity_project_id(source_type, source_id), (select auth.uid()))
    and public.user_can_access_project(public.entity_project_id(target_type, target_id), (select auth.uid()))
  );
create policy trace_links_update on public.trace_links for update to authenticated
  using ((case source_type
      when 'document' then source_id in (select public.get_editable_document_ids((select auth.uid())))
      when 'requirement' then source_id in (select public.get_editable_requirement_ids((select auth.uid())))
    end))
  with check (
    (case source_type
      when 'document' then source_id in (select public.get_editable_document_ids((select auth.uid())))
      when 'requirement' then source_id in (select public.get_editable_requirement_ids((select auth.uid())))
    end)
    and (case target_type
        when 'document' then target_id in (select public.get_accessible_document_ids((select auth.uid())))
        when 'requirement' then target_id in (select public.get_accessible_requirement_ids((select auth.uid())))
      end)
  );
create policy trace_links_delete on public.trace_links for delete to authenticated
  using ((case source_type
      when 'document' then source_id in (select public.get_editable_document_ids((select auth.uid())))
      when 'requirement' then source_id in (select public.get_editable_requirement_ids((select auth.uid())))
    end));

-- assignments: project readers and the assignee read; editors manage; the assignee may update
-- their own assignment (status, comment) while they can read its entity.
create policy assignments_select on public.assignments for select to authenticated
  using (
    assignee_id = (select auth.uid())
    or (case entity_type
      when 'document' then entity_id in (select public.get_accessible_document_ids((select auth.uid())))
      when 'requirement' then entity_id in (select public.get_accessible_requirement_ids((select auth.uid())))
    end)
  );
create policy assignments_insert on public.assignments for insert to authenticated
  with check (public.is_project_editor(public.entity_project_id(entity_type, entity_id), (select auth.uid())));
create policy assignments_update on public.assignments for update to authenticated
  using (
    assignee_id = (select auth.uid())
    or (case entity_type
      when 'document' then entity_id in (select public.get_editable_document_ids((select auth.uid())))
      when 'requirement' then entity_id in (select public.get_editable_requirement_ids((select auth.uid())))
    end)
  )
  with check (
    (case entity_type
      when 'document' then entity_id in (select public.get_editable_document_ids((select auth.uid())))
      when 'requirement' then entity_id in (select public.get_editable_requirement_ids((select auth.uid())))
    end)
    or (
      assignee_id = (select auth.uid())
      and (case entity_type
        when 'document' then entity_id in (select public.get_accessible_document_ids((select auth.uid())))
        when 'requirement' then entity_id in (select public.get_accessible_requirement_ids((select auth.uid())))
      end)
    )
  );
create policy assignments_delete on public.assignments for delete to authenticated
  using ((case entity_type
      when 'document' then entity_id in (select public.get_editable_document_ids((select auth.uid())))
      when 'requirement' then entity_id in (select public.get_editable_requirement_ids((select auth.uid())))
    end));

-- workflows: organization members read and create their own; the creator (still a member) or an
-- organization owner/admin changes and deletes.
create policy workflows_select on public.workflows for select to authenticated
  using (organization_id in (select unnest(public.get_user_organization_ids((select auth.uid())))));
create policy workflows_insert on public.workflows for insert to authenticated
  with check (
    public.is_organization_member(organization_id, (select auth.uid()))
    and created_by = (select auth.uid())
  );
create policy workflows_update on public.workflows for update to authenticated
  using (
    public.is_organization_owner_or_admin(organization_id, (select auth.uid()))
    or (created_by = (select auth.uid()) and public.is_organization_member(organization_id, (select auth.uid())))
  )
  with check (
    public.is_organization_owner_or_admin(organization_id, (select auth.uid()))
    or (created_by = (select auth.uid()) and public.is_organization_member(organization_id, (select auth.uid())))
  );
create policy workflows_delete on public.workflows for delete to authenticated
  using (
    public.is_organization_owner_or_admin(organization_id, (select auth.uid()))
    or (created_by = (select auth.uid()) and public.is_organization_member(organization_id, (select auth.uid())))
  );

-- workflow_runs: members of the workflow's organization read and start runs; the starter
-- records progress; organization owners/admins may also update and delete.
create policy workflow_runs_select on public.workflow_runs for select to authenticated
  using (workflow_id in (select public.get_accessible_workflow_ids((select auth.uid()))));
create policy workflow_runs_insert on public.workflow_runs for insert to authenticated
  with check (
    public.is_organization_member(public.workflow_organization_id(workflow_id), (select auth.uid()))
    and created_by = (select auth.uid())
  );
create policy workflow_runs_update on public.workflow_runs for update to authenticated
  using (
    public.is_organization_owner_or_admin(public.workflow_organization_id(workflow_id), (select auth.uid()))
    or (
      created_by = (select auth.uid())
      and public.is_organization_member(public.workflow_organization_id(workflow_id), (select auth.uid()))
    )
  )
  with check (
    public.is_organization_owner_or_admin(public.workflow_organization_id(workflow_id), (select auth.uid()))
    or (
      created_by = (select auth.uid())
      and public.is_organization_member(public.workflow_organization_id(workflow_id), (select auth.uid()))
    )
  );
create policy workflow_runs_delete on public.workflow_runs for delete to authenticated
  using (public.is_organization_owner_or_admin(public.workflow_organization_id(workflow_id), (select auth.uid())));
