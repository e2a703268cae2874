import type { INodeType } from 'n8n-workflow';

import { salesforceAdminCredentialTest } from './credentialTest';
import {
	getEventTypes,
	getPackageLicenses,
	getPermissionSetLicenses,
	getProfiles,
	getUserLicenses,
} from './loadOptions';

export const methods: INodeType['methods'] = {
	loadOptions: {
		getUserLicenses,
		getProfiles,
		getEventTypes,
		getPackageLicenses,
		getPermissionSetLicenses,
	},
	credentialTest: { salesforceAdminCredentialTest },
};
