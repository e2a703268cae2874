import type { INodeType } from 'n8n-workflow';

import { salesforceAdminCredentialTest } from './credentialTest';
import { searchUsers } from './listSearch';
import { getEventTypes, getProfiles, getUserLicenses } from './loadOptions';

export const methods: INodeType['methods'] = {
	loadOptions: { getUserLicenses, getProfiles, getEventTypes },
	listSearch: { searchUsers },
	credentialTest: { salesforceAdminCredentialTest },
};
