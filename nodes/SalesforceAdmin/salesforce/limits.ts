/**
 * Salesforce's own sizes that the package plans around, defined once: the transport uses them
 * on the wire, the pure planning code to count calls.
 */

/** Rows per REST query page (the largest batchSize Sforce-Query-Options allows). */
export const QUERY_PAGE_SIZE = 2000;

/** Records per sObject Collections call. */
export const COLLECTION_LIMIT = 200;

/** Rows per page of a list the editor shows (the smallest batchSize Salesforce allows). */
export const LIST_PAGE_SIZE = 200;
