-- Rolls back 20250101001200_rls_helpers_plpgsql.sql: the helpers it wrapped in PL/pgSQL become
-- SQL functions again, with the very bodies 20250101000600 gave them (unwrapped from the
-- `return query …;` / `return (…);` the migration put around them).
do $$
declare
  saved_path text := current_setting('search_path');
  prefix constant text := E'\n#variable_conflict use_column\nbegin\n';
  -- What the migration put around a set-returning and a scalar query.
  set_open constant text := E'  return query\n';
  set_close constant text := E';\nend\n';
  scalar_open constant text := E'  return (\n';
  scalar_close constant text := E'\n  );\nend\n';
  f record;
  query text;
  open text;
  close text;
begin
  perform set_config('search_path', '', true);
  for f in
    select p.proname, pg_get_function_arguments(p.oid) as args, pg_get_function_result(p.oid) as result,
      p.proretset, p.prorows, p.provolatile, p.prosecdef, p.prosrc
    from pg_proc p
    join pg_namespace n on n.oid = p.pronamespace
    join pg_language l on l.oid = p.prolang
    where n.nspname = 'public' and l.lanname = 'plpgsql' and starts_with(p.prosrc, prefix)
  loop
    query := substr(f.prosrc, length(prefix) + 1);
    open := case when f.proretset then set_open else scalar_open end;
    close := case when f.proretset then set_close else scalar_close end;
    if not (starts_with(query, open) and right(query, length(close)) = close) then
      raise exception 'public.% was changed after 20250101001200; roll it back by hand', f.proname;
    end if;
    query := substr(query, length(open) + 1, length(query) - length(open) - length(close));
    execute format(
      'create or replace function public.%I(%s) returns %s language sql %s%s%s set search_path = '''' as %L',
      f.proname, f.args, f.result,
      case f.provolatile when 'i' then 'immutable' when 's' then 'stable' else 'volatile' end,
      case when f.prosecdef then ' security definer' else '' end,
      case when f.proretset then ' rows ' || f.prorows else '' end,
      E'\n' || query || E'\n'
    );
  end loop;
  perform set_config('search_path', saved_path, true);
end
$$;
