'use strict';
// Part of the mutation check's table (scripts/mutations.js runs it): each entry removes or
// weakens one guard the package promises; the tests listed must then fail.
// What an answer means, retried executions, the order key, dry run, the key, the messages.
const {
	EXECUTE,
	TRANSPORT,
	SCHEMA,
	KEYS,
	MESSAGES,
	CREDENTIAL,
	NODE_ERRORS,
	t,
} = require('./files');

module.exports = [
	// --- What an answer means ---
	{
		guard: '303 -> unknown',
		file: TRANSPORT,
		find: 'if (status === 303) return said.seeOther();',
		replace: 'if (status === 303) return said.repeatElsewhere(status);',
		tests: t('redirects'),
	},
	{
		guard: '307/308 -> refused',
		file: TRANSPORT,
		find: 'if (status === 307 || status === 308) return said.repeatElsewhere(status);',
		replace: '',
		tests: t('redirects'),
	},
	{
		guard: 'other 3xx -> unknown',
		file: TRANSPORT,
		find: 'if (status >= 300 && status < 400) return said.ambiguousRedirect(status);',
		replace: 'if (status >= 300 && status < 400) return said.repeatElsewhere(status);',
		tests: t('redirects', 'faults'),
	},
	{
		guard: 'redirects not followed (disableFollowRedirect)',
		file: TRANSPORT,
		find: 'disableFollowRedirect: true,',
		replace: 'disableFollowRedirect: false,',
		tests: t('redirects'),
	},
	{
		guard: '5xx decides before an insufficient_permissions body',
		file: TRANSPORT,
		find: 'const body = parseJson(rawBody);\n',
		replace:
			"const body = parseJson(rawBody);\n\tif (body?.error === 'insufficient_permissions') return said.noOrderService(status);\n",
		tests: t('faults', 'network-errors', 'api-errors', 'guards'),
	},
	{
		guard: 'a 200 counts as placed only with order_id and subscription_id',
		file: TRANSPORT,
		find: "typeof body.order_id === 'string' &&",
		replace: '',
		tests: t('faults', 'guards'),
	},
	{
		guard: '1.x httpCode fallback in errorCode',
		file: TRANSPORT,
		find: "if (typeof current.httpCode === 'string' && /^[A-Z][A-Z_]+$/.test(current.httpCode)) {",
		replace: 'if (false) {',
		tests: t('network-errors'),
	},
	{
		guard: 'connection reset -> unknown (not in the not-sent codes)',
		file: TRANSPORT,
		find: "const NOT_SENT_CODES = new Set([\n\t'ECONNREFUSED',",
		replace: "const NOT_SENT_CODES = new Set([\n\t'ECONNRESET',\n\t'ECONNREFUSED',",
		tests: t('network-errors', 'faults'),
	},
	{
		guard: 'ExpressionError -> not sent',
		file: TRANSPORT,
		find: "const BEFORE_SENDING = new Set(['ExpressionError', 'CredentialAccessError']);",
		replace: 'const BEFORE_SENDING = new Set<string>([]);',
		tests: t('network-errors'),
	},
	{
		guard: 'an error from the HTTP client is never "not started"',
		file: TRANSPORT,
		find: 'if (current.isAxiosError) return undefined;',
		replace: '',
		tests: t('network-errors', 'guards'),
	},
	{
		guard: 'a stopped execution starts no purchase (cancel signal)',
		file: TRANSPORT,
		find: 'if (ctx.getExecutionCancelSignal?.()?.aborted)',
		replace: 'if (false)',
		tests: t('guards'),
	},
	// --- Retried executions ---
	{
		guard: 'Retry button guard (mode retry)',
		file: EXECUTE,
		find: "if (ctx.getMode() === 'retry') return 'execution';",
		replace: '',
		tests: t('retry-button'),
	},
	{
		guard: 'sub-workflow of a retried execution (rootExecutionMode)',
		file: EXECUTE,
		find: "return root?.rootExecutionMode === 'retry' ? 'parent' : undefined;",
		replace: 'return undefined;',
		tests: t('retry-button'),
	},
	{
		guard: 'Order In Retried Executions is the only way past the retry guard',
		file: EXECUTE,
		find: 'if (retried && !order.orderInRetries) {',
		replace: 'if (retried && order.orderInRetries) {',
		tests: t('retry-button'),
	},
	// --- Order key ---
	{
		guard: 'order key claim',
		file: EXECUTE,
		find: "if (claim !== 'claimed') {",
		replace: 'if (false) {',
		tests: t('order-key'),
	},
	{
		guard: 'order key: one use per run (keysInRun)',
		file: EXECUTE,
		find: 'if (keysInRun.has(order.orderKey)) {',
		replace: 'if (false) {',
		tests: t('order-key'),
	},
	{
		guard: 'order key marker read-back (the race check)',
		file: KEYS,
		find: "return check.processed.length === 1 ? 'claimed' : 'lost';",
		replace: "return 'claimed';",
		tests: t('order-key'),
	},
	{
		guard: 'order key: settle before the read-back',
		file: KEYS,
		find: 'await sleep(SETTLE_MS);',
		replace: '',
		tests: t('order-key'),
	},
	{
		guard: 'order key release on refusal',
		file: EXECUTE,
		find: 'if (key !== undefined) await keys.release(key);',
		replace: '',
		tests: t('order-key'),
	},
	{
		guard: 'key kept on unknown',
		file: EXECUTE,
		find: "\t\t}\n\t\treturn { kind: 'failed', failure: outcome };",
		replace:
			"\t\t}\n\t\tif (key !== undefined && outcome.kind === 'unknown') await keys.release(key);\n\t\treturn { kind: 'failed', failure: outcome };",
		tests: t('order-key'),
	},
	{
		guard: 'order key: no store, no order',
		file: KEYS,
		find: "return { ...guard.keyStoreMissing(), field: 'orderKey' };",
		replace: "return 'claimed';",
		tests: t('order-key', 'guards'),
	},
	// --- Dry run ---
	{
		guard: 'dry run records/sends nothing',
		file: EXECUTE,
		find: "if (order.dryRun) return { kind: 'preview', order };",
		replace: '',
		tests: t('dry-run', 'order-key'),
	},
	// --- The key and the base URL ---
	{
		guard: 'key redaction (hideKey) in messages',
		file: NODE_ERRORS,
		find: "return (text: string) => text.split(key).join('***');",
		replace: 'return (text: string) => text;',
		tests: t('secrets', 'guards'),
	},
	{
		guard: 'no key in the dry-run preview URL',
		file: EXECUTE,
		find: 'const shown = { ...request, url: hideKey(request.url) };',
		replace: 'const shown = request;',
		tests: t('secrets', 'dry-run', 'guards'),
	},
	{
		guard: 'base URL safety in the node (SAFE_BASE_URL check)',
		file: SCHEMA,
		find: ".regex(SAFE_BASE_URL, { message: 'baseUrlPlainHttp' })",
		replace: '',
		tests: t('validation'),
	},
	{
		guard: 'SAFE_BASE_URL: plain http only to loopback',
		file: SCHEMA,
		find: 'http:\\/\\/(localhost|127(\\.\\d{1,3}){3}|\\[::1\\])',
		replace: 'http:\\/\\/([^/?#@\\s]+)',
		tests: t('validation', 'credential'),
	},
	{
		guard: 'SAFE_BASE_URL: anchored at the end',
		file: SCHEMA,
		find: '(\\/[^?#\\s]*)?$/i;',
		replace: '(\\/[^?#\\s]*)?/i;',
		tests: t('validation', 'credential'),
	},
	{
		guard: 'base URL: no user:password part',
		file: SCHEMA,
		find: ".regex(/^[a-z]+:\\/\\/[^/?#@]*(?:[/?#]|$)/i, { message: 'baseUrlUserInfo' })",
		replace: '',
		tests: t('validation'),
	},
	{
		guard: 'credential authenticate gate (key only to a safe base URL)',
		file: CREDENTIAL,
		find: 'Authorization: `={{ ${BASE_URL_IS_SAFE} ? "Bearer " + $credentials.apiKey : "" }}`,',
		replace: 'Authorization: \'={{ "Bearer " + $credentials.apiKey }}\',',
		tests: t('credential'),
	},
	{
		guard: 'credential test gate (test request only to a safe base URL)',
		file: CREDENTIAL,
		find: 'baseURL: `={{ ${BASE_URL_IS_SAFE} ? String($credentials.baseUrl).trim().replace(/\\\\/+$/, "") : "https://base-url-must-use-https.invalid" }}`,',
		replace: 'baseURL: \'={{ String($credentials.baseUrl).trim().replace(/\\\\/+$/, "") }}\',',
		tests: t('credential'),
	},
	{
		guard: 'credential test: answers judged by body (same on n8n 1.x and 2.x)',
		file: CREDENTIAL,
		find: 'ignoreHttpStatusErrors: true,',
		replace: '',
		tests: t('credential'),
	},
	{
		guard: 'credential test: redirects not followed',
		file: CREDENTIAL,
		find: 'disableFollowRedirect: true,',
		replace: '',
		tests: t('credential'),
	},
	{
		guard: 'credential test: any other error in the answer fails',
		file: CREDENTIAL,
		find: "...['String', 'Object'].map((type) => ({",
		replace: '...[].map((type: string) => ({',
		tests: t('credential'),
	},
	{
		guard: 'credential test: an answer that is not JSON fails',
		file: CREDENTIAL,
		find: "value: 'String',",
		replace: "value: 'NotAString',",
		tests: t('credential'),
	},
	{
		guard: 'error item: one key, error (n8n 1.x routes nothing else to the error output)',
		file: NODE_ERRORS,
		find: 'return { error };',
		replace: 'return { error: message, details: error };',
		tests: t('validation', 'faults'),
	},
	{
		guard: 'unreadable credential with Continue On Fail: an error item per item',
		file: EXECUTE,
		find: 'if (!continueOnFail) throw new NodeOperationError(node, error as Error);',
		replace: 'throw new NodeOperationError(node, error as Error);',
		tests: t('guards'),
	},
	{
		guard: 'base URL checked once per run (one error, not one per item)',
		file: EXECUTE,
		find: 'if (!continueOnFail) throw new NodeOperationError(node, message, { description });',
		replace:
			'if (!continueOnFail) throw new NodeOperationError(node, `${message} [item 0]`, { description, itemIndex: 0 });',
		tests: t('validation', 'guards'),
	},
	{
		guard: 'unsafe base URL with Continue On Fail: an error item per item',
		file: EXECUTE,
		find: 'if (!continueOnFail) throw new NodeOperationError(node, message, { description });',
		replace: 'throw new NodeOperationError(node, message, { description });',
		tests: t('validation', 'guards'),
	},
	// --- What the messages say ---
	{
		guard: 'stopped-run message names what was bought (runSoFar)',
		file: EXECUTE,
		find: "error.description = `${error.description ?? ''} ${runSoFar(placed, unknown)}`.trim();",
		replace: "error.description = error.description ?? '';",
		tests: t('faults'),
	},
	{
		guard: 'runSoFar: never "nothing was ordered" after an unknown outcome',
		file: MESSAGES,
		find: "return stoppedOnUnknown\n\t\t\t? ''",
		replace: "return false\n\t\t\t? ''",
		tests: t('faults'),
	},
	{
		guard: 'tool-mode advice appended',
		file: EXECUTE,
		find: "const asTool = node.type.endsWith('Tool');",
		replace: 'const asTool = false;',
		tests: t('execution-budget'),
	},
	{
		guard: 'unknown message says "may have been placed"',
		file: MESSAGES,
		find: 'message: `${what}: ${MAY_EXIST}`,',
		replace: 'message: what,',
		tests: t('faults'),
	},
	{
		guard: 'unknown message kept when NodeApiError rewrites socket codes',
		file: NODE_ERRORS,
		find: '\terror.message = message;\n\treturn error;',
		replace: '\treturn error;',
		tests: t('faults'),
	},
];

/**
 * Mutations judged equivalent (no observable change in any run), kept out of the run. Each
 * says why, so that a reviewer can disagree.
 */
module.exports.EQUIVALENT = [
	{
		guard: 'sendCredentialsOnCrossOriginRedirect: false -> true',
		why: 'with disableFollowRedirect: true n8n follows no redirect, so the flag is never read; the redirect guard itself is mutated above.',
	},
];
