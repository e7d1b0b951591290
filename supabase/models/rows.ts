/**
 * Named Row / Insert / Update models of every table (values are zod objects, types their
 * inferred shapes): `OrganizationRow` is `tables.organizations.schema`, and so on.
 */
import type { z } from 'zod'
import { tables } from './tables.ts'

/** `profiles` as read / to insert / to patch. */
export const ProfileRow = tables.profiles.schema
export const ProfileInsert = tables.profiles.insert
export const ProfileUpdate = tables.profiles.update
export type ProfileRow = z.infer<typeof ProfileRow>
export type ProfileInsert = z.input<typeof ProfileInsert>
export type ProfileUpdate = z.input<typeof ProfileUpdate>

/** `organizations` as read / to insert / to patch. */
export const OrganizationRow = tables.organizations.schema
export const OrganizationInsert = tables.organizations.insert
export const OrganizationUpdate = tables.organizations.update
export type OrganizationRow = z.infer<typeof OrganizationRow>
export type OrganizationInsert = z.input<typeof OrganizationInsert>
export type OrganizationUpdate = z.input<typeof OrganizationUpdate>

/** `organization_members` as read / to insert / to patch. */
export const OrganizationMemberRow = tables.organization_members.schema
export const OrganizationMemberInsert = tables.organization_members.insert
export const OrganizationMemberUpdate = tables.organization_members.update
export type OrganizationMemberRow = z.infer<typeof OrganizationMemberRow>
export type OrganizationMemberInsert = z.input<typeof OrganizationMemberInsert>
export type OrganizationMemberUpdate = z.input<typeof OrganizationMemberUpdate>

/** `organization_invitations` as read / to insert / to patch. */
export const OrganizationInvitationRow = tables.organization_invitations.schema
export const OrganizationInvitationInsert = tables.organization_invitations.insert
export const OrganizationInvitationUpdate = tables.organization_invitations.update
export type OrganizationInvitationRow = z.infer<typeof OrganizationInvitationRow>
export type OrganizationInvitationInsert = z.input<typeof OrganizationInvitationInsert>
export type OrganizationInvitationUpdate = z.input<typeof OrganizationInvitationUpdate>

/** `projects` as read / to insert / to patch. */
export const ProjectRow = tables.projects.schema
export const ProjectInsert = tables.projects.insert
export const ProjectUpdate = tables.projects.update
export type ProjectRow = z.infer<typeof ProjectRow>
export type ProjectInsert = z.input<typeof ProjectInsert>
export type ProjectUpdate = z.input<typeof ProjectUpdate>

/** `project_members` as read / to insert / to patch. */
export const ProjectMemberRow = tables.project_members.schema
export const ProjectMemberInsert = tables.project_members.insert
export const ProjectMemberUpdate = tables.project_members.update
export type ProjectMemberRow = z.infer<typeof ProjectMemberRow>
export type ProjectMemberInsert = z.input<typeof ProjectMemberInsert>
export type ProjectMemberUpdate = z.input<typeof ProjectMemberUpdate>

/** `documents` as read / to insert / to patch. */
export const DocumentRow = tables.documents.schema
export const DocumentInsert = tables.documents.insert
export const DocumentUpdate = tables.documents.update
export type DocumentRow = z.infer<typeof DocumentRow>
export type DocumentInsert = z.input<typeof DocumentInsert>
export type DocumentUpdate = z.input<typeof DocumentUpdate>

/** `blocks` as read / to insert / to patch. */
export const BlockRow = tables.blocks.schema
export const BlockInsert = tables.blocks.insert
export const BlockUpdate = tables.blocks.update
export type BlockRow = z.infer<typeof BlockRow>
export type BlockInsert = z.input<typeof BlockInsert>
export type BlockUpdate = z.input<typeof BlockUpdate>

/** `properties` as read / to insert / to patch. */
export const PropertyRow = tables.properties.schema
export const PropertyInsert = tables.properties.insert
export const PropertyUpdate = tables.properties.update
export type PropertyRow = z.infer<typeof PropertyRow>
export type PropertyInsert = z.input<typeof PropertyInsert>
export type PropertyUpdate = z.input<typeof PropertyUpdate>

/** `requirements` as read / to insert / to patch. */
export const RequirementRow = tables.requirements.schema
export const RequirementInsert = tables.requirements.insert
export const RequirementUpdate = tables.requirements.update
export type RequirementRow = z.infer<typeof RequirementRow>
export type RequirementInsert = z.input<typeof RequirementInsert>
export type RequirementUpdate = z.input<typeof RequirementUpdate>

/** `test_req` as read / to insert / to patch. */
export const TestReqRow = tables.test_req.schema
export const TestReqInsert = tables.test_req.insert
export const TestReqUpdate = tables.test_req.update
export type TestReqRow = z.infer<typeof TestReqRow>
export type TestReqInsert = z.input<typeof TestReqInsert>
export type TestReqUpdate = z.input<typeof TestReqUpdate>

/** `requirement_tests` as read / to insert / to patch. */
export const RequirementTestRow = tables.requirement_tests.schema
export const RequirementTestInsert = tables.requirement_tests.insert
export const RequirementTestUpdate = tables.requirement_tests.update
export type RequirementTestRow = z.infer<typeof RequirementTestRow>
export type RequirementTestInsert = z.input<typeof RequirementTestInsert>
export type RequirementTestUpdate = z.input<typeof RequirementTestUpdate>

/** `trace_links` as read / to insert / to patch. */
export const TraceLinkRow = tables.trace_links.schema
export const TraceLinkInsert = tables.trace_links.insert
export const TraceLinkUpdate = tables.trace_links.update
export type TraceLinkRow = z.infer<typeof TraceLinkRow>
export type TraceLinkInsert = z.input<typeof TraceLinkInsert>
export type TraceLinkUpdate = z.input<typeof TraceLinkUpdate>

/** `assignments` as read / to insert / to patch. */
export const AssignmentRow = tables.assignments.schema
export const AssignmentInsert = tables.assignments.insert
export const AssignmentUpdate = tables.assignments.update
export type AssignmentRow = z.infer<typeof AssignmentRow>
export type AssignmentInsert = z.input<typeof AssignmentInsert>
export type AssignmentUpdate = z.input<typeof AssignmentUpdate>

/** `workflows` as read / to insert / to patch. */
export const WorkflowRow = tables.workflows.schema
export const WorkflowInsert = tables.workflows.insert
export const WorkflowUpdate = tables.workflows.update
export type WorkflowRow = z.infer<typeof WorkflowRow>
export type WorkflowInsert = z.input<typeof WorkflowInsert>
export type WorkflowUpdate = z.input<typeof WorkflowUpdate>

/** `workflow_runs` as read / to insert / to patch. */
export const WorkflowRunRow = tables.workflow_runs.schema
export const WorkflowRunInsert = tables.workflow_runs.insert
export const WorkflowRunUpdate = tables.workflow_runs.update
export type WorkflowRunRow = z.infer<typeof WorkflowRunRow>
export type WorkflowRunInsert = z.input<typeof WorkflowRunInsert>
export type WorkflowRunUpdate = z.input<typeof WorkflowRunUpdate>
