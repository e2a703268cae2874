/**
 * The node's canvas subtitle: the action label the node panel shows ("Get users"), and for a
 * write whether it is a dry run or live ("Freeze user · dry run"), so a node that will change
 * users cannot look like one that will not. Built from the operations' own descriptions (an
 * operation with a Dry Run switch is a write); n8n's lint rules want the subtitle as a literal,
 * so SalesforceAdmin.node.ts holds this function's text and test/unit/subtitle.test.ts checks that
 * it is current (a new operation: paste the text the failing test prints).
 */
import type { INodeProperties } from 'n8n-workflow';

export const SUBTITLE_DRY_RUN = 'dry run';
export const SUBTITLE_LIVE = 'live';
export const SUBTITLE_BY_EXPRESSION = 'dry run set by expression';

function actionLabels(properties: readonly INodeProperties[]): Record<string, string> {
	const labels: Record<string, string> = {};
	for (const property of properties) {
		if (property.name !== 'operation' || !property.options) continue;
		for (const resource of property.displayOptions?.show?.resource ?? []) {
			for (const option of property.options) {
				if ('value' in option && 'action' in option && option.action)
					labels[`${String(resource)}:${String(option.value)}`] = option.action;
			}
		}
	}
	return labels;
}

function writeOperations(properties: readonly INodeProperties[]): string[] {
	const writes = new Set<string>();
	for (const property of properties) {
		if (property.name !== 'dryRun' || property.type !== 'boolean') continue;
		const show = property.displayOptions?.show;
		for (const resource of show?.resource ?? [])
			for (const operation of show?.operation ?? [])
				writes.add(`${String(resource)}:${String(operation)}`);
	}
	return [...writes];
}

/**
 * The subtitle expression. The Dry Run state follows the rule the node runs by: a "Dry Run
 * (Override)" in the Options collection decides when present, else the switch (on by default).
 * A value set by an expression is known only when the node runs, and the subtitle says so.
 */
export function nodeSubtitle(properties: readonly INodeProperties[]): string {
	const labels = JSON.stringify(actionLabels(properties));
	const writes = JSON.stringify(writeOperations(properties));
	const dry = JSON.stringify(SUBTITLE_DRY_RUN);
	const live = JSON.stringify(SUBTITLE_LIVE);
	const byExpression = JSON.stringify(SUBTITLE_BY_EXPRESSION);
	return (
		'={{ (() => { ' +
		'const key = $parameter["resource"] + ":" + $parameter["operation"]; ' +
		`const label = (${labels})[key] || $parameter["operation"]; ` +
		`if (!${writes}.includes(key)) return label; ` +
		'const options = $parameter["options"] || {}; ' +
		'let dryRun; ' +
		'try { dryRun = "dryRun" in options ? options.dryRun : $parameter["dryRun"]; } catch (e) { dryRun = "="; } ' +
		`const state = dryRun === false ? ${live} : dryRun === true || dryRun === undefined ? ${dry} : ${byExpression}; ` +
		'return label + " · " + state; ' +
		'})() }}'
	);
}
