-- Rolls back 20250101001100_organizations_version.sql (the check constraint goes with its column).
drop trigger bump_version on public.organizations;
alter table public.organizations drop column version;
