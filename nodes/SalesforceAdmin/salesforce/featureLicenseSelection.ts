/**
 * The "Feature Licenses" parameter of Remove feature licenses: UserPermissions* field names
 * from the multi-options, or typed via an expression (an array or comma-separated text, field
 * names or labels such as "Marketing").
 */
import { FEATURE_LICENSES, featureLicenseByField } from './featureLicenses';

const BY_LABEL = new Map(FEATURE_LICENSES.map((f) => [f.label.toLowerCase(), f]));

export function parseFeatureLicenseSelection(
	raw: unknown,
): { ok: true; fields: string[] } | { ok: false; reason: string } {
	const parts = Array.isArray(raw) ? raw : typeof raw === 'string' ? raw.split(',') : undefined;
	if (!parts) return { ok: false, reason: 'expects a list of feature licenses' };
	const fields: string[] = [];
	for (const part of parts) {
		const value = typeof part === 'string' ? part.trim() : '';
		if (!value) continue;
		const license = featureLicenseByField(value) ?? BY_LABEL.get(value.toLowerCase());
		if (!license) {
			return {
				ok: false,
				reason: `"${value}" is not a feature license; use one of ${FEATURE_LICENSES.map((f) => `${f.field} (${f.label})`).join(', ')}`,
			};
		}
		fields.push(license.field);
	}
	if (fields.length === 0)
		return { ok: false, reason: 'is empty; pick at least one feature license to remove' };
	return { ok: true, fields: [...new Set(fields)] };
}

/** "Marketing, Flow" for a set of UserPermissions* fields. */
export function featureLicenseNames(fields: Iterable<string>): string {
	return [...fields].map((f) => featureLicenseByField(f)?.label ?? f).join(', ');
}
