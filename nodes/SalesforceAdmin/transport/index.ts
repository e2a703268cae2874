/**
 * The transport layer: the node's chosen credential -> a signed-in session, and every byte on
 * the wire after that. jsforce is used only to sign in, through its public API (SOAP login,
 * the OAuth username-password flow, the refresh-token grant); the JWT bearer and client
 * credentials token requests (tokenGrants.ts), every REST call, the Bulk API 2.0 calls and the
 * Event Log File download go through our own HTTP client (http.ts), a session's requests to its
 * validated instance only (hosts.ts). Operations and salesforce/ never talk to jsforce or HTTP
 * directly, so API-call counting, retries, renewal and error mapping live in one place.
 *
 * CONTRACT (other layers code against these names; keep them stable):
 *   readCredentialSettings(ctx)          -> { authentication, accessMode, ... }   (no network)
 *   assertWriteAllowed(ctx, settings)    -> throws NodeOperationError for Read-Only (no network)
 *   connect(ctx)                         -> SalesforceSession (signs in once per node run; on a
 *                                           401 signs in again / refreshes the OAuth2 token and
 *                                           retries that request once, per request)
 *   signIn(settings, opts)               -> SalesforceSession without an n8n context (credential
 *                                           test, with settingsFromCredential and CREDENTIAL_TYPES)
 *   queryPages<T>(session, soql, opts)   -> AsyncGenerator<T[]> following nextRecordsUrl, one
 *                                           page requested ahead (never past opts.limit); T is the
 *                                           record shape the SELECT reads (salesforce/records.ts)
 *   queryAll<T>(session, soql, opts)     -> T[] (stops early at opts.limit)
 *   updateRecords(session, type, recs)   -> SaveResult[] (sObject Collections, <= 200 a call,
 *                                           allOrNone false, results in input order; never retried)
 *   deleteRecords(session, ids)          -> SaveResult[] (sObject Collections DELETE, <= 200 IDs a
 *                                           call, allOrNone false, results in ID order; never retried)
 *   describeSObject(session, name)       -> the object's describe (fields, picklist values)
 *   openLogFile(session, id, { expectedLength }) -> Readable of the decompressed LogFile CSV
 *                                           (streams; LOG_FILE_TRUNCATED when it comes up short)
 *   send(session, request)               -> one REST call (JSON answer); dataPath and
 *                                           stripAttributes for callers that page themselves
 *                                           (reads/largeQuery.ts)
 *   bulkQueryIo(session)                 -> the calls of a Bulk API 2.0 query job (create, state,
 *                                           results pages streamed with their Sforce-Locator, abort)
 *   SalesforceApiError                   -> what every call above raises: code, httpStatus,
 *                                           retryable, apiUsage (the failing answer's own), phase
 *   toNodeApiError(node, error, itemIndex) -> NodeApiError with Salesforce code + admin guidance,
 *                                           secrets scrubbed; describeSalesforceError(error) is the
 *                                           same as plain data (code, message, description)
 *   transportOptions                     -> timeouts and retries (tests shorten them)
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
export { bulkPacing, bulkQueryIo } from './bulk';
export type { OpenLogFileOptions } from './download';
export { transportOptions } from './http';
export type { TransportOptions } from './http';
export {
	SALESFORCE_DOMAIN_SUFFIXES,
	checkInstanceUrl,
	isLoopbackHost,
	isSalesforceHost,
} from './hosts';
