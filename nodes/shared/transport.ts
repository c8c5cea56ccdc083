import type {
	ICredentialsDecrypted,
	IDataObject,
	IExecuteFunctions,
	IHttpRequestOptions,
} from 'n8n-workflow';

import type { Action, ApiRequest, Outcome } from './action';
import type { Failure, Said } from './outcomes';

/**
 * Every request ends in exactly one outcome, and the distinction is about money and IPs:
 * - done: StatProxies confirmed it (an order is billed; an exchange replaced the IPs).
 * - refused: StatProxies answered and said no: nothing happened, sending again is safe.
 * - not_sent: the request never reached StatProxies: nothing happened.
 * - unknown: the request may have been processed. Never re-sent blindly.
 */

/** The options handed to n8n's HTTP helper for one request (the benchmarks send the same). */
export function httpOptions(request: ApiRequest, timeout: number): IHttpRequestOptions {
	return {
		...request,
		// Sent as text and read back as text: the body is parsed here, so that a malformed
		// answer is classified instead of thrown somewhere inside the HTTP stack.
		body: request.body === undefined ? undefined : JSON.stringify(request.body),
		encoding: 'text',
		json: false,
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
		// A redirect could carry the key to another host, and would turn the POST into a GET.
		disableFollowRedirect: true,
		sendCredentialsOnCrossOriginRedirect: false,
		timeout,
	};
}

export async function send(
	ctx: IExecuteFunctions,
	action: Action,
	said: Said,
	ask: IDataObject,
	request: ApiRequest,
	timeout: number,
	credential: ICredentialsDecrypted,
	hideKey: (text: string) => string,
): Promise<Outcome> {
	// A stopped execution must not start a request.
	if (ctx.getExecutionCancelSignal?.()?.aborted)
		return said.notStarted('the execution was stopped');
	let response: { statusCode: number; body: unknown };
	try {
		response = await ctx.helpers.httpRequestWithAuthentication.call(
			ctx,
			'statProxiesApi',
			httpOptions(request, timeout),
			{ credentialsDecrypted: credential },
		);
	} catch (error) {
		return classifyError(said, error);
	}
	// Before anything is cut into an excerpt: a key cut in half would no longer be found.
	const body = typeof response.body === 'string' ? hideKey(response.body) : response.body;
	return classifyResponse(action, said, ask, response.statusCode, body);
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

/** The status decides first: what it means for a POST that may have bought or changed something. */
function classifyResponse(
	action: Action,
	said: Said,
	ask: IDataObject,
	status: number,
	rawBody: unknown,
): Outcome {
	const body = parseJson(rawBody);
	const done = action.confirmed(body, ask);
	if (status >= 200 && status < 300) {
		return done ? { kind: 'done', ...done } : said.noConfirmation(status, excerpt(rawBody));
	}
	// An error status whose body confirms the request: the two disagree, and it may exist.
	if (done) return said.contradiction(status, excerpt(rawBody));
	if (status === 303) return said.seeOther();
	if (status === 307 || status === 308) return said.repeatElsewhere(status);
	if (status >= 300 && status < 400) return said.ambiguousRedirect(status);
	if (status >= 400 && status < 500) {
		if (body?.error === 'insufficient_permissions') return said.noPermission(status);
		if (status === 401) return said.invalidKey(status);
		const own = action.refusal?.(said, status, body, excerpt(rawBody));
		if (own) return own;
		if (status === 429) return said.rateLimited();
		return said.clientError(status, excerpt(rawBody));
	}
	// 5xx, and anything outside HTTP's classes: the request may have been processed.
	return said.serverError(status, excerpt(rawBody));
}

/**
 * Failures of the connect step: the request never left this machine, nothing reached
 * StatProxies. The same codes after a connection was made (a route lost mid-request) mean
 * the request may have arrived: those are unknown (see neverLeft).
 */
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
/** The network codes that can also come after the request left (a route lost mid-request). */
const ROUTE_CODES = new Set(['EHOSTUNREACH', 'ENETUNREACH']);
const TIMEOUT_CODES = new Set(['ECONNABORTED', 'ETIMEDOUT', 'ESOCKETTIMEDOUT']);
/** n8n's own errors from before the request is built (the credential's expression, for one). */
const BEFORE_SENDING = new Set(['ExpressionError', 'CredentialAccessError']);

interface ErrorLink {
	code?: unknown;
	httpCode?: unknown;
	cause?: unknown;
	name?: unknown;
	syscall?: unknown;
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

/** The system call that failed ("connect", "write", "read"), where the chain still holds it. */
function failedCall(error: unknown): string | undefined {
	let current = error as ErrorLink | undefined;
	for (let depth = 0; current && depth < 5; depth++) {
		if (typeof current.syscall === 'string') return current.syscall;
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

/**
 * A host or network that became unreachable is "not sent" only when the connect step failed
 * (syscall "connect"): the same code on an established connection means the request may have
 * left. n8n 1.x keeps no syscall (the code survives alone in httpCode): there only the codes
 * that a connect attempt alone can raise count as not sent.
 */
function neverLeft(code: string, error: unknown): boolean {
	return NOT_SENT_CODES.has(code) && (!ROUTE_CODES.has(code) || failedCall(error) === 'connect');
}

export function classifyError(said: Said, error: unknown): Failure {
	const code = errorCode(error);
	if (code && neverLeft(code, error)) return said.notReached(code);
	if (code && TIMEOUT_CODES.has(code)) return said.timeout();
	if (code === 'ERR_CANCELED') return said.stoppedInFlight();
	const before = code ? undefined : failedBeforeSending(error);
	if (before) return said.notStarted(before);
	return said.connectionLost(code);
}
