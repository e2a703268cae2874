import type { INodeType } from 'n8n-workflow';

import { salesforceAdminCredentialTest } from './credentialTest';
import {
	getEventTypes,
	getGroups,
	getPackageLicenses,
	getPermissionSetLicenses,
	getPermissionSets,
	getProfiles,
	getUserLicenses,
} from './loadOptions';
import { searchUsers } from './listSearch';

export const methods: INodeType['methods'] = {
	loadOptions: {
		getUserLicenses,
		getProfiles,
		getEventTypes,
		getPackageLicenses,
		getPermissionSetLicenses,
		getPermissionSets,
		getGroups,
	},
	listSearch: { searchUsers },
	credentialTest: { salesforceAdminCredentialTest },
};
