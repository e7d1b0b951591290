-- Rolls back 20250101000300_content.sql (children before parents).
drop table public.assignments;
drop table public.trace_links;
drop table public.requirement_tests;
drop table public.test_req;
drop table public.requirements;
drop table public.properties;
drop table public.blocks;
drop table public.documents;
