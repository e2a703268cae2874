import type { AllEntities } from 'n8n-workflow';

/** Every resource and its operations, as the node's parameters name them. */
type NodeMap = {
	user: 'getMany' | 'get' | 'freeze' | 'unfreeze' | 'deactivate' | 'activate' | 'removeFeatureLicenses';
	license: 'getMany';
	loginHistory: 'getMany';
	eventLog: 'getMany' | 'getEvents';
};

export type SalesforceAdminType = AllEntities<NodeMap>;
