-- Functions the MCP server calls through `rpc/<name>`. All are `security invoker`: they read
-- the tables as the caller, so row-level security decides what they see and count.

-- The display label of a node, or NULL when the caller cannot see its row.
create function public.graph_node_label(node_type text, node_id uuid) returns text
language sql stable security invoker
set search_path = ''
as $$
  select case graph_node_label.node_type
    when 'organization' then (select o.name from public.organizations o where o.id = graph_node_label.node_id)
    when 'project' then (select p.name from public.projects p where p.id = graph_node_label.node_id)
    when 'document' then (select d.name from public.documents d where d.id = graph_node_label.node_id)
    when 'block' then (select b.name from public.blocks b where b.id = graph_node_label.node_id)
    when 'requirement' then (select r.name from public.requirements r where r.id = graph_node_label.node_id)
    when 'test' then (select t.title from public.test_req t where t.id = graph_node_label.node_id)
    when 'property' then (select pr.name from public.properties pr where pr.id = graph_node_label.node_id)
    when 'profile' then (
      select coalesce(pf.full_name, pf.email) from public.profiles pf where pf.id = graph_node_label.node_id
    )
  end
$$;

-- Walks the relationship edges (org_member, project_member, trace_link, requirement_test,
-- assignment; soft-deleted links skipped) from a root in both directions, at most `depth` hops
-- (0..5). Paths never revisit a node, so cycles end; nodes the caller cannot read are dropped
-- and not walked through. Result: {root, depth, kinds, nodes[{id,type,label,depth}],
-- edges[{id,kind,source_id,source_type,target_id,target_type,attributes}]}.
create function public.get_relationship_graph(
  root_id uuid,
  root_type text,
  depth integer default 2,
  kinds text[] default null
) returns jsonb
language plpgsql stable security invoker
set search_path = ''
as $$
declare
  all_kinds constant text[] := array['org_member', 'project_member', 'trace_link', 'requirement_test', 'assignment'];
  node_types constant text[] := array['organization', 'project', 'document', 'block', 'requirement', 'test', 'property', 'profile'];
  max_depth integer := get_relationship_graph.depth;
  wanted text[] := coalesce(get_relationship_graph.kinds, all_kinds);
  result jsonb;
begin
  if get_relationship_graph.root_id is null then
    raise exception 'get_relationship_graph: "root_id" is required'
      using errcode = '22023', hint = 'Pass the id of the entity to start from.';
  end if;
  if get_relationship_graph.root_type is null or not (get_relationship_graph.root_type = any (node_types)) then
    raise exception 'get_relationship_graph: unknown root_type "%"', get_relationship_graph.root_type
      using errcode = '22023', hint = 'Use one of: ' || array_to_string(node_types, ', ') || '.';
  end if;
  if max_depth is null or max_depth < 0 or max_depth > 5 then
    raise exception 'get_relationship_graph: depth % is out of range', max_depth
      using errcode = '22023', hint = 'Use a depth from 0 to 5.';
  end if;
  if exists (select 1 from unnest(wanted) k where not (k = any (all_kinds))) then
    raise exception 'get_relationship_graph: unknown kind in %', wanted::text
      using errcode = '22023', hint = 'Use kinds from: ' || array_to_string(all_kinds, ', ') || '.';
  end if;
  if public.graph_node_label(get_relationship_graph.root_type, get_relationship_graph.root_id) is null then
    raise exception 'get_relationship_graph: % "%" not found', get_relationship_graph.root_type, get_relationship_graph.root_id
      using errcode = 'P0002', hint = 'Check the id, or that the caller may read it.';
  end if;

  with recursive edges as materialized (
    select m.id, 'org_member'::text as kind, m.organization_id as source_id, 'organization'::text as source_type,
      m.user_id as target_id, 'profile'::text as target_type,
      jsonb_build_object('role', m.role, 'status', m.status) as attributes
    from public.organization_members m
    where 'org_member' = any (wanted) and not coalesce(m.is_deleted, false)
    union all
    select pm.id, 'project_member', pm.project_id, 'project', pm.user_id, 'profile',
      jsonb_build_object('role', pm.role, 'status', pm.status)
    from public.project_members pm
    where 'project_member' = any (wanted) and not coalesce(pm.is_deleted, false)
    union all
    select t.id, 'trace_link', t.source_id, t.source_type::text, t.target_id, t.target_type::text,
      jsonb_build_object('link_type', t.link_type, 'description', t.description)
    from public.trace_links t
    where 'trace_link' = any (wanted) and not coalesce(t.is_deleted, false)
    union all
    select rt.id, 'requirement_test', rt.requirement_id, 'requirement', rt.test_id, 'test',
      jsonb_build_object('execution_status', rt.execution_status)
    from public.requirement_tests rt
    where 'requirement_test' = any (wanted)
    union all
    select a.id, 'assignment', a.entity_id, a.entity_type::text, a.assignee_id, 'profile',
      jsonb_build_object('role', a.role, 'status', a.status)
    from public.assignments a
    where 'assignment' = any (wanted) and not coalesce(a.is_deleted, false)
  ),
  walk (node_id, node_type, hops, visible, path) as (
    select get_relationship_graph.root_id, get_relationship_graph.root_type, 0, true,
      array[get_relationship_graph.root_type || ':' || get_relationship_graph.root_id::text]
    union all
    select nxt.node_id, nxt.node_type, w.hops + 1,
      public.graph_node_label(nxt.node_type, nxt.node_id) is not null,
      w.path || (nxt.node_type || ':' || nxt.node_id::text)
    from walk w
    join edges e
      on (e.source_id = w.node_id and e.source_type = w.node_type)
      or (e.target_id = w.node_id and e.target_type = w.node_type)
    cross join lateral (
      select
        case when e.source_id = w.node_id and e.source_type = w.node_type then e.target_id else e.source_id end as node_id,
        case when e.source_id = w.node_id and e.source_type = w.node_type then e.target_type else e.source_type end as node_type
    ) nxt
    where w.hops < max_depth
      and w.visible
      and not ((nxt.node_type || ':' || nxt.node_id::text) = any (w.path))
  ),
  nodes as (
    select node_id, node_type, min(hops) as hops
    from walk
    where visible
    group by node_id, node_type
  ),
  graph_edges as (
    select distinct e.*
    from edges e
    join nodes s on s.node_id = e.source_id and s.node_type = e.source_type
    join nodes t on t.node_id = e.target_id and t.node_type = e.target_type
    where least(s.hops, t.hops) < max_depth
  )
  select jsonb_build_object(
    'root', jsonb_build_object('id', get_relationship_graph.root_id, 'type', get_relationship_graph.root_type),
    'depth', max_depth,
    'kinds', to_jsonb(wanted),
    'nodes', coalesce((
      select jsonb_agg(jsonb_build_object(
        'id', n.node_id, 'type', n.node_type,
        'label', public.graph_node_label(n.node_type, n.node_id), 'depth', n.hops
      ) order by n.hops, n.node_type, n.node_id)
      from nodes n
    ), '[]'::jsonb),
    'edges', coalesce((
      select jsonb_agg(jsonb_build_object(
        'id', g.id, 'kind', g.kind, 'source_id', g.source_id, 'source_type', g.source_type,
        'target_id', g.target_id, 'target_type', g.target_type, 'attributes', g.attributes
      ) order by g.kind, g.id)
      from graph_edges g
    ), '[]'::jsonb)
  ) into result;
  return result;
end
$$;

-- Counts of live projects, documents, requirements and tests the caller can read, in one
-- workspace, one project, or (both NULL) everywhere; every enum value appears, zeros included.
-- Coverage: share of live requirements linked to at least one live test.
create function public.get_query_stats(workspace_id uuid default null, project_id uuid default null)
returns jsonb
language sql stable security invoker
set search_path = ''
as $$
  with scoped_projects as (
    select p.* from public.projects p
    where not coalesce(p.is_deleted, false)
      and (get_query_stats.workspace_id is null or p.organization_id = get_query_stats.workspace_id)
      and (get_query_stats.project_id is null or p.id = get_query_stats.project_id)
  ),
  scoped_documents as (
    select d.* from public.documents d
    join scoped_projects p on p.id = d.project_id
    where not coalesce(d.is_deleted, false)
  ),
  scoped_requirements as (
    select r.* from public.requirements r
    join scoped_documents d on d.id = r.document_id
    where not coalesce(r.is_deleted, false)
  ),
  scoped_tests as (
    select t.* from public.test_req t
    join scoped_projects p on p.id = t.project_id
    where not t.is_deleted
  ),
  covered as (
    select count(*)::integer as n from scoped_requirements r
    where exists (
      select 1 from public.requirement_tests rt
      join public.test_req t on t.id = rt.test_id and not t.is_deleted
      where rt.requirement_id = r.id
    )
  ),
  totals as (
    select
      (select count(*)::integer from scoped_projects) as projects,
      (select count(*)::integer from scoped_documents) as documents,
      (select count(*)::integer from scoped_requirements) as requirements,
      (select count(*)::integer from scoped_tests) as tests
  )
  select jsonb_build_object(
    'scope', jsonb_build_object('workspace_id', get_query_stats.workspace_id, 'project_id', get_query_stats.project_id),
    'totals', (select to_jsonb(totals) from totals),
    'projects', jsonb_build_object(
      'by_status', (select jsonb_object_agg(s, (select count(*) from scoped_projects p where p.status = s))
        from unnest(enum_range(null::public.project_status)) s)
    ),
    'requirements', jsonb_build_object(
      'by_status', (select jsonb_object_agg(s, (select count(*) from scoped_requirements r where r.status = s))
        from unnest(enum_range(null::public.requirement_status)) s),
      'by_priority', (select jsonb_object_agg(s, (select count(*) from scoped_requirements r where r.priority = s))
        from unnest(enum_range(null::public.requirement_priority)) s)
    ),
    'tests', jsonb_build_object(
      'by_status', (select jsonb_object_agg(s, (select count(*) from scoped_tests t where t.status = s))
        from unnest(enum_range(null::public.test_status)) s),
      'by_priority', (select jsonb_object_agg(s, (select count(*) from scoped_tests t where t.priority = s))
        from unnest(enum_range(null::public.test_priority)) s)
    ),
    'coverage', jsonb_build_object(
      'requirements', (select requirements from totals),
      'covered', (select n from covered),
      'percent', (
        select case when t.requirements = 0 then 0
          else round(100.0 * c.n / t.requirements, 2) end
        from totals t, covered c
      )
    )
  )
$$;

revoke all on function
  public.graph_node_label(text, uuid),
  public.get_relationship_graph(uuid, text, integer, text[]),
  public.get_query_stats(uuid, uuid)
from public, anon;
grant execute on function
  public.graph_node_label(text, uuid),
  public.get_relationship_graph(uuid, text, integer, text[]),
  public.get_query_stats(uuid, uuid)
to authenticated, service_role;
