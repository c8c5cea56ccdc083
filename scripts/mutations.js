#!/usr/bin/env node
'use strict';
// The mutation check (issue 9, "Done when"): every guard the package promises is removed or
// weakened in turn, and at least one jest test must fail for it. Each mutation edits the
// source in place, runs the jest files listed for it, and restores the original in a
// `finally` (and on Ctrl-C, SIGTERM or an uncaught error): the work tree is never left
// mutated. Plain JS: n8n's lint forbids `process` and `node:*` in .ts files.
//
//   node scripts/mutations.js                 run every mutation, print the table
//   node scripts/mutations.js --only <regex>  only the guards whose name matches <regex>
//   node scripts/mutations.js --markdown      also write docs/mutations.md from the results
//   node scripts/mutations.js --list          print the table without running anything
//
// A mutation: { guard, file, find, replace, tests }. `find` must occur exactly once in
// `file`, else the mutation is reported as STALE (the source moved on: update the table).
// For a mutation that needs two edits (reserve *after* sending), `find` and `replace` may be
// arrays of the same length, applied in order. Exit code: 1 if any mutation survived or is
// stale, or if the tests fail before any mutation (the baseline), else 0.
const fs = require('node:fs');
const path = require('node:path');
const { spawn } = require('node:child_process');
const os = require('node:os');

const ROOT = path.resolve(__dirname, '..');
const EXECUTE = 'nodes/OrderProxies/execute.ts';
const MEMORY = 'nodes/OrderProxies/executionMemory.ts';
const TRANSPORT = 'nodes/OrderProxies/transport.ts';
const SCHEMA = 'nodes/OrderProxies/order.schema.ts';
const KEYS = 'nodes/OrderProxies/orderKey.ts';
const MESSAGES = 'nodes/OrderProxies/messages.ts';
const CREDENTIAL = 'credentials/StatProxiesApi.credentials.ts';
const t = (...names) => names.map((name) => `test/${name}.test.ts`);

/** @type {{ guard: string, file: string, find: string | string[], replace: string | string[], tests: string[] }[]} */
const MUTATIONS = [
	// --- Decided before anything is sent ---
	{
		guard: 'validate-all-before-sending (pre-send stop)',
		file: EXECUTE,
		find: 'if (first !== -1) throw stopped(plans[first] as Refusal, first);',
		replace: '',
		tests: t('validation', 'guards'),
	},
	{
		guard: 'Max Quantity cap',
		file: SCHEMA,
		find: 'if (input.quantity > input.maxQuantity) {',
		replace: 'if (false) {',
		tests: t('validation'),
	},
	{
		guard: 'Max Proxies Per Execution check',
		file: EXECUTE,
		find: 'if (memory.spent() + quantity > budget) {',
		replace: 'if (false) {',
		tests: t('execution-budget'),
	},
	{
		guard: 'budget: reserve before sending (moved to after the answer)',
		file: EXECUTE,
		find: [
			'\t\tmemory.reserve(quantity);\n',
			'const outcome = await placeOrder(this, order, baseUrl, credential);\n',
		],
		replace: [
			'',
			'const outcome = await placeOrder(this, order, baseUrl, credential);\n\t\tmemory.reserve(order.body.quantity);\n',
		],
		tests: t('execution-budget'),
	},
	{
		guard: 'budget: release when refused / not sent',
		file: EXECUTE,
		find: '// Nothing was bought: the budget and the key are free for a corrected order.\n\t\t\tmemory.release(order.body.quantity);',
		replace: '',
		tests: t('execution-budget', 'guards'),
	},
	{
		guard: 'budget: unknown outcome keeps its share',
		file: EXECUTE,
		find: '\t\tif (outcome.kind !== \'unknown\') {\n\t\t\t// Nothing was bought',
		replace: '\t\tmemory.release(order.body.quantity);\n\t\tif (outcome.kind !== \'unknown\') {\n\t\t\t// Nothing was bought',
		tests: t('execution-budget'),
	},
	{
		guard: 'budget: items never sent give their reservation back (finally)',
		file: EXECUTE,
		find: 'for (const quantity of reserved.values()) memory.release(quantity);',
		replace: '',
		tests: t('execution-budget', 'guards'),
	},
	{
		guard: 'budget: a refused order-key claim gives its reservation back',
		file: EXECUTE,
		find: '\t\t\t\tmemory.release(order.body.quantity);\n\t\t\t\treturn { kind: \'failed\', failure: claim };',
		replace: '\t\t\t\treturn { kind: \'failed\', failure: claim };',
		tests: t('order-key', 'guards'),
	},
	// --- Retry On Fail memory ---
	{
		guard: 'Retry On Fail replay (recall -> replay)',
		file: EXECUTE,
		find: 'if (memory.recall(run, itemIndex)) {',
		replace: 'if (false) {',
		tests: t('retry-memory', 'retry'),
	},
	{
		guard: 'memory keyed by execution id',
		file: MEMORY,
		find: 'const executionId = ctx.getExecutionId();',
		replace: "const executionId = 'one-for-all';",
		tests: t('retry-memory', 'order'),
	},
	{
		guard: 'memory keyed by run index',
		file: EXECUTE,
		find: 'const runIndex = this.getWorkflowDataProxy(0).$thisRunIndex;',
		replace: 'const runIndex = 0;',
		tests: t('execution-budget', 'retry-memory', 'guards'),
	},
	{
		guard: 'memory keyed by node name',
		file: EXECUTE,
		find: 'const memory = nodeMemory(this, node.name);',
		replace: "const memory = nodeMemory(this, 'any node');",
		tests: t('guards'),
	},
	{
		guard: 'memory refreshed on use (usedAt)',
		file: MEMORY,
		find: '\t\tfound.usedAt = now;\n',
		replace: '',
		tests: t('retry-memory'),
	},
	{
		guard: 'forget a clean run',
		file: EXECUTE,
		find: 'if (!failed) memory.forgetRun(run);',
		replace: '',
		tests: t('retry-memory'),
	},
	{
		guard: 'unknown not re-sent (remember keeps unknown)',
		file: MEMORY,
		find: "if (outcome.kind !== 'placed' && outcome.kind !== 'unknown') return;",
		replace: "if (outcome.kind !== 'placed') return;",
		tests: t('retry', 'retry-memory'),
	},
	{
		guard: 'replay of an unknown item fails it (not replayed as placed)',
		file: EXECUTE,
		find: "if (earlier.outcome.kind !== 'placed') {",
		replace: 'if (false) {',
		tests: t('retry', 'retry-memory'),
	},
	{
		guard: 'parametersChanged note',
		file: EXECUTE,
		find: 'if (JSON.stringify(asked) !== earlier.order) json.note = guard.parametersChanged(was, asked);',
		replace: '',
		tests: t('retry-memory', 'guards'),
	},
	{
		guard: 'replay whatever the item asks for now (invalid, a dry run)',
		file: EXECUTE,
		find: 'if (memory.recall(run, itemIndex)) {',
		replace: "if (plan.kind === 'send' && memory.recall(run, itemIndex)) {",
		tests: t('retry-memory'),
	},
	{
		guard: 'an echoed key is hidden before the excerpt cuts it',
		file: TRANSPORT,
		find: "? response.body.split(key).join('***')",
		replace: '? response.body',
		tests: t('secrets', 'guards'),
	},
	{
		guard: "a tool call's memory is its own (toolCallId)",
		file: EXECUTE,
		find: "typeof toolCallId === 'string' ? `${runIndex}/${toolCallId}` : String(runIndex)",
		replace: 'String(runIndex)',
		tests: t('retry-memory'),
	},
	{
		guard: 'onExecutionFinish drop',
		file: MEMORY,
		find: 'ctx.onExecutionFinish?.(() => drop(executionId));',
		replace: '',
		tests: t('retry-memory'),
	},
	{
		guard: 'no identical order after unknown in another run',
		file: EXECUTE,
		find: 'if (memory.unknownElsewhere(JSON.stringify(order.body), run)) {',
		replace: 'if (false) {',
		tests: t('execution-budget'),
	},
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
		file: EXECUTE,
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
		file: EXECUTE,
		find: '\terror.message = message;\n\treturn error;',
		replace: '\treturn error;',
		tests: t('faults'),
	},
];

/**
 * Mutations judged equivalent (no observable change in any run), kept out of the run. Each
 * says why, so that a reviewer can disagree.
 */
const EQUIVALENT = [
	{
		guard: 'sendCredentialsOnCrossOriginRedirect: false -> true',
		why: 'with disableFollowRedirect: true n8n follows no redirect, so the flag is never read; the redirect guard itself is mutated above.',
	},
];

// ---------------------------------------------------------------------------------------

const args = process.argv.slice(2);
const wantMarkdown = args.includes('--markdown');
const listOnly = args.includes('--list');
const onlyAt = args.indexOf('--only');
const only = onlyAt !== -1 ? args[onlyAt + 1] : undefined;
const selected = MUTATIONS.filter((m) => !only || new RegExp(only, 'i').test(m.guard));

/** file (absolute) -> original text, while a mutation is applied. */
const originals = new Map();
let child;

function restoreAll() {
	for (const [file, text] of originals) fs.writeFileSync(file, text);
	originals.clear();
}

for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
	process.on(signal, () => {
		restoreAll();
		if (child && child.exitCode === null) {
			try {
				process.kill(-child.pid, 'SIGTERM');
			} catch {
				/* already gone */
			}
		}
		console.error(`\n${signal}: sources restored, stopping.`);
		process.exit(130);
	});
}
process.on('exit', restoreAll);
process.on('uncaughtException', (error) => {
	restoreAll();
	console.error(error);
	process.exit(2);
});

function occurrences(text, find) {
	return text.split(find).length - 1;
}

/** The mutated text, or why the mutation no longer applies. */
function mutate(original, mutation) {
	const finds = [].concat(mutation.find);
	const replaces = [].concat(mutation.replace);
	if (finds.length !== replaces.length) return { stale: 'find and replace differ in length' };
	let text = original;
	for (const [index, find] of finds.entries()) {
		const count = occurrences(text, find);
		if (count !== 1) return { stale: `"${find.trim().slice(0, 60)}" found ${count} times` };
		text = text.replace(find, () => replaces[index]);
	}
	return { text };
}

/** Runs jest on `tests`; resolves to { failed: [test names], suiteErrors: [...], ok }. */
function runJest(tests) {
	const existing = tests.filter((file) => fs.existsSync(path.join(ROOT, file)));
	if (existing.length === 0) {
		return Promise.resolve({ ok: true, failed: [], suiteErrors: [] });
	}
	const out = path.join(os.tmpdir(), `mutations-${process.pid}.json`);
	fs.rmSync(out, { force: true });
	return new Promise((resolve) => {
		child = spawn(
			'npx',
			['jest', ...existing, '--silent', '--runInBand', '--json', `--outputFile=${out}`],
			{ cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'], detached: true },
		);
		let stderr = '';
		child.stderr.on('data', (chunk) => (stderr = (stderr + chunk).slice(-4000)));
		child.on('close', (code) => {
			let report;
			try {
				report = JSON.parse(fs.readFileSync(out, 'utf8'));
			} catch {
				resolve({ ok: false, failed: [], suiteErrors: [`jest wrote no report (exit ${code}): ${stderr.slice(-500)}`] });
				return;
			}
			const failed = [];
			const suiteErrors = [];
			for (const suite of report.testResults) {
				const file = path.relative(ROOT, suite.name);
				const names = suite.assertionResults.filter((a) => a.status === 'failed');
				for (const a of names) failed.push(`${file}: ${a.fullName}`);
				if (suite.status === 'failed' && names.length === 0) {
					suiteErrors.push(`${file}: ${(suite.message || 'suite failed').split('\n').find((l) => l.trim()) ?? ''}`);
				}
			}
			resolve({ ok: code === 0 && failed.length === 0 && suiteErrors.length === 0, failed, suiteErrors });
		});
	});
}

function shorten(name, width = 150) {
	return name.length > width ? `${name.slice(0, width - 3)}...` : name;
}

async function main() {
	if (listOnly) {
		for (const m of selected) {
			const applied = mutate(fs.readFileSync(path.join(ROOT, m.file), 'utf8'), m);
			console.log(`${applied.stale ? `STALE (${applied.stale}) ` : ''}${m.guard}  [${m.file}]  -> ${m.tests.join(' ')}`);
		}
		return 0;
	}
	const started = Date.now();
	const allTests = [...new Set(selected.flatMap((m) => m.tests))];
	console.log(`Baseline: ${allTests.length} test files, unmutated...`);
	const baseline = await runJest(allTests);
	if (!baseline.ok) {
		console.log('The tests fail before any mutation: nothing to conclude.');
		for (const line of [...baseline.failed, ...baseline.suiteErrors]) console.log(`  ${shorten(line)}`);
		return 1;
	}
	const results = [];
	for (const [index, mutation] of selected.entries()) {
		const file = path.join(ROOT, mutation.file);
		const original = fs.readFileSync(file, 'utf8');
		const applied = mutate(original, mutation);
		const label = `[${index + 1}/${selected.length}] ${mutation.guard}`;
		if (applied.stale) {
			results.push({ mutation, status: 'STALE', detail: [applied.stale] });
			console.log(`${label}: STALE (${applied.stale})`);
			continue;
		}
		const t0 = Date.now();
		let run;
		try {
			originals.set(file, original);
			fs.writeFileSync(file, applied.text);
			run = await runJest(mutation.tests);
		} finally {
			restoreAll();
		}
		const seconds = Math.round((Date.now() - t0) / 1000);
		const killers = [...run.failed, ...run.suiteErrors.map((line) => `(suite error) ${line}`)];
		const status = killers.length > 0 ? 'killed' : 'SURVIVED';
		results.push({ mutation, status, detail: killers, seconds });
		console.log(`${label}: ${status} (${seconds}s)`);
		for (const line of killers.slice(0, 3)) console.log(`    ${shorten(line)}`);
		if (killers.length > 3) console.log(`    ... and ${killers.length - 3} more`);
	}
	const killed = results.filter((r) => r.status === 'killed').length;
	const survived = results.filter((r) => r.status === 'SURVIVED').length;
	const stale = results.filter((r) => r.status === 'STALE').length;
	const minutes = ((Date.now() - started) / 60000).toFixed(1);
	if (wantMarkdown) writeMarkdown(results, minutes);
	console.log(`Runtime ${minutes} min.${stale ? ` ${stale} stale.` : ''}`);
	console.log(`${killed} killed, ${survived} survived`);
	return survived > 0 || stale > 0 ? 1 : 0;
}

function writeMarkdown(results, minutes) {
	const cell = (text) => String(text).replace(/\|/g, '\\|').replace(/\n/g, ' ');
	const lines = [
		'# Mutation check',
		'',
		'Generated by `node scripts/mutations.js --markdown`: each guard the package promises is',
		'removed or weakened in turn, and the jest tests listed must fail. Do not edit by hand.',
		'',
		`Last run: ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC, ${minutes} min, ${results.filter((r) => r.status === 'killed').length} killed, ${results.filter((r) => r.status === 'SURVIVED').length} survived.`,
		'',
		'| Guard | Mutation | Result | Killed by (first failing test) |',
		'|---|---|---|---|',
	];
	for (const { mutation, status, detail } of results) {
		const finds = [].concat(mutation.find);
		const replaces = [].concat(mutation.replace);
		const what = finds
			.map((find, i) => `\`${find.trim().replace(/\s+/g, ' ')}\` → ${replaces[i].trim() ? `\`${replaces[i].trim().replace(/\s+/g, ' ')}\`` : '(removed)'}`)
			.join('; ');
		const by = status === 'killed' ? `${detail[0]}${detail.length > 1 ? ` (+${detail.length - 1} more)` : ''}` : detail.join('; ');
		lines.push(`| ${cell(mutation.guard)} | ${cell(`${mutation.file}: ${what}`)} | ${status} | ${cell(by)} |`);
	}
	lines.push('', '## Left out as equivalent', '');
	for (const { guard, why } of EQUIVALENT) lines.push(`- ${guard}: ${why}`);
	lines.push('');
	fs.mkdirSync(path.join(ROOT, 'docs'), { recursive: true });
	fs.writeFileSync(path.join(ROOT, 'docs/mutations.md'), lines.join('\n'));
	console.log('Wrote docs/mutations.md');
}

main().then(
	(code) => process.exit(code),
	(error) => {
		restoreAll();
		console.error(error);
		process.exit(2);
	},
);
