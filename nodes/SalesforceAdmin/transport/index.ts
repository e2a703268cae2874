/**
 * The transport layer: the node's chosen credential -> a signed-in session, and every byte on
 * the wire after that, all over n8n's request helpers (wire.ts: `helpers.httpRequest`, the
 * credential test's `helpers.request`): the sign-ins (SOAP login(), the OAuth token grants:
 * tokenGrants.ts, soapLogin.ts, passwordGrant.ts), every REST call, the Bulk API 2.0 calls and
 * the Event Log File download, a session's requests to its validated instance only (hosts.ts).
 * Operations and salesforce/ never talk HTTP directly, so API-call counting, retries, renewal,
 * deadlines and error mapping live in one place.
 *
 * CONTRACT (other layers code against these names; keep them stable):
 *   readCredentialSettings(ctx)          -> { authentication, accessMode, ... }   (no network)
 *   assertWriteAllowed(ctx, settings)    -> throws NodeOperationError for Read-Only (no network)
 *   connect(ctx)                         -> SalesforceSession (signs in once per node run; on a
 *                                           401 signs in again / refreshes the OAuth2 token and
 *                                           retries that request once, per request)
 *   signIn(settings, { wire })           -> SalesforceSession outside a node run (the credential
 *                                           test: wireFrom(this.helpers), with
 *                                           settingsFromCredential and CREDENTIAL_TYPES)
 *   queryPages<T>(session, soql, opts)   -> AsyncGenerator<T[]> following nextRecordsUrl, one
 *                                           page requested ahead (never past opts.limit); T is the
 *                                           record shape the SELECT reads (salesforce/records.ts)
 *   queryAll<T>(session, soql, opts)     -> T[] (stops early at opts.limit)
 *   updateRecords(session, type, recs)   -> SaveResult[] (sObject Collections, <= 200 a call,
 *                                           allOrNone false, results in input order; never retried;
 *                                           refused for a Read-Only session, as every write is)
 *   deleteRecords(session, ids)          -> SaveResult[] (one Composite request per 1,000 IDs: 5
 *                                           sObject Collections DELETE subrequests of <= 200, run
 *                                           in order, allOrNone false at both levels; one API
 *                                           call each; results in ID order, a subrequest refused
 *                                           whole gives each of its IDs that code and message;
 *                                           never retried; refused for a Read-Only session;
 *                                           an endpoint without Composite (404/405/501): plain
 *                                           Collections DELETE of 200 for the rest of the session)
 *   describeSObject(session, name)       -> the object's describe (fields, picklist values)
 *   openLogFile(session, id, { expectedLength }) -> AsyncIterable<Buffer> of the decompressed
 *                                           LogFile CSV (streams; LOG_FILE_TRUNCATED when it comes
 *                                           up short; stops when the execution is cancelled)
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
 *   DEFAULT_TRANSPORT_OPTIONS            -> idle and overall deadlines, retries; a wire is made with
 *                                           its own (wireFrom's tuning; a node run's: tuneRun,
 *                                           which only tests call)
 */
export { API_VERSION } from './apiVersion';
export * from './session';
export * from './requests';
export * from './errors';
export { LOGIN_URLS, resolveLoginUrl, validateMyDomainUrl } from './loginUrl';
export { rememberSecrets, scrubSecrets } from './secrets';
export { SessionAuth } from './auth';
export * from './describe';
export { collectBytes, openLogFile } from './download';
export { DEFAULT_BULK_PACING, bulkQueryIo } from './bulk';
export type { OpenLogFileOptions } from './download';
export { DEFAULT_TRANSPORT_OPTIONS, wireFrom } from './wire';
export type { RequestHelpers, TransportOptions, Wire, WireRequest } from './wire';
export {
	SALESFORCE_DOMAIN_SUFFIXES,
	checkInstanceUrl,
	isLoopbackHost,
	isSalesforceHost,
} from './hosts';
