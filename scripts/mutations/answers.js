'use strict';
// Part of the mutation check's table (scripts/mutations.js runs it): each entry removes or
// weakens one guard the package promises; the tests listed must then fail.
// What an answer means, retried executions, the order key, dry run, the key, the messages.
const { RUN, PLAN, TRANSPORT, BASE_URL, OUTCOMES, NODE_ERRORS, ORDER, t } = require('./files');

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
			"const body = parseJson(rawBody);\n\tif (body?.error === 'insufficient_permissions') return said.noPermission(status);\n",
		tests: t('faults', 'network-errors', 'api-errors', 'guards'),
	},
	{
		guard: 'a 200 counts as placed only with order_id and subscription_id',
		file: ORDER,
		find: "if (typeof subscriptionId !== 'string' || subscriptionId.trim() === '') return;",
		replace: '',
		tests: t('faults', 'guards'),
	},
	{
		guard: 'an error status whose body confirms the request is unknown, not refused',
		file: TRANSPORT,
		find: 'if (done) return said.contradiction(status, excerpt(rawBody));',
		replace: '',
		tests: t('reviewer-findings'),
	},
	{
		guard: 'an order id in a success must look like an order id',
		file: ORDER,
		find: "if (body?.response !== 'success' || typeof orderId !== 'string' || !ORDER_ID.test(orderId)) {",
		replace: "if (body?.response !== 'success' || typeof orderId !== 'string' || orderId === '') {",
		tests: t('reviewer-findings', 'faults'),
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
		find: "if (ctx.getExecutionCancelSignal?.()?.aborted)\n\t\treturn said.notStarted('the execution was stopped');",
		replace: '',
		tests: t('guards'),
	},
	{
		guard: 'a route lost after connecting (EHOSTUNREACH not at connect) is unknown',
		file: TRANSPORT,
		find: "return NOT_SENT_CODES.has(code) && (!ROUTE_CODES.has(code) || failedCall(error) === 'connect');",
		replace: 'return NOT_SENT_CODES.has(code);',
		tests: t('network-errors'),
	},
	{
		guard: 'EHOSTUNREACH at the connect step is not sent',
		file: TRANSPORT,
		find: "return NOT_SENT_CODES.has(code) && (!ROUTE_CODES.has(code) || failedCall(error) === 'connect');",
		replace: 'return NOT_SENT_CODES.has(code) && !ROUTE_CODES.has(code);',
		tests: t('network-errors'),
	},
	{
		guard: 'an echoed key is hidden before the excerpt cuts it',
		file: TRANSPORT,
		find: "const body = typeof response.body === 'string' ? hideKey(response.body) : response.body;",
		replace: 'const body = response.body;',
		tests: t('secrets', 'guards'),
	},
	// --- Retried executions ---
	{
		guard: 'Retry button guard (mode retry)',
		file: PLAN,
		find: "if (ctx.getMode() === 'retry') return 'execution';",
		replace: '',
		tests: t('retry-button'),
	},
	{
		guard: 'sub-workflow of a retried execution (rootExecutionMode)',
		file: PLAN,
		find: "return root?.rootExecutionMode === 'retry' ? 'parent' : undefined;",
		replace: 'return undefined;',
		tests: t('retry-button'),
	},
	{
		guard: 'Order In Retried Executions is the only way past the retry guard',
		file: PLAN,
		find: 'if (retried && !item.inRetries) {',
		replace: 'if (retried && item.inRetries) {',
		tests: t('retry-button'),
	},
	// --- Dry run ---
	{
		guard: 'dry run records/sends nothing',
		file: PLAN,
		find: "if (item.dryRun) return { kind: 'preview', item };",
		replace: '',
		tests: t('dry-run', 'order-key'),
	},
	// --- The key and the base URL ---
	{
		guard: 'key redaction (hideKey) in messages',
		file: NODE_ERRORS,
		find: "return (text: string) => forms.reduce((hidden, form) => hidden.split(form).join('***'), text);",
		replace: 'return (text: string) => text;',
		tests: t('secrets', 'guards'),
	},
	{
		guard: 'no key in the dry-run preview URL',
		file: RUN,
		find: 'const shown = { ...request, url: hideKey(request.url) };',
		replace: 'const shown = request;',
		tests: t('secrets', 'dry-run', 'guards'),
	},
	{
		guard: 'base URL safety in the node (SAFE_BASE_URL check)',
		file: BASE_URL,
		find: ".regex(SAFE_BASE_URL, { message: 'baseUrlPlainHttp' })",
		replace: '',
		tests: t('validation'),
	},
	{
		guard: 'SAFE_BASE_URL: plain http only to loopback',
		file: BASE_URL,
		find: 'http:\\/\\/(localhost|127(\\.\\d{1,3}){3}|\\[::1\\])',
		replace: 'http:\\/\\/([^/?#@\\s]+)',
		tests: t('validation', 'credential'),
	},
	{
		guard: 'SAFE_BASE_URL: anchored at the end',
		file: BASE_URL,
		find: '(\\/[^?#\\s]*)?$/i;',
		replace: '(\\/[^?#\\s]*)?/i;',
		tests: t('validation', 'credential'),
	},
	{
		guard: 'base URL: no user:password part',
		file: BASE_URL,
		find: ".regex(/^[a-z]+:\\/\\/[^/?#@]*(?:[/?#]|$)/i, { message: 'baseUrlUserInfo' })",
		replace: '',
		tests: t('validation'),
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
		file: RUN,
		find: "const { message, description } = guard.credentialUnreadable((error as Error).message);",
		replace: "if (error) throw new NodeOperationError(node, error as Error);\n\t\tconst { message, description } = guard.credentialUnreadable((error as Error).message);",
		tests: t('guards'),
	},
	{
		guard: 'base URL checked once per run (one error, not one per item)',
		file: RUN,
		find: 'if (!continueOnFail) throw new NodeOperationError(node, message, { description });',
		replace:
			'if (!continueOnFail) throw new NodeOperationError(node, `${message} [item 0]`, { description, itemIndex: 0 });',
		tests: t('validation', 'guards'),
	},
	{
		guard: 'unsafe base URL with Continue On Fail: an error item per item',
		file: RUN,
		find: 'if (!continueOnFail) throw new NodeOperationError(node, message, { description });',
		replace: 'throw new NodeOperationError(node, message, { description });',
		tests: t('validation', 'guards'),
	},
	{
		guard: 'the key hidden in its JSON-escaped form (a "/" as "\\/")',
		file: NODE_ERRORS,
		find: "\t\t\tjson.replace(/\\//g, '\\\\/'),\n",
		replace: '',
		tests: t('secrets', 'guards'),
	},
	{
		guard: 'the key hidden in its URL-encoded form',
		file: NODE_ERRORS,
		find: '\t\t\turl,\n',
		replace: '',
		tests: t('secrets', 'guards'),
	},
	{
		guard: 'a NaN or Infinity key is refused (not the shared key "NaN")',
		file: 'nodes/shared/rules.ts',
		find: "return typeof value === 'number' && Number.isFinite(value) ? String(value) : value;",
		replace: "return typeof value === 'number' ? String(value) : value;",
		tests: t('execution-scope'),
	},
	// --- What the messages say ---
	{
		guard: 'stopped-run message names what was bought (runSoFar)',
		file: RUN,
		find: "error.description = `${error.description ?? ''} ${soFar}`.trim();",
		replace: "error.description = error.description ?? '';",
		tests: t('faults'),
	},
	{
		guard: 'runSoFar: never "nothing was ordered" after an unknown outcome',
		file: OUTCOMES,
		find: "return stoppedOnUnknown ? '' : w.nothingSoFar;",
		replace: 'return w.nothingSoFar;',
		tests: t('faults', 'execution-scope'),
	},
	{
		guard: 'unknown message says "may have been placed"',
		file: OUTCOMES,
		find: 'message: `${what}: ${w.mayExist}`,',
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
