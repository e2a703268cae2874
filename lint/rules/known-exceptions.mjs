/**
 * KNOWN_EXCEPTIONS (lint/eslint.config.mjs) applied to `npm run lint`: a processor that drops the
 * findings an entry names, and reports an entry that no longer matches anything (so the list
 * shrinks as the code moves). An entry:
 *
 *   { file, rule, only?, issue, reason }
 *
 * file: root-relative path; rule: the rule id; only: the quoted words the finding's message
 * names (an import specifier, a name, a global), each of which must still occur; without
 * `only`, every finding of that rule in that file, and there must still be one.
 */
import fs from 'node:fs';
import path from 'node:path';

export const STALE_RULE_ID = 'salesforce-admin/known-exceptions';

/** Throws unless each entry is complete and names a file that exists (a moved file: drop it). */
export function assertExceptionsHold(root, exceptions) {
	for (const entry of exceptions) {
		for (const key of ['file', 'rule', 'issue', 'reason'])
			if (!entry[key])
				throw new Error(`KNOWN_EXCEPTIONS: an entry has no ${key}: ${JSON.stringify(entry)}`);
		if (!fs.existsSync(path.join(root, entry.file)))
			throw new Error(
				`KNOWN_EXCEPTIONS names ${entry.file}, which does not exist any more: remove the entry (lint/eslint.config.mjs)`,
			);
	}
}

export function knownExceptionsProcessor(root, exceptions) {
	return {
		meta: { name: 'salesforce-admin-known-exceptions', version: '1.0.0' },
		supportsAutofix: true,
		preprocess: (text) => [text],
		postprocess(messageLists, filename) {
			const file = path.relative(root, filename).split(path.sep).join('/');
			const messages = messageLists.flat();
			const entries = exceptions.filter((entry) => entry.file === file);
			if (entries.length === 0) return messages;
			const used = new Set();
			const excepted = (message) =>
				entries.some((entry) => {
					if (entry.rule !== message.ruleId) return false;
					if (!entry.only) return (used.add(entry), true);
					const word = entry.only.find((w) => message.message.includes(`'${w}'`));
					if (word === undefined) return false;
					used.add(`${entries.indexOf(entry)}:${word}`);
					return true;
				});
			const kept = messages.filter((message) => !excepted(message));
			for (const [index, entry] of entries.entries()) {
				const stale = entry.only
					? entry.only.filter((w) => !used.has(`${index}:${w}`))
					: used.has(entry)
						? []
						: ['(any finding)'];
				for (const word of stale)
					kept.push({
						ruleId: STALE_RULE_ID,
						severity: 2,
						line: 1,
						column: 1,
						message: `KNOWN_EXCEPTIONS lists ${word} for ${entry.rule} in ${file} (issue ${entry.issue}), which no longer occurs: remove it from lint/eslint.config.mjs.`,
					});
			}
			return kept;
		},
	};
}
