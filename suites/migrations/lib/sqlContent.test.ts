import { createHash } from 'node:crypto'
import { describe, expect, test } from 'vitest'
import { contentHash, normalizeSql, statementsHash } from './sqlContent.ts'

describe('normalizeSql', () => {
  test('drops line and block comments (nested too), all whitespace and top-level semicolons', () => {
    const sql = [
      '-- the projects table',
      'create table public.projects (',
      '  id   uuid primary key, /* the key */',
      '\tname text not null /* outer /* inner */ still outer */',
      ');  -- done',
      '',
      'alter table public.projects enable row level security;',
    ].join('\n')
    expect(normalizeSql(sql)).toBe('createtablepublic.projects(iduuidprimarykey,nametextnotnull)altertablepublic.projectsenablerowlevelsecurity')
  })

  test('keeps comment markers and semicolons inside string literals and quoted identifiers', () => {
    expect(normalizeSql(`select '-- not a comment; /* nor this */' as "a--b;c" -- but this is`)).toBe(
      `select'--notacomment;/*northis*/'as"a--b;c"`,
    )
    expect(normalizeSql(`select 'it''s -- text', E'it\\'s -- text' -- gone`)).toBe(`select'it''s--text',E'it\\'s--text'`)
  })

  test('keeps comments and semicolons inside dollar-quoted bodies, with or without a tag', () => {
    const sql = `create function f() returns int language plpgsql as $body$
begin
  -- kept: part of the body
  return 1; /* kept */
end
$body$; -- dropped
select $$ a;b -- c $$, $tag$ $$ -- inner $$ $tag$;`
    expect(normalizeSql(sql)).toBe(
      'createfunctionf()returnsintlanguageplpgsqlas$body$begin--kept:partofthebodyreturn1;/*kept*/end$body$' +
        'select$$a;b--c$$,$tag$$$--inner$$$tag$',
    )
  })

  test('a parameter or an identifier with a dollar opens no dollar quote', () => {
    expect(normalizeSql('select $1, a$b$ -- gone\n, 2;')).toBe('select$1,a$b$,2')
  })

  test('whitespace, comments and statement ends do not change the hash; content does', () => {
    const file = 'create table a (id int); -- a\n\ncreate table b (id int);\n'
    expect(contentHash('create   table a(id int)\n/* x */ create table b (id int)')).toBe(contentHash(file))
    expect(contentHash('create table a (id bigint); create table b (id int);')).not.toBe(contentHash(file))
    expect(contentHash(file)).toBe(createHash('sha256').update('createtablea(idint)createtableb(idint)').digest('hex'))
  })
})

describe('statementsHash', () => {
  test('statements as the Supabase CLI stores them (trimmed, without their semicolons) hash like the file', () => {
    const file = `-- enums
create type public.status as enum ('draft', 'done');

create function public.touch() returns trigger language plpgsql as $$
begin
  new.updated_at := now();
  return new;
end
$$;
-- trailing note
`
    const cli = [
      `-- enums\ncreate type public.status as enum ('draft', 'done')`,
      'create function public.touch() returns trigger language plpgsql as $$\nbegin\n  new.updated_at := now();\n  return new;\nend\n$$',
      '-- trailing note',
    ]
    expect(statementsHash(cli)).toBe(contentHash(file))
  })

  test('a statement ending in a line comment does not swallow the next one', () => {
    const cli = ['create table a (id int) -- note', 'create table b (id int)']
    expect(statementsHash(cli)).toBe(contentHash('create table a (id int) -- note\n;\ncreate table b (id int);'))
    expect(statementsHash(cli)).not.toBe(contentHash('create table a (id int);'))
  })
})
