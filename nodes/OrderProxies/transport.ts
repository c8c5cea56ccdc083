import type { ICredentialsDecrypted, IExecuteFunctions, IHttpRequestOptions } from 'n8n-workflow';

import type { ValidOrder } from './order.schema';

export const ORDER_PATH = '/api/v2/order/newscale';

/**
 * Every Create Order request ends in exactly one of these. The distinction is about money:
 * - placed: StatProxies confirmed the order (it is billed).
 * - refused: StatProxies answered and said no: nothing was bought, sending again is safe.
 * - not_sent: the request never reached StatProxies: nothing was bought.
 * - unknown: the request may have been processed: the order may exist. Never re-sent blindly.
 */
export type Outcome =
	| { kind: 'placed'; orderId: string; subscriptionId: string }
	| {
			kind: 'refused' | 'not_sent' | 'unknown';
			message: string;
			description: string;
			httpCode?: string;
	  };

export type Failure = Exclude<Outcome, { kind: 'placed' }>;

const NOTHING_ORDERED = 'StatProxies did not create this order.';
const CHECK_DASHBOARD =
	'The order may or may not have been placed. Check the orders in your StatProxies dashboard before running this again: running it again could buy a second time.';

/** The request exactly as it goes out, minus the Authorization header n8n adds from the credential. */
export function orderRequest(order: ValidOrder) {
	return {
		method: 'POST' as const,
		url: `${order.baseUrl}${ORDER_PATH}`,
		headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
		body: order.body,
	};
}

/** The options handed to n8n's HTTP helper for one order (the benchmarks send the same). */
export function httpOptions(order: ValidOrder): IHttpRequestOptions {
	const request = orderRequest(order);
	return {
		...request,
		// Sent as text and read back as text: the body is parsed here, so that a malformed
		// answer is classified instead of thrown somewhere inside the HTTP stack.
		body: JSON.stringify(request.body),
		encoding: 'text',
		json: false,
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
		// A redirect could carry the key to another host, and would turn the POST into a GET.
		disableFollowRedirect: true,
		sendCredentialsOnCrossOriginRedirect: false,
		timeout: order.timeout,
	};
}

export async function placeOrder(
	ctx: IExecuteFunctions,
	order: ValidOrder,
	credential: ICredentialsDecrypted,
): Promise<Outcome> {
	const options = httpOptions(order);
	let response: { statusCode: number; body: unknown };
	try {
		response = await ctx.helpers.httpRequestWithAuthentication.call(
			ctx,
			'statProxiesApi',
			options,
			{
				credentialsDecrypted: credential,
			},
		);
	} catch (error) {
		return classifyError(error);
	}
	return classifyResponse(response.statusCode, response.body);
}

function parseJson(body: unknown): Record<string, unknown> | undefined {
	if (body !== null && typeof body === 'object') return body as Record<string, unknown>;
	if (typeof body !== 'string') return undefined;
	try {
		const parsed: unknown = JSON.parse(body);
		return parsed !== null && typeof parsed === 'object'
			? (parsed as Record<string, unknown>)
			: undefined;
	} catch {
		return undefined;
	}
}

/** A short, single-line excerpt of what came back, for messages. */
function excerpt(body: unknown): string {
	const text = (typeof body === 'string' ? body : JSON.stringify(body ?? '')) ?? '';
	const flat = text
		.replace(/<[^>]*>/g, ' ')
		.replace(/\s+/g, ' ')
		.trim();
	return flat.length > 200 ? `${flat.slice(0, 200)}...` : flat || '(empty body)';
}

/** The documented 400 messages, each with what the user can do about it. */
const BAD_REQUEST_HELP: Record<string, string> = {
	'Missing required fields': 'Quantity and Product Type are both required.',
	'Invalid product_type':
		'StatProxies does not sell this product type to this account. Pick captcha, x1 or level3, or a type listed in your StatProxies dashboard.',
	'Quantity must be greater than 0': 'Set Quantity to a whole number greater than 0.',
	'Customer ID must contain only lowercase letters (a-z)':
		'Use lowercase letters a-z only in Customer, or leave it empty.',
};

function classifyResponse(status: number, rawBody: unknown): Outcome {
	const body = parseJson(rawBody);
	const httpCode = String(status);

	if (status >= 200 && status < 300) {
		const orderId = body?.order_id;
		const subscriptionId = body?.subscription_id;
		if (
			body?.response === 'success' &&
			typeof orderId === 'string' &&
			orderId !== '' &&
			typeof subscriptionId === 'string' &&
			subscriptionId !== ''
		) {
			return { kind: 'placed', orderId, subscriptionId };
		}
		return {
			kind: 'unknown',
			httpCode,
			message: `StatProxies answered HTTP ${status} without a confirmed order (got: ${excerpt(rawBody)})`,
			description: CHECK_DASHBOARD,
		};
	}

	if (body?.error === 'insufficient_permissions') {
		return {
			kind: 'refused',
			httpCode,
			message: 'The API key is not allowed to create orders (insufficient_permissions)',
			description: `Enable the "order" service for this key in the StatProxies dashboard, or use a key that has it. ${NOTHING_ORDERED}`,
		};
	}
	if (status === 401) {
		return {
			kind: 'refused',
			httpCode,
			message: 'StatProxies rejected the API key (invalid_api_key)',
			description: `Check the API key in the StatProxies API credential: it may be mistyped, revoked or expired. ${NOTHING_ORDERED}`,
		};
	}
	if (status === 400) {
		const said = typeof body?.response === 'string' ? body.response : excerpt(rawBody);
		const help =
			BAD_REQUEST_HELP[said] ?? 'Check the order fields against the StatProxies documentation.';
		return {
			kind: 'refused',
			httpCode,
			message: `StatProxies refused the order: ${said}`,
			description: `${help} ${NOTHING_ORDERED}`,
		};
	}
	if (status === 429) {
		return {
			kind: 'refused',
			httpCode,
			message: 'StatProxies is limiting requests (HTTP 429 Too Many Requests)',
			description: `Wait a little and run again, or make the workflow order less often. ${NOTHING_ORDERED}`,
		};
	}
	if (status >= 300 && status < 500) {
		return {
			kind: 'refused',
			httpCode,
			message: `StatProxies refused the order with HTTP ${status} (got: ${excerpt(rawBody)})`,
			description: `Check the Base URL in the StatProxies API credential (it should be https://dashboard.statproxies.com) and that the key may create orders. ${NOTHING_ORDERED}`,
		};
	}
	return {
		kind: 'unknown',
		httpCode,
		message: `StatProxies failed with HTTP ${status} while placing the order (got: ${excerpt(rawBody)})`,
		description: CHECK_DASHBOARD,
	};
}

/** Failures that happen before the request leaves this machine: nothing reached StatProxies. */
const NOT_SENT_CODES = new Set([
	'ECONNREFUSED',
	'ENOTFOUND',
	'EAI_AGAIN',
	'EAI_FAIL',
	'EHOSTUNREACH',
	'ENETUNREACH',
	'ERR_INVALID_URL',
	'ERR_SOCKET_BAD_PORT',
	'CERT_HAS_EXPIRED',
	'DEPTH_ZERO_SELF_SIGNED_CERT',
	'SELF_SIGNED_CERT_IN_CHAIN',
	'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
	'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
	'ERR_TLS_CERT_ALTNAME_INVALID',
	// n8n's SSRF protection refuses the address before connecting.
	'SsrfBlockedIpError',
	'SsrfBlockedHostnameError',
]);
const TIMEOUT_CODES = new Set(['ECONNABORTED', 'ETIMEDOUT', 'ESOCKETTIMEDOUT']);

/**
 * n8n wraps the socket error (NodeApiError > AxiosError > system error): find its code, or
 * the class name of n8n's own refusals, which carry no code.
 */
function errorCode(error: unknown): string | undefined {
	let current = error as { code?: unknown; cause?: unknown; name?: unknown } | undefined;
	for (let depth = 0; current && depth < 5; depth++) {
		if (typeof current.code === 'string' && current.code !== '') return current.code;
		if (typeof current.name === 'string' && current.name.startsWith('Ssrf')) return current.name;
		current = current.cause as typeof current;
	}
	return undefined;
}

function classifyError(error: unknown): Failure {
	const code = errorCode(error);
	if (code && NOT_SENT_CODES.has(code)) {
		return {
			kind: 'not_sent',
			message: `Could not reach StatProxies (${code})`,
			description: `The request did not reach StatProxies, so nothing was ordered. Check the Base URL in the StatProxies API credential and this machine's network, then run again.`,
		};
	}
	if (code && TIMEOUT_CODES.has(code)) {
		return {
			kind: 'unknown',
			message: 'StatProxies did not answer within the timeout while placing the order',
			description: `${CHECK_DASHBOARD} To wait longer next time, raise Options > Timeout.`,
		};
	}
	return {
		kind: 'unknown',
		message: `The connection to StatProxies failed while placing the order (${code ?? 'no error code'})`,
		description: CHECK_DASHBOARD,
	};
}
