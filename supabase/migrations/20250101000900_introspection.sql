-- The schema suite's introspection RPC: `atoms_introspect(schemas)` returns the catalog of the
-- given schemas (tables, columns, constraints, indexes, triggers, policies, grants, enums,
-- sequences, functions) as one jsonb value, so the suite can check a live project that gives no
-- database URL. `security definer` with an empty search_path, so it reads the whole catalog
-- whoever calls it; therefore only `service_role` may call it.
-- The body is `suites/schema/lib/catalogSql.ts` verbatim; the schema suite keeps both equal.

create function public.atoms_introspect(schemas text[] default array['public']) returns jsonb
language sql stable security definer
set search_path = ''
as $$
with
  ns as (
    select n.oid, n.nspname from pg_catalog.pg_namespace n where n.nspname = any ($1::text[])
  ),
  api_roles as (
    select r.oid, r.rolname from pg_catalog.pg_roles r
    where r.rolname in ('anon', 'authenticated', 'service_role')
  ),
  rels as (
    select c.oid, ns.nspname, c.relname, c.relkind, c.relrowsecurity, c.relforcerowsecurity
    from pg_catalog.pg_class c
    join ns on ns.oid = c.relnamespace
    where c.relkind in ('r', 'p', 'v', 'm', 'f')
  ),
  cols as (
    select a.attrelid as relid, pg_catalog.jsonb_object_agg(a.attname, pg_catalog.jsonb_build_object(
      'position', a.attnum,
      'type', pg_catalog.format_type(a.atttypid, a.atttypmod),
      'nullable', not a.attnotnull,
      'default', case when a.attgenerated = '' then pg_catalog.pg_get_expr(d.adbin, d.adrelid) end,
      'generated', case when a.attgenerated <> '' then pg_catalog.pg_get_expr(d.adbin, d.adrelid) end,
      'identity', case a.attidentity when 'a' then 'always' when 'd' then 'by default' end
    )) as columns
    from pg_catalog.pg_attribute a
    join rels r on r.oid = a.attrelid
    left join pg_catalog.pg_attrdef d on d.adrelid = a.attrelid and d.adnum = a.attnum
    where a.attnum > 0 and not a.attisdropped
    group by a.attrelid
  ),
  cons as (
    select con.conrelid as relid, pg_catalog.jsonb_object_agg(con.conname, pg_catalog.jsonb_build_object(
      'type', case con.contype
        when 'p' then 'primary key' when 'f' then 'foreign key' when 'u' then 'unique'
        when 'c' then 'check' else 'exclusion' end,
      'columns', (
        select coalesce(pg_catalog.jsonb_agg(a.attname order by pg_catalog.array_position(con.conkey, a.attnum)), '[]'::jsonb)
        from pg_catalog.pg_attribute a
        where a.attrelid = con.conrelid and a.attnum = any (con.conkey)
      ),
      'definition', pg_catalog.pg_get_constraintdef(con.oid, true),
      'references', case when con.contype = 'f' then pg_catalog.jsonb_build_object(
        'table', fn.nspname || '.' || fc.relname,
        'columns', (
          select coalesce(pg_catalog.jsonb_agg(a.attname order by pg_catalog.array_position(con.confkey, a.attnum)), '[]'::jsonb)
          from pg_catalog.pg_attribute a
          where a.attrelid = con.confrelid and a.attnum = any (con.confkey)
        )
      ) end,
      'onDelete', case when con.contype = 'f' then case con.confdeltype
        when 'a' then 'no action' when 'r' then 'restrict' when 'c' then 'cascade'
        when 'n' then 'set null' else 'set default' end end,
      'onUpdate', case when con.contype = 'f' then case con.confupdtype
        when 'a' then 'no action' when 'r' then 'restrict' when 'c' then 'cascade'
        when 'n' then 'set null' else 'set default' end end
    )) as constraints
    from pg_catalog.pg_constraint con
    join rels r on r.oid = con.conrelid
    left join pg_catalog.pg_class fc on fc.oid = con.confrelid
    left join pg_catalog.pg_namespace fn on fn.oid = fc.relnamespace
    where con.contype in ('p', 'f', 'u', 'c', 'x')
    group by con.conrelid
  ),
  idx as (
    select i.indrelid as relid, pg_catalog.jsonb_object_agg(ic.relname, pg_catalog.jsonb_build_object(
      'method', am.amname,
      'unique', i.indisunique,
      'primary', i.indisprimary,
      'columns', (
        select pg_catalog.jsonb_agg(pg_catalog.pg_get_indexdef(i.indexrelid, k, true) order by k)
        from pg_catalog.generate_series(1, i.indnkeyatts::integer) k
      ),
      'predicate', pg_catalog.pg_get_expr(i.indpred, i.indrelid),
      'constraint', ixc.conname
    )) as indexes
    from pg_catalog.pg_index i
    join rels r on r.oid = i.indrelid
    join pg_catalog.pg_class ic on ic.oid = i.indexrelid
    join pg_catalog.pg_am am on am.oid = ic.relam
    left join pg_catalog.pg_constraint ixc on ixc.conindid = i.indexrelid and ixc.conrelid = i.indrelid
    group by i.indrelid
  ),
  trg as (
    select t.tgrelid as relid, pg_catalog.jsonb_object_agg(t.tgname, pg_catalog.pg_get_triggerdef(t.oid)) as triggers
    from pg_catalog.pg_trigger t
    join rels r on r.oid = t.tgrelid
    where not t.tgisinternal
    group by t.tgrelid
  ),
  pols as (
    select pol.polrelid as relid, pg_catalog.jsonb_object_agg(pol.polname, pg_catalog.jsonb_build_object(
      'command', case pol.polcmd
        when 'r' then 'select' when 'a' then 'insert' when 'w' then 'update' when 'd' then 'delete' else 'all' end,
      'permissive', pol.polpermissive,
      'roles', (
        select pg_catalog.jsonb_agg(
          case when ro.oid = 0 then 'public' else rr.rolname end
          order by case when ro.oid = 0 then 'public' else rr.rolname end
        )
        from unnest(pol.polroles) ro(oid)
        left join pg_catalog.pg_roles rr on rr.oid = ro.oid
      ),
      'using', pg_catalog.pg_get_expr(pol.polqual, pol.polrelid),
      'check', pg_catalog.pg_get_expr(pol.polwithcheck, pol.polrelid)
    )) as policies
    from pg_catalog.pg_policy pol
    join rels r on r.oid = pol.polrelid
    group by pol.polrelid
  ),
  grants as (
    select g.relid, pg_catalog.jsonb_object_agg(g.rolname, g.privileges) as grants
    from (
      select r.oid as relid, ar.rolname, (
        select coalesce(pg_catalog.jsonb_agg(p.privilege order by p.privilege), '[]'::jsonb)
        from unnest(array['DELETE', 'INSERT', 'REFERENCES', 'SELECT', 'TRIGGER', 'TRUNCATE', 'UPDATE']) p(privilege)
        where pg_catalog.has_table_privilege(ar.oid, r.oid, p.privilege)
      ) as privileges
      from rels r cross join api_roles ar
    ) g
    group by g.relid
  ),
  colgrants as (
    select g.relid, pg_catalog.jsonb_object_agg(g.rolname, g.columns) as column_grants
    from (
      select c.relid, c.rolname, pg_catalog.jsonb_object_agg(c.attname, c.privileges) as columns
      from (
        select a.attrelid as relid, ar.rolname, a.attname,
          pg_catalog.jsonb_agg(x.privilege_type order by x.privilege_type) as privileges
        from pg_catalog.pg_attribute a
        join rels r on r.oid = a.attrelid
        cross join lateral pg_catalog.aclexplode(a.attacl) x
        join api_roles ar on ar.oid = x.grantee
        where a.attacl is not null and a.attnum > 0 and not a.attisdropped
        group by a.attrelid, ar.rolname, a.attname
      ) c
      group by c.relid, c.rolname
    ) g
    group by g.relid
  ),
  enum_values as (
    select e.enumtypid, pg_catalog.jsonb_agg(e.enumlabel order by e.enumsortorder) as labels
    from pg_catalog.pg_enum e
    group by e.enumtypid
  )
select pg_catalog.jsonb_build_object(
  'formatVersion', 1,
  'schemas', (select coalesce(pg_catalog.jsonb_agg(ns.nspname order by ns.nspname), '[]'::jsonb) from ns),
  'tables', (
    select coalesce(pg_catalog.jsonb_object_agg(r.nspname || '.' || r.relname, pg_catalog.jsonb_build_object(
      'kind', case r.relkind
        when 'r' then 'table' when 'p' then 'partitioned table' when 'v' then 'view'
        when 'm' then 'materialized view' else 'foreign table' end,
      'rls', r.relrowsecurity,
      'forceRls', r.relforcerowsecurity,
      'viewDefinition', case when r.relkind in ('v', 'm') then pg_catalog.pg_get_viewdef(r.oid, true) end,
      'columns', coalesce(cols.columns, '{}'::jsonb),
      'constraints', coalesce(cons.constraints, '{}'::jsonb),
      'indexes', coalesce(idx.indexes, '{}'::jsonb),
      'triggers', coalesce(trg.triggers, '{}'::jsonb),
      'policies', coalesce(pols.policies, '{}'::jsonb),
      'grants', coalesce(grants.grants, '{}'::jsonb),
      'columnGrants', coalesce(colgrants.column_grants, '{}'::jsonb)
    )), '{}'::jsonb)
    from rels r
    left join cols on cols.relid = r.oid
    left join cons on cons.relid = r.oid
    left join idx on idx.relid = r.oid
    left join trg on trg.relid = r.oid
    left join pols on pols.relid = r.oid
    left join grants on grants.relid = r.oid
    left join colgrants on colgrants.relid = r.oid
  ),
  'enums', (
    select coalesce(pg_catalog.jsonb_object_agg(ns.nspname || '.' || t.typname, ev.labels), '{}'::jsonb)
    from pg_catalog.pg_type t
    join ns on ns.oid = t.typnamespace
    join enum_values ev on ev.enumtypid = t.oid
    where t.typtype = 'e'
  ),
  'sequences', (
    select coalesce(pg_catalog.jsonb_object_agg(ns.nspname || '.' || c.relname, pg_catalog.jsonb_build_object(
      'type', pg_catalog.format_type(s.seqtypid, null),
      'ownedBy', (
        select oc.relname || '.' || a.attname
        from pg_catalog.pg_depend dep
        join pg_catalog.pg_class oc on oc.oid = dep.refobjid
        join pg_catalog.pg_attribute a on a.attrelid = dep.refobjid and a.attnum = dep.refobjsubid
        where dep.classid = 'pg_catalog.pg_class'::pg_catalog.regclass and dep.objid = c.oid
          and dep.refclassid = 'pg_catalog.pg_class'::pg_catalog.regclass and dep.deptype in ('a', 'i')
        limit 1
      )
    )), '{}'::jsonb)
    from pg_catalog.pg_class c
    join ns on ns.oid = c.relnamespace
    join pg_catalog.pg_sequence s on s.seqrelid = c.oid
    where c.relkind = 'S'
  ),
  'functions', (
    select coalesce(pg_catalog.jsonb_object_agg(
      ns.nspname || '.' || p.proname || '(' || pg_catalog.oidvectortypes(p.proargtypes) || ')',
      pg_catalog.jsonb_build_object(
        'arguments', pg_catalog.pg_get_function_identity_arguments(p.oid),
        'kind', case p.prokind when 'f' then 'function' when 'p' then 'procedure' when 'a' then 'aggregate' else 'window' end,
        'returns', pg_catalog.pg_get_function_result(p.oid),
        'language', l.lanname,
        'volatility', case p.provolatile when 'i' then 'immutable' when 's' then 'stable' else 'volatile' end,
        'securityDefiner', p.prosecdef,
        'searchPath', (
          select pg_catalog.substr(cfg, 13) from unnest(p.proconfig) cfg where pg_catalog.starts_with(cfg, 'search_path=') limit 1
        ),
        'config', coalesce(pg_catalog.to_jsonb(p.proconfig), '[]'::jsonb),
        'bodyHash', pg_catalog.md5(coalesce(p.prosrc, '')),
        'executableBy', (
          select coalesce(pg_catalog.jsonb_agg(ar.rolname order by ar.rolname), '[]'::jsonb)
          from api_roles ar
          where pg_catalog.has_function_privilege(ar.oid, p.oid, 'EXECUTE')
        )
      )
    ), '{}'::jsonb)
    from pg_catalog.pg_proc p
    join ns on ns.oid = p.pronamespace
    join pg_catalog.pg_language l on l.oid = p.prolang
  )
) as catalog
$$;

revoke all on function public.atoms_introspect(text[]) from public, anon, authenticated;
grant execute on function public.atoms_introspect(text[]) to service_role;
