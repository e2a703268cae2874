import type { INodeType } from 'n8n-workflow';

export const methods: INodeType['methods'] = {
	loadOptions: {},
	credentialTest: {},
};
