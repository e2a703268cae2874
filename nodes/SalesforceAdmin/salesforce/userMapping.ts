/** A User record -> the output item the design names (Get users, Get user, the trigger). */
import type { DateTime } from 'luxon';
import type { IDataObject } from 'n8n-workflow';

import { daysSince, toIsoUtc } from './dates';
import { featureLicenseLabels } from './featureLicenses';
import { to18CharId } from './ids';
import type { User } from './records';

/** A User record (with Profile relationship) -> the design's output item. */
export function mapUser(
	record: User,
	context: {
		isFrozen: boolean | null;
		featureFields: readonly string[];
		now: DateTime;
		/** What the user holds besides its license (salesforce/userEntitlements.ts), where read. */
		entitlements?: IDataObject;
	},
): IDataObject {
	const profile = record.Profile ?? null;
	const license = profile?.UserLicense ?? null;
	return {
		id: to18CharId(record.Id) ?? record.Id,
		username: record.Username ?? null,
		name: record.Name ?? null,
		email: record.Email ?? null,
		isActive: record.IsActive === true,
		isFrozen: context.isFrozen,
		userType: record.UserType ?? null,
		profile: profile?.Name ?? null,
		license: license?.Name ?? null,
		featureLicenses: featureLicenseLabels(record, context.featureFields),
		...context.entitlements,
		lastLoginDate: toIsoUtc(record.LastLoginDate),
		daysSinceLastLogin: daysSince(record.LastLoginDate, context.now),
		createdDate: toIsoUtc(record.CreatedDate),
	};
}
