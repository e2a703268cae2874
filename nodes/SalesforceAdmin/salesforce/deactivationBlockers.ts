/**
 * The deactivation pre-flight, with no I/O: what the API can see that makes Salesforce refuse
 * to deactivate a user. Salesforce's knowledge articles (000386275, 000384761, 000187291,
 * 000384586) list the blockers; the ones a query can find are a custom hierarchy field of another
 * active user that names the user (on User, a custom field pointing to User can only be a
 * hierarchy field, so describe finds them all) and being another active user's delegated
 * approver. The others live in Setup (default lead/case owner and creator, Default Workflow
 * User, assignment rules, approval steps): only Salesforce's answer reveals them
 * (writeGuidance.ts maps its text).
 */
import { inList } from './soql';
import type { WritePlan } from './writePlan';

/** A field as describe of User gives it (the part the pre-flight reads). */
export interface DescribedField {
	name: string;
	label?: string;
	type?: string;
	custom?: boolean;
	referenceTo?: string[];
}

/** A User field whose value, on another active user, blocks deactivating the user it names. */
export interface BlockingField {
	name: string;
	label: string;
	kind: 'hierarchy' | 'delegatedApprover';
}

/** The blocking fields this org has, from describe of User. */
export function blockingFields(fields: readonly DescribedField[]): BlockingField[] {
	const out: BlockingField[] = [];
	for (const field of fields) {
		const toUser = field.type === 'reference' && (field.referenceTo ?? []).includes('User');
		if (!toUser) continue;
		if (field.custom)
			out.push({ name: field.name, label: field.label ?? field.name, kind: 'hierarchy' });
		else if (field.name === 'DelegatedApproverId')
			out.push({
				name: field.name,
				label: field.label ?? 'Delegated Approver',
				kind: 'delegatedApprover',
			});
	}
	return out;
}

/** Active users whose blocking fields name any of these users (one query per chunk of IDs). */
export function blockerQuery(fields: readonly BlockingField[], userIds: readonly string[]): string {
	const list = inList(userIds);
	const names = fields.map((f) => f.name);
	const where = names.map((name) => `${name} IN ${list}`).join(' OR ');
	return `SELECT Id, Username, ${names.join(', ')} FROM User WHERE IsActive = true AND (${where})`;
}

export interface BlockerRow {
	Id: string;
	Username?: string | null;
	[field: string]: unknown;
}

/** What blocks each of these users, as sentences naming the blocker and the fix. */
export function blockersByUser(
	rows: readonly BlockerRow[],
	fields: readonly BlockingField[],
	userIds: ReadonlySet<string>,
): Map<string, string[]> {
	const found = new Map<string, string[]>();
	for (const row of rows) {
		const who = row.Username ?? row.Id;
		for (const field of fields) {
			const value = row[field.name];
			if (typeof value !== 'string' || !userIds.has(value) || value === row.Id) continue;
			const sentence =
				field.kind === 'delegatedApprover'
					? `delegated approver of active user ${who}; change that user's Delegated Approver`
					: `named in the hierarchy field "${field.label}" (${field.name}) of active user ${who}; clear that field or point it to another user`;
			found.set(value, [...(found.get(value) ?? []), sentence]);
		}
	}
	return found;
}

/** The `reason` of a blocked user: starts with "blocked:", names every blocker and the way out. */
export function blockedReason(blockers: readonly string[]): string {
	const shown = blockers.slice(0, 5);
	const more = blockers.length > shown.length ? `; and ${blockers.length - shown.length} more` : '';
	return `blocked: ${shown.join('; ')}${more}; then deactivate (freeze the user meanwhile: it blocks sign-in at once)`;
}

/**
 * The plan with every user the pre-flight found blocked taken out of the writes: their items are
 * skipped with the blocked reason (in a dry run too, so a dry run predicts the real run).
 */
export function skipBlocked(plan: WritePlan, blockers: ReadonlyMap<string, string[]>): WritePlan {
	if (blockers.size === 0) return plan;
	const items = plan.items.map((item) => {
		const found = item.userId ? blockers.get(item.userId) : undefined;
		if (!found || item.decision.kind !== 'write') return item;
		return { ...item, decision: { kind: 'skipped' as const, reason: blockedReason(found) } };
	});
	return { items, writes: plan.writes.filter((w) => !blockers.has(w.userId)) };
}
