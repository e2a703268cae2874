/**
 * The transport layer: the node's chosen credential -> a signed-in jsforce Connection, and the
 * few primitives every operation uses (paged query, batched update). Operations never talk to
 * jsforce directly, so API-call counting, retries and error mapping live in one place.
 *
 * CONTRACT (other layers code against these names; keep them stable):
 *   readCredentialSettings(ctx)          -> { authentication, accessMode, ... }   (no network)
 *   assertWriteAllowed(ctx, settings)    -> throws NodeOperationError for Read-Only (no network)
 *   connect(ctx)                         -> SalesforceSession (signs in once per node run; on a 401
 *                                           signs in again / refreshes the OAuth2 token and retries
 *                                           that call once)
 *   signIn(settings, opts)               -> SalesforceSession without an n8n context (credential test)
 *   queryPages(session, soql, opts)      -> AsyncGenerator<record[]> following nextRecordsUrl
 *   queryAll(session, soql, opts)        -> record[] (stops early at opts.limit)
 *   updateRecords(session, type, recs)   -> SaveResult[] (sObject Collections, <= 200 a call,
 *                                           allOrNone false, results in input order)
 *   toNodeApiError(node, error, itemIndex) -> NodeApiError with Salesforce code + admin guidance,
 *                                           secrets scrubbed; describeSalesforceError(error) is the
 *                                           same as plain data (code, message, description)
 *   send(session, request)               -> one REST call whose error carries the API usage
 */
export { API_VERSION } from './apiVersion';
export * from './session';
export * from './requests';
export * from './errors';
export { LOGIN_URLS, resolveLoginUrl, validateMyDomainUrl } from './loginUrl';
export { rememberSecrets, scrubSecrets } from './secrets';
export { SessionAuth } from './auth';
export * from './describe';
export { openLogFile } from './download';
export type { OpenLogFileOptions } from './download';
export { transportOptions } from './http';
export type { TransportOptions } from './http';
export { SALESFORCE_DOMAIN_SUFFIXES, checkInstanceUrl, isLoopbackHost, isSalesforceHost } from './hosts';
