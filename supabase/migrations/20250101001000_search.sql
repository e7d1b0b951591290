-- Full-text search across workspaces, projects, documents, requirements and tests, ranked with
-- ts_rank over each table's `fts_vector`. `security invoker`: RLS decides which rows match.
-- The server calls it as `rpc/search_entities` (entity.search_entities, query.advanced_search).
-- Result: {total, hits[{entity_type,id,title,rank,workspace_id,project_id,status,priority,
-- is_deleted,updated_at}], facets{entity_type{},status{},priority{}}} — facets count every match,
-- hits are one page of them.

create or replace function public.search_entities(
  search_text text,
  entity_types text[] default null,
  workspace_id uuid default null,
  project_id uuid default null,
  statuses text[] default null,
  priorities text[] default null,
  include_deleted boolean default false,
  max_results integer default 20,
  skip integer default 0
) returns jsonb
language plpgsql stable security invoker
set search_path = ''
as $$
declare
  all_types constant text[] := array['organization', 'project', 'document', 'requirement', 'test'];
  wanted text[] := coalesce(search_entities.entity_types, all_types);
  q tsquery;
  result jsonb;
begin
  if search_entities.search_text is null or length(trim(search_entities.search_text)) = 0 then
    raise exception 'search_entities: "search_text" is required' using errcode = '22023';
  end if;
  if exists (select 1 from unnest(wanted) t where not (t = any (all_types))) then
    raise exception 'search_entities: unknown entity type in %', wanted::text
      using errcode = '22023', hint = 'Use types from: ' || array_to_string(all_types, ', ') || '.';
  end if;
  if search_entities.max_results is null or search_entities.max_results < 1 or search_entities.max_results > 100
    or search_entities.skip is null or search_entities.skip < 0 then
    raise exception 'search_entities: max_results must be 1..100 and skip >= 0' using errcode = '22023';
  end if;
  q := websearch_to_tsquery('english'::regconfig, search_entities.search_text);

  with matches as (
    select 'organization'::text as entity_type, o.id, o.name as title, ts_rank(o.fts_vector, q) as rank,
      o.id as workspace_id, null::uuid as project_id, o.status::text as status, null::text as priority,
      coalesce(o.is_deleted, false) as is_deleted, o.updated_at
    from public.organizations o
    where 'organization' = any (wanted) and o.fts_vector @@ q
    union all
    select 'project', p.id, p.name, ts_rank(p.fts_vector, q), p.organization_id, p.id, p.status::text, null,
      coalesce(p.is_deleted, false), p.updated_at
    from public.projects p
    where 'project' = any (wanted) and p.fts_vector @@ q
    union all
    select 'document', d.id, d.name, ts_rank(d.fts_vector, q), p.organization_id, d.project_id, null, null,
      coalesce(d.is_deleted, false), d.updated_at
    from public.documents d join public.projects p on p.id = d.project_id
    where 'document' = any (wanted) and d.fts_vector @@ q
    union all
    select 'requirement', r.id, r.name, ts_rank(r.fts_vector, q), p.organization_id, d.project_id, r.status::text,
      r.priority::text, coalesce(r.is_deleted, false), r.updated_at
    from public.requirements r
    join public.documents d on d.id = r.document_id
    join public.projects p on p.id = d.project_id
    where 'requirement' = any (wanted) and r.fts_vector @@ q
    union all
    select 'test', t.id, t.title, ts_rank(t.fts_vector, q), p.organization_id, t.project_id, t.status::text,
      t.priority::text, t.is_deleted, t.updated_at
    from public.test_req t join public.projects p on p.id = t.project_id
    where 'test' = any (wanted) and t.fts_vector @@ q
  ),
  scoped as (
    select m.* from matches m
    where (search_entities.include_deleted or not m.is_deleted)
      and (search_entities.workspace_id is null or m.workspace_id = search_entities.workspace_id)
      and (search_entities.project_id is null or m.project_id = search_entities.project_id)
      and (search_entities.statuses is null or m.status = any (search_entities.statuses))
      and (search_entities.priorities is null or m.priority = any (search_entities.priorities))
  ),
  page as (
    select * from scoped
    order by rank desc, updated_at desc nulls last, id
    limit search_entities.max_results offset search_entities.skip
  )
  select jsonb_build_object(
    'total', (select count(*) from scoped),
    'hits', coalesce((select jsonb_agg(to_jsonb(page) order by page.rank desc, page.updated_at desc nulls last, page.id) from page), '[]'::jsonb),
    'facets', jsonb_build_object(
      'entity_type', coalesce((select jsonb_object_agg(k, n) from (select entity_type as k, count(*) as n from scoped group by 1) f), '{}'::jsonb),
      'status', coalesce((select jsonb_object_agg(k, n) from (select status as k, count(*) as n from scoped where status is not null group by 1) f), '{}'::jsonb),
      'priority', coalesce((select jsonb_object_agg(k, n) from (select priority as k, count(*) as n from scoped where priority is not null group by 1) f), '{}'::jsonb)
    )
  ) into result;
  return result;
end
$$;

revoke all on function public.search_entities(text, text[], uuid, uuid, text[], text[], boolean, integer, integer) from public, anon;
grant execute on function public.search_entities(text, text[], uuid, uuid, text[], text[], boolean, integer, integer)
  to authenticated, service_role;
