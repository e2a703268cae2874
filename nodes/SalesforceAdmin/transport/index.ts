/**
 * The transport layer: the node's chosen credential -> a signed-in jsforce Connection, and the
 * few primitives every operation uses (paged query, batched update). Operations never talk to
 * jsforce directly, so API-call counting, retries and error mapping live in one place.
 *
 * CONTRACT (other layers code against these names; keep them stable):
 *   readCredentialSettings(ctx)          -> { authentication, accessMode, ... }   (no network)
 *   assertWriteAllowed(ctx, settings)    -> throws NodeOperationError for Read-Only (no network)
 *   connect(ctx)                         -> SalesforceSession (signs in; refreshes itself on 401)
 *   queryPages(session, soql, opts)      -> AsyncGenerator<record[]> following nextRecordsUrl
 *   queryAll(session, soql, opts)        -> record[] (stops early at opts.limit)
 *   updateRecords(session, type, recs)   -> SaveResult[] (sObject Collections, <= 200 a call,
 *                                           allOrNone false, results in input order)
 *   toNodeApiError(node, error, extra)   -> NodeApiError with Salesforce code + admin guidance
 */
export { API_VERSION } from './apiVersion';
export * from './session';
export * from './requests';
export * from './errors';
