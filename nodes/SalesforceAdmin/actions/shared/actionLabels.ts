import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

/**
 * A canvas subtitle that shows the chosen option's label ("Get users", "Failed Login") rather
 * than its internal value ("getMany: user"). n8n evaluates `subtitle` as an expression on the
 * node's parameters, so the labels go in as a lookup table keyed by the `key` expression.
 */
export function labelSubtitle(labels: Readonly<Record<string, string>>, key: string): string {
	return `={{ ${JSON.stringify(labels)}[${key}] }}`;
}

/** "resource:operation" → the operation's action label, from the operation properties. */
export function actionLabels(properties: readonly INodeProperties[]): Record<string, string> {
	const labels: Record<string, string> = {};
	for (const property of properties) {
		if (property.name !== 'operation' || !property.options) continue;
		const resources = (property.displayOptions?.show?.resource ?? []) as string[];
		for (const resource of resources)
			for (const option of property.options as INodePropertyOptions[])
				labels[`${resource}:${String(option.value)}`] = option.action ?? option.name;
	}
	return labels;
}

/** option value → its display name, for a single options property such as the trigger's Event. */
export function optionNames(property: INodeProperties): Record<string, string> {
	return Object.fromEntries(
		((property.options ?? []) as INodePropertyOptions[]).map((o) => [String(o.value), o.name]),
	);
}
