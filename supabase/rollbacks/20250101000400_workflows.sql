-- Rolls back 20250101000400_workflows.sql.
drop table public.workflow_runs;
drop table public.workflows;
