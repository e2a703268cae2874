/**
 * Get license recommendations: who should be frozen, deactivated or lose feature licenses, which
 * inactive users still hold package seats or permission set licenses (orphaned seats), and what
 * it saves. The reads are reads/recommendationInputs.ts (each once per run, whatever the org's
 * size) with the administrators by permission set; the decision itself is pure:
 * salesforce/recommendations.ts.
 */
import { DateTime } from 'luxon';
import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';

import { InputError } from '../../salesforce/input';
import type {
	Decision,
	OrphanFacts,
	RecommendationSettings,
	UserFacts,
} from '../../salesforce/recommendations';
import {
	decide,
	decideOrphan,
	evidenceOf,
	loginWindowDays,
	orphanEvidenceOf,
	parseRecommendationSettings,
	parseSalesforceTime,
	SavingsSummary,
} from '../../salesforce/recommendations';
import type { ProtectedEntry, SafetyOptions } from '../../salesforce/safetyOptions';
import {
	SAFETY_OPTION_LABELS,
	combineSafetyOptions,
	parseSafetyOptions,
	protectedEntries,
	unknownProtectedEntryReason,
} from '../../salesforce/safetyOptions';
import { skipReason } from '../../salesforce/writePlan';
import type { SalesforceSession } from '../../transport';
import { eventEvidence } from '../../salesforce/activityEvidence';
import { readableUserFeatureFields } from '../../reads/featureFields';
import type { ReadUser } from '../../reads/recommendationInputs';
import { id18, readRecommendationInputs } from '../../reads/recommendationInputs';
import { unknownProtectedEntries } from '../../reads/lookUpUsers';
import type { ReadOperation } from '../shared/readRunner';
import { withNotices } from '../shared/notices';
import { executeRead, toItems } from '../shared/readRunner';
import { readAdminPermissionSets } from '../../reads/adminPermissionSets';

const show = { show: { resource: ['license'], operation: ['getRecommendations'] } };

export const description: INodeProperties[] = [
	{
		displayName: 'Freeze After (Days Idle)',
		name: 'freezeAfterDays',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 90,
		description:
			'Recommend freezing a user with no login (UI or API) for this many days. Freezing is reversible and saves nothing yet.',
		displayOptions: show,
	},
	{
		displayName: 'Deactivate After (Days Frozen)',
		name: 'deactivateAfterFrozenDays',
		type: 'number',
		typeOptions: { minValue: 0 },
		default: 30,
		description:
			'Recommend deactivating a user that has been frozen this many days and is still idle. Deactivating frees the seat.',
		displayOptions: show,
	},
	{
		displayName: 'New User Grace (Days)',
		name: 'newUserGraceDays',
		type: 'number',
		typeOptions: { minValue: 0 },
		default: 30,
		description:
			'Accounts younger than this are always kept; a user who never logged in is idle from the day the account was created',
		displayOptions: show,
	},
	{
		displayName: 'Prices',
		name: 'prices',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		placeholder: 'Add Price',
		default: {},
		description:
			'What each license costs per month: user licenses (Salesforce, Salesforce Platform), permission set licenses (by label), package licenses (by namespace prefix, such as SBQQ) and feature licenses (Service Cloud, Marketing, ...). Salesforce publishes no price API; a license without a price counts 0 and is listed as unpriced.',
		displayOptions: show,
		options: [
			{
				displayName: 'Price',
				name: 'price',
				values: [
					{
						displayName: 'License',
						name: 'license',
						type: 'string',
						default: '',
						placeholder: 'Salesforce',
						description:
							'The license name as Get Licenses shows it (any case); for a package license its namespace prefix',
					},
					{
						displayName: 'Monthly Price',
						name: 'monthlyPrice',
						type: 'number',
						typeOptions: { minValue: 0, numberPrecision: 2 },
						default: 0,
						description: 'Price of one seat per month, in the currency below',
					},
				],
			},
		],
	},
	{
		displayName: 'Currency',
		name: 'currency',
		type: 'string',
		default: 'USD',
		description: "Three-letter code of the prices' currency; the savings are in it",
		displayOptions: show,
	},
	{
		displayName: 'Output',
		name: 'output',
		type: 'options',
		options: [
			{
				name: 'Per User',
				value: 'perUser',
				description:
					'One item per active user with the recommendation, the reason, the evidence and the savings, and one per inactive user still holding package or permission set licenses',
			},
			{
				name: 'Summary',
				value: 'summary',
				description:
					'One item per license (total, used, reclaimable, savings) plus an org total; for a weekly report',
			},
		],
		default: 'perUser',
		displayOptions: show,
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: show,
		options: [
			{
				displayName: 'Allow Admins',
				name: 'allowAdmins',
				type: 'boolean',
				default: false,
				description:
					'Whether administrators (profile "System Administrator", or "Modify All Data" by profile or permission set) may be recommended for freezing or deactivation. Off: they must stay active; idle ones are only recommended to lose their feature licenses.',
			},
			{
				displayName: 'Include External Users',
				name: 'includeExternal',
				type: 'boolean',
				default: false,
				description: 'Whether to include community, portal, Chatter and guest users and licenses',
			},
			{
				displayName: 'Protected Usernames',
				name: 'protectedUsernames',
				type: 'string',
				default: '',
				placeholder: 'ceo@acme.com, integration@acme.com',
				description:
					'Comma-separated usernames (or user IDs) that must stay active, as in the write actions: never recommended for freezing or deactivation. An entry that names no user of the org fails the run, naming the entry.',
			},
		],
	},
];

interface Params {
	settings: RecommendationSettings;
	safety: SafetyOptions;
	/** The protected list's entries as typed, to name one that names no user. */
	protectedEntries: ProtectedEntry[];
	includeExternal: boolean;
}

interface Shared {
	featureFields: string[];
}

/** The safety options fail closed exactly as the writes' do: only their own type is accepted. */
function readOptions(
	raw: IDataObject,
	itemIndex: number,
): Pick<Params, 'safety' | 'protectedEntries' | 'includeExternal'> {
	const { includeExternal, ...safetyRaw } = raw;
	const { options, problems } = parseSafetyOptions(safetyRaw);
	if (problems.length) throw new InputError(problems[0].field, problems[0].reason);
	if (includeExternal !== undefined && typeof includeExternal !== 'boolean') {
		throw new InputError(
			'Options > Include External Users',
			`must be true or false (a boolean); got ${JSON.stringify(includeExternal) ?? 'undefined'}`,
		);
	}
	if ('includeExternal' in raw && includeExternal === undefined) {
		throw new InputError(
			'Options > Include External Users',
			'must be true or false (a boolean); got undefined (the expression gave no value)',
		);
	}
	return {
		safety: combineSafetyOptions([options]),
		protectedEntries: protectedEntries([{ itemIndex, options }]),
		includeExternal: includeExternal === true,
	};
}

const getRecommendations: ReadOperation<Params, Shared> = {
	parse(this: IExecuteFunctions, itemIndex: number): Params {
		const raw: IDataObject = {};
		for (const name of [
			'freezeAfterDays',
			'deactivateAfterFrozenDays',
			'newUserGraceDays',
			'prices',
			'currency',
			'output',
		] as const) {
			raw[name] = this.getNodeParameter(name, itemIndex, undefined) as IDataObject[string];
		}
		const parsed = parseRecommendationSettings(raw);
		if (!parsed.ok) throw new InputError(parsed.field, parsed.reason);
		const options = (this.getNodeParameter('options', itemIndex, {}) as IDataObject) ?? {};
		return { settings: parsed.value, ...readOptions(options, itemIndex) };
	},

	async prepare(this: IExecuteFunctions, session: SalesforceSession) {
		return {
			shared: { featureFields: withNotices(this, await readableUserFeatureFields(session)) },
		};
	},

	async run(
		this: IExecuteFunctions,
		session: SalesforceSession,
		params: Params,
		_itemIndex: number,
		shared: Shared,
	) {
		const now = DateTime.utc();
		const read = await readOrg(this, session, params, shared.featureFields, now);
		const users = read.users;
		await refuseUnknownProtected(session, params.protectedEntries, users);
		const facts = toFacts(session, params, read);
		const windowDays = loginWindowDays(params.settings);
		const summary = new SavingsSummary();
		const perUser: IDataObject[] = [];
		for (const user of users) {
			const userFacts = facts.get(user.item.id as string) as UserFacts;
			const decision = decide(userFacts, params.settings, now.toMillis());
			if (params.settings.output === 'summary') {
				summary.add(userFacts, decision);
				continue;
			}
			const evidence = evidenceOf(userFacts, decision, {
				loginWindowDays: windowDays,
				eventLogActivity: eventEvidence(read.events, user.item.id as string),
			});
			perUser.push(recommendationItem(user.item, decision, evidence, params.settings));
		}
		for (const orphan of read.orphans) {
			const id = orphan.item.id as string;
			const orphanFacts: OrphanFacts = {
				packageLicenses: read.packageSeats?.get(id) ?? [],
				permissionSetLicenses: read.permissionSetLicenses.get(id) ?? [],
				protectedReason: skipReason(orphan.planned, {
					connectedUserId: id18(session.userId),
					safety: params.safety,
					adminPermissionSets: read.adminPermissionSets,
				}),
			};
			const decision = decideOrphan(orphanFacts, params.settings);
			if (params.settings.output === 'summary') {
				summary.addOrphan(orphanFacts, decision);
				continue;
			}
			const evidence = orphanEvidenceOf(orphanFacts, {
				lastLoginDate: orphan.lastLoginDate,
				license: (orphan.item.license as string | null) ?? null,
			});
			perUser.push(recommendationItem(orphan.item, decision, evidence, params.settings));
		}
		if (params.settings.output === 'perUser') return toItems(perUser);
		return toItems(summary.items(read.catalogue, params.settings, params.includeExternal));
	},
};

/** A per-user item: the user fields, then the recommendation's. */
function recommendationItem(
	user: IDataObject,
	decision: Decision,
	evidence: IDataObject,
	settings: RecommendationSettings,
): IDataObject {
	return {
		...user,
		recommendation: decision.recommendation,
		reason: decision.reason,
		evidence,
		monthlySavings: decision.monthlySavings,
		currency: settings.currency,
		unpricedLicenses: decision.unpriced,
	};
}

/**
 * The reads, and the administrators by permission set unless admins are allowed, all at once
 * (they do not depend on each other); the reads' notices shown.
 */
async function readOrg(
	ctx: IExecuteFunctions,
	session: SalesforceSession,
	params: Params,
	featureFields: string[],
	now: DateTime,
) {
	const [inputs, adminPermissionSets] = await Promise.all([
		readRecommendationInputs(ctx.getNode(), session, params, featureFields, now),
		params.safety.allowAdmins ? undefined : readAdminPermissionSets(session),
	]);
	return { ...withNotices(ctx, inputs), adminPermissionSets };
}

function toFacts(
	session: SalesforceSession,
	params: Params,
	read: Awaited<ReturnType<typeof readOrg>>,
): Map<string, UserFacts> {
	const connectedUserId = id18(session.userId);
	const facts = new Map<string, UserFacts>();
	for (const user of read.users) {
		const id = user.item.id as string;
		const isFrozen = read.frozen.has(id);
		const isConnectedUser = id === connectedUserId;
		facts.set(id, {
			isFrozen,
			frozenSince: read.frozen.get(id),
			createdDate: user.createdDate,
			lastLoginDate: user.lastLoginDate,
			activity: read.logins.get(id),
			lastEventTime: parseSalesforceTime(read.events.byUser.get(id)?.lastEventTime ?? undefined),
			license: (user.item.license as string | null) ?? null,
			featureLicenses: user.item.featureLicenses as string[],
			permissionSetLicenses: read.permissionSetLicenses.get(id) ?? [],
			packageLicenses: read.packageSeats?.get(id) ?? [],
			isConnectedUser,
			protectedReason: isConnectedUser
				? undefined
				: skipReason(user.planned, {
						connectedUserId,
						safety: params.safety,
						adminPermissionSets: read.adminPermissionSets,
					}),
		});
	}
	return facts;
}

/**
 * A protected entry that names no user of the org (a production username in a sandbox, a typo)
 * protects nobody: the item fails, naming it, as the writes refuse it. Entries among the users
 * read cost nothing; others (inactive or external users are users) one batched query.
 */
async function refuseUnknownProtected(
	session: SalesforceSession,
	entries: readonly ProtectedEntry[],
	users: readonly ReadUser[],
): Promise<void> {
	if (entries.length === 0) return;
	const [unknown] = await unknownProtectedEntries(session, entries, {
		ids: new Set(users.map((u) => u.planned.Id)),
		usernames: new Set(users.map((u) => u.planned.Username.toLowerCase())),
	});
	if (unknown) {
		throw new InputError(
			SAFETY_OPTION_LABELS.protectedUsernames,
			unknownProtectedEntryReason(unknown),
		);
	}
}

export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
): Promise<INodeExecutionData[]> {
	return await executeRead.call(this, items, getRecommendations);
}
