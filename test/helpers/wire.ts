/**
 * n8n-core's own request helper, for tests that call the transport or a credential outside a
 * node run (signIn, preAuthentication): the same `httpRequest` n8n-core puts into every node
 * context's helpers (not a stub), so what is tested is what runs.
 */
import './n8n-env';

import type { IHttpRequestHelper } from 'n8n-workflow';
import { httpRequest } from 'n8n-core/dist/execution-engine/node-execution-context/utils/request-helper-functions';

import type { TransportOptions, Wire } from '../../nodes/SalesforceAdmin/transport';
import { wireFrom } from '../../nodes/SalesforceAdmin/transport';

export const n8nRequestHelpers = { httpRequest } as IHttpRequestHelper['helpers'];

/** What n8n-core hands a credential's preAuthentication as `this`. */
export const preAuthenticationContext: IHttpRequestHelper = { helpers: n8nRequestHelpers };

/**
 * The transport's wire over n8n-core's httpRequest (optionally with a cancel signal, and with
 * shorter deadlines or pauses than the defaults).
 */
export const testWire = (cancelSignal?: AbortSignal, tuning?: Partial<TransportOptions>): Wire =>
	wireFrom(n8nRequestHelpers, cancelSignal, tuning);
