/**
 * sObject describe: the one way the rest of the package learns which fields and picklist
 * values an object has for the connected user.
 */
import { dataPath, send } from './requests';
import type { SalesforceSession } from './session';

export interface DescribeField {
	name: string;
	label?: string;
	type?: string;
	custom?: boolean;
	referenceTo?: string[];
	picklistValues?: Array<{ value: string; active?: boolean }>;
}

export interface DescribeResult {
	name?: string;
	fields: DescribeField[];
}

/** One describe call: the fields of an object the connected user can see. */
export async function describeSObject(
	session: SalesforceSession,
	sobject: string,
): Promise<DescribeResult> {
	if (!/^[A-Za-z][A-Za-z0-9_]*$/.test(sobject))
		throw new Error(`"${sobject}" is not an sObject name`);
	return await send<DescribeResult>(session, {
		method: 'GET',
		url: dataPath(`/sobjects/${sobject}/describe`),
	});
}
