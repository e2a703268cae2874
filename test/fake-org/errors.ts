/** A Salesforce REST error: answered as `[{"message","errorCode"}]` with its HTTP status. */
export class SfError extends Error {
	constructor(
		readonly status: number,
		readonly errorCode: string,
		message: string,
		readonly fields?: string[],
	) {
		super(message);
	}

	toJSON() {
		return [
			{
				message: this.message,
				errorCode: this.errorCode,
				...(this.fields ? { fields: this.fields } : {}),
			},
		];
	}
}

export const malformedQuery = (message: string) => new SfError(400, 'MALFORMED_QUERY', message);

/** Salesforce echoes the query and points at the offending token. */
export function queryError(code: string, soql: string, token: string, message: string): SfError {
	const column = Math.max(0, soql.toLowerCase().indexOf(token.toLowerCase()));
	const pointer = `${' '.repeat(column)}^`;
	return new SfError(
		400,
		code,
		`\n${soql}\n${pointer}\nERROR at Row:1:Column:${column + 1}\n${message}`,
	);
}
