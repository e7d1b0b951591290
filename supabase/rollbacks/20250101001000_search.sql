drop function if exists public.search_entities(text, text[], uuid, uuid, text[], text[], boolean, integer, integer);
