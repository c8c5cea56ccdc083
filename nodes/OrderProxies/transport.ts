import type { ICredentialsDecrypted, IExecuteFunctions, IHttpRequestOptions } from 'n8n-workflow';

import { said, type Failure } from './messages';
import type { ValidOrder } from './order.schema';

export const ORDER_PATH = '/api/v2/order/newscale';

/**
 * Every Create Order request ends in exactly one of these. The distinction is about money:
 * - placed: StatProxies confirmed the order (it is billed).
 * - refused: StatProxies answered and said no: nothing was bought, sending again is safe.
 * - not_sent: the request never reached StatProxies: nothing was bought.
 * - unknown: the request may have been processed: the order may exist. Never re-sent blindly.
 */
export type Outcome = { kind: 'placed'; orderId: string; subscriptionId: string } | Failure;

/** The request exactly as it goes out, minus the Authorization header n8n adds from the credential. */
export function orderRequest(order: ValidOrder, baseUrl: string) {
	return {
		method: 'POST' as const,
		url: `${baseUrl}${ORDER_PATH}`,
		headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
		body: order.body,
	};
}

/** The options handed to n8n's HTTP helper for one order (the benchmarks send the same). */
export function httpOptions(order: ValidOrder, baseUrl: string): IHttpRequestOptions {
	const request = orderRequest(order, baseUrl);
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
	baseUrl: string,
	credential: ICredentialsDecrypted,
): Promise<Outcome> {
	// A stopped execution must not start a purchase.
	if (ctx.getExecutionCancelSignal?.()?.aborted)
		return said.notStarted('the execution was stopped');
	const options = httpOptions(order, baseUrl);
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
	// Before anything is cut into an excerpt: a key cut in half would no longer be found.
	const key = String(credential.data?.apiKey ?? '').trim();
	const body =
		typeof response.body === 'string' && key.length >= 8
			? response.body.split(key).join('***')
			: response.body;
	return classifyResponse(response.statusCode, body);
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

function isConfirmedOrder(body: Record<string, unknown> | undefined) {
	return (
		body?.response === 'success' &&
		typeof body.order_id === 'string' &&
		body.order_id !== '' &&
		typeof body.subscription_id === 'string' &&
		body.subscription_id !== ''
	);
}

/** The status decides first: what it means for a POST that may have bought something. */
function classifyResponse(status: number, rawBody: unknown): Outcome {
	const body = parseJson(rawBody);
	if (status >= 200 && status < 300) {
		if (isConfirmedOrder(body)) {
			return {
				kind: 'placed',
				orderId: body?.order_id as string,
				subscriptionId: body?.subscription_id as string,
			};
		}
		return said.noConfirmation(status, excerpt(rawBody));
	}
	if (status === 303) return said.seeOther();
	if (status === 307 || status === 308) return said.repeatElsewhere(status);
	if (status >= 300 && status < 400) return said.ambiguousRedirect(status);
	if (status >= 400 && status < 500) {
		if (body?.error === 'insufficient_permissions') return said.noOrderService(status);
		if (status === 401) return said.invalidKey(status);
		if (status === 400) {
			return said.badRequest(typeof body?.response === 'string' ? body.response : excerpt(rawBody));
		}
		if (status === 429) return said.rateLimited();
		return said.clientError(status, excerpt(rawBody));
	}
	// 5xx, and anything outside HTTP's classes: the order may have been processed.
	return said.serverError(status, excerpt(rawBody));
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
/** n8n's own errors from before the request is built (the credential's expression, for one). */
const BEFORE_SENDING = new Set(['ExpressionError', 'CredentialAccessError']);

interface ErrorLink {
	code?: unknown;
	httpCode?: unknown;
	cause?: unknown;
	name?: unknown;
	isAxiosError?: unknown;
	message?: unknown;
}

/**
 * n8n wraps the socket error (NodeApiError > AxiosError > system error): find its code, or
 * the class name of n8n's own refusals, which carry no code. n8n 1.x's NodeApiError drops
 * its cause (a class field resets it), and the code survives only as its httpCode.
 */
function errorCode(error: unknown): string | undefined {
	let current = error as ErrorLink | undefined;
	for (let depth = 0; current && depth < 5; depth++) {
		if (typeof current.code === 'string' && current.code !== '') return current.code;
		if (typeof current.name === 'string' && current.name.startsWith('Ssrf')) return current.name;
		if (typeof current.httpCode === 'string' && /^[A-Z][A-Z_]+$/.test(current.httpCode)) {
			return current.httpCode;
		}
		current = current.cause as ErrorLink | undefined;
	}
	return undefined;
}

/** An error n8n raised before any request existed: no HTTP client error anywhere in the chain. */
function failedBeforeSending(error: unknown): string | undefined {
	let current = error as ErrorLink | undefined;
	for (let depth = 0; current && depth < 5; depth++) {
		if (current.isAxiosError) return undefined;
		if (typeof current.name === 'string' && BEFORE_SENDING.has(current.name)) {
			return typeof current.message === 'string' ? current.message : current.name;
		}
		current = current.cause as ErrorLink | undefined;
	}
	return undefined;
}

export function classifyError(error: unknown): Failure {
	const code = errorCode(error);
	if (code && NOT_SENT_CODES.has(code)) return said.notReached(code);
	if (code && TIMEOUT_CODES.has(code)) return said.timeout();
	const before = code ? undefined : failedBeforeSending(error);
	if (before) return said.notStarted(before);
	return said.connectionLost(code);
}
