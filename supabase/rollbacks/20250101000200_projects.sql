-- Rolls back 20250101000200_projects.sql.
drop table public.project_members;
drop table public.projects;
