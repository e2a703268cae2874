/**
 * What a user holds in the fake org, named as the node reports it (package namespaces, license
 * labels, permission set labels, group developer names), each list sorted: the expected value of
 * the entitlement reads and writes, in the node tests and the e2e suite alike.
 */
import type { OrgStore } from '../fake-org';

const byText = (a: string, b: string) => a.localeCompare(b);

export interface Holdings {
	packageLicenses: string[];
	permissionSetLicenses: string[];
	permissionSets: string[];
	permissionSetGroups: string[];
	groups: string[];
	queues: string[];
}

export function holdingsOf(store: OrgStore, userId: string): Holdings {
	const assignments = store.permissionSetAssignments.filter((a) => a.AssigneeId === userId);
	const setOf = (id: string) => store.permissionSets.find((p) => p.Id === id)!;
	const memberships = store.groupMembers
		.filter((m) => m.UserOrGroupId === userId)
		.map((m) => store.groups.find((g) => g.Id === m.GroupId)!);
	return {
		packageLicenses: store.userPackageLicenses
			.filter((a) => a.UserId === userId)
			.map((a) => store.packageLicenses.find((p) => p.Id === a.PackageLicenseId)!.NamespacePrefix)
			.sort(byText),
		permissionSetLicenses: store.permissionSetLicenseAssigns
			.filter((a) => a.AssigneeId === userId)
			.map(
				(a) =>
					store.permissionSetLicenses.find((l) => l.Id === a.PermissionSetLicenseId)!.MasterLabel,
			)
			.sort(byText),
		// profile-owned permission sets are the profile's, not assignments the node reports
		permissionSets: assignments
			.filter((a) => !a.PermissionSetGroupId && !setOf(a.PermissionSetId).IsOwnedByProfile)
			.map((a) => setOf(a.PermissionSetId).Label)
			.sort(byText),
		permissionSetGroups: assignments
			.filter((a) => a.PermissionSetGroupId)
			.map(
				(a) => store.permissionSetGroups.find((g) => g.Id === a.PermissionSetGroupId)!.MasterLabel,
			)
			.sort(byText),
		groups: memberships
			.filter((g) => g.Type === 'Regular')
			.map((g) => g.DeveloperName)
			.sort(byText),
		queues: memberships
			.filter((g) => g.Type === 'Queue')
			.map((g) => g.DeveloperName)
			.sort(byText),
	};
}
