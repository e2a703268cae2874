/** The node-running harness: see run-node.ts (runNode), contexts.ts and credentials.ts. */
export * from './run-node';
export * from './contexts';
export * from './credentials';
export { TestCredentialsHelper, credentialTypes } from './credentials-helper';
export type { CredentialSave } from './credentials-helper';
export { SALESFORCE_ADMIN_NODE_TYPE, salesforceAdminNode } from './node-types';
export { n8nRequestHelpers, preAuthenticationContext, testWire } from './wire';
export { TunedSalesforceAdmin } from './tuned-node';
