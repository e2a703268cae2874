/**
 * Bad input in one field of one item: raised while reading parameters (before any call), by the
 * operations and the trigger alike. The operations turn it into a NodeOperationError naming the
 * item and the field (actions/shared/readRunner.ts), the trigger into one naming the field.
 */
export class InputError extends Error {
	constructor(
		readonly field: string,
		readonly reason: string,
	) {
		super(`${field}: ${reason}`);
		this.name = 'InputError';
	}
}
