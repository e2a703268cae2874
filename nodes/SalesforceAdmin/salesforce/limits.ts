/**
 * Salesforce's own sizes that the package plans around, defined once: the transport uses them
 * on the wire, the pure planning code to count calls.
 */

/** Rows per REST query page (the largest batchSize Sforce-Query-Options allows). */
export const QUERY_PAGE_SIZE = 2000;

/** Records per sObject Collections call. */
export const COLLECTION_LIMIT = 200;

/**
 * sObject Collections (or query) subrequests per Composite request: of its 25 subrequests at
 * most 5 may be. A Composite request counts as one API call.
 */
export const COMPOSITE_COLLECTIONS_LIMIT = 5;

/** IDs one delete call takes: 5 Collections DELETE subrequests of 200 in one Composite request. */
export const IDS_PER_DELETE_CALL = COLLECTION_LIMIT * COMPOSITE_COLLECTIONS_LIMIT;

/** Rows per page of a list the editor shows (the smallest batchSize Salesforce allows). */
export const LIST_PAGE_SIZE = 200;
