-- Workspaces get the optimistic lock the other versioned tables have (spec §0:
-- `update_workspace ... expected_version?`): `organizations.version`, bumped by the same
-- `handle_version_bump` trigger unless the caller sets a new value itself.
-- The usage counters (member_count, storage_used) are bookkeeping, not an edit: `sync_member_count`
-- rewrites member_count whenever a membership changes (the owner's, right after the workspace is
-- inserted, included), so an update that moves a counter leaves the version alone. Otherwise the
-- version create_workspace returns would already be stale, and every join or leave would fail the
-- next guarded update. The tools never write the counters, so no edit of theirs goes unversioned.

alter table public.organizations
  add column version integer not null default 1,
  add constraint organizations_version_check check (version >= 1);

create trigger bump_version before update on public.organizations
  for each row
  when (old.member_count is not distinct from new.member_count and old.storage_used is not distinct from new.storage_used)
  execute function public.handle_version_bump();
