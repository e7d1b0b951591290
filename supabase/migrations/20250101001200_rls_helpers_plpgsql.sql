-- The row-level security helpers of 20250101000600_rls_helpers.sql, same bodies, in PL/pgSQL.
-- A `security definer` SQL function with its own search_path is never inlined, so Postgres plans
-- its query again on every call: the set-returning helpers behind the SELECT policies cost more to
-- plan than to run, once per statement and twice for a counted read (page and count). PL/pgSQL
-- keeps each query's plan for the connection's lifetime.
-- Each helper is rebuilt from its own catalog entry (arguments, result, volatility, security,
-- rows, body), so the bodies are written once, in 20250101000600. `#variable_conflict use_column`
-- keeps SQL-function name resolution (a column wins over a parameter of the same name); a scalar
-- body returns its one row, or NULL when there is none, as before. Grants, owners and comments
-- stay (create or replace). The rollback unwraps the bodies again.
do $$
declare
  saved_path text := current_setting('search_path');
  f record;
begin
  -- Types in the rebuilt signatures come out schema-qualified.
  perform set_config('search_path', '', true);
  for f in
    select p.proname, pg_get_function_arguments(p.oid) as args, pg_get_function_result(p.oid) as result,
      p.proretset, p.prorows, p.provolatile, p.prosecdef, p.prosrc
    from pg_proc p
    where p.oid = any (array[
      'public.is_caller_or_trusted(uuid)', 'public.is_organization_member(uuid, uuid)',
      'public.is_organization_owner_or_admin(uuid, uuid)', 'public.is_organization_owner(uuid, uuid)',
      'public.is_organization_created(uuid, uuid)', 'public.is_super_admin(uuid)', 'public.get_user_organization_ids(uuid)',
      'public.is_project_member(uuid, uuid)', 'public.user_can_access_project(uuid, uuid)',
      'public.is_project_owner_or_admin(uuid, uuid)', 'public.is_project_owner(uuid, uuid)',
      'public.is_project_editor(uuid, uuid)', 'public.document_project_id(uuid)',
      'public.requirement_project_id(uuid)', 'public.test_project_id(uuid)',
      'public.entity_project_id(public.entity_type, uuid)', 'public.workflow_organization_id(uuid)',
      'public.get_user_project_ids(uuid)', 'public.get_accessible_project_ids(uuid)',
      'public.get_accessible_document_ids(uuid)', 'public.get_accessible_requirement_ids(uuid)',
      'public.get_accessible_workflow_ids(uuid)', 'public.get_editable_project_ids(uuid)',
      'public.get_administered_project_ids(uuid)', 'public.get_editable_document_ids(uuid)',
      'public.get_editable_requirement_ids(uuid)'
    ]::regprocedure[])
  loop
    execute format(
      'create or replace function public.%I(%s) returns %s language plpgsql %s%s%s set search_path = '''' as %L',
      f.proname, f.args, f.result,
      case f.provolatile when 'i' then 'immutable' when 's' then 'stable' else 'volatile' end,
      case when f.prosecdef then ' security definer' else '' end,
      case when f.proretset then ' rows ' || f.prorows else '' end,
      -- The SQL body is "\n<query>\n"; the query goes inside `return query …;` or `return (…);`.
      E'\n#variable_conflict use_column\nbegin\n'
        || case when f.proretset
          then E'  return query\n' || trim(trailing E'\n' from ltrim(f.prosrc, E'\n')) || E';\nend\n'
          else E'  return (\n' || trim(trailing E'\n' from ltrim(f.prosrc, E'\n')) || E'\n  );\nend\n'
        end
    );
  end loop;
  perform set_config('search_path', saved_path, true);
end
$$;
