-- Rolls back 20250101000100_organizations.sql (indexes and constraints go with their tables).
drop table public.organization_invitations;
drop table public.organization_members;
alter table public.profiles
  drop constraint profiles_current_organization_id_fkey,
  drop constraint profiles_personal_organization_id_fkey,
  drop constraint profiles_pinned_organization_id_fkey;
drop table public.organizations;
drop table public.profiles;
