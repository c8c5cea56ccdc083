#!/usr/bin/env node
'use strict';
// `node ui/custom-data.js`: a measurement, not a test. What a user of n8n's editor sees of the
// custom data Order Proxies writes (`statproxies_ordered`, `statproxies_unknown`) on an
// execution stopped while an order was in flight. Starts the same local n8n as `npm start`
// (its sandbox: nothing buys real proxies), saves a three-item order workflow, runs it, makes
// the sandbox hang on item 1, presses Stop through the editor's endpoint, then opens the
// execution in Debian's Chromium: the workflow's executions list with the execution's view,
// and the global executions list with its filter. Prints what each page shows, screenshots in
// ui/screenshots/custom-data-*.png.
const fs = require('node:fs');
const path = require('node:path');
const { ensureChromium } = require('./chromium');
const { startLocalN8n } = require('./local-n8n');
const editor = require('./editor');
const n8nLib = require('../lab/n8n');
const { orderWorkflow } = require('../lab/fixtures');

const SCREENSHOTS = path.join(__dirname, 'screenshots');
const KEYS = ['statproxies_ordered', 'statproxies_unknown'];
const log = (line) => console.log(line);

async function sandboxCall(url, method, body) {
	const res = await fetch(url, {
		method,
		headers: { 'content-type': 'application/json' },
		body: body === undefined ? undefined : JSON.stringify(body),
	});
	return res.json();
}

/** Saves the workflow, runs it, stops it while item 1 hangs; resolves the ids and order ids. */
async function stoppedExecution(n8n) {
	const rest = await n8nLib.login(n8n.url, { email: n8n.email, password: n8n.password });
	const { id: _id, ...definition } = orderWorkflow('uiStopCustomData', {
		items: [1, 2, 3].map((quantity) => ({ quantity })),
		parameters: {
			quantity: '={{ $json.quantity }}',
			productType: 'x1',
			additionalFields: { customer: 'stopbutton' },
		},
	});
	const { data: saved } = await rest.post('/rest/workflows', {
		...definition,
		name: 'Custom data after Stop (measurement)',
	});
	await sandboxCall(`${n8n.sandboxUrl}/__sandbox/reset`, 'POST');
	await sandboxCall(`${n8n.sandboxUrl}/__sandbox/faults`, 'POST', { fault: 'hang', nth: 2 });
	const executionId = await n8nLib.runManually(rest, saved.id, 'Start');
	await n8nLib.poll(
		async () => {
			const sold = await sandboxCall(`${n8n.sandboxUrl}/__sandbox/orders`, 'GET');
			return { done: sold.length === 2, summary: sold.length };
		},
		{ timeoutMs: 20000, intervalMs: 100, what: 'the second order' },
	);
	await rest.post(`/rest/executions/${executionId}/stop`, {});
	const stored = await n8nLib.waitForExecution(rest, executionId);
	const orders = await sandboxCall(`${n8n.sandboxUrl}/__sandbox/orders`, 'GET');
	// n8n's public API, with an API key as a user would create one (Settings > n8n API).
	const { data: key } = await rest.post('/rest/api-keys', {
		label: 'custom data measurement',
		scopes: ['execution:read', 'execution:list'],
		expiresAt: null,
	});
	const publicApi = async (query) => {
		const res = await fetch(`${n8n.url}/api/v1/executions/${executionId}${query}`, {
			headers: { 'X-N8N-API-KEY': key.rawApiKey },
		});
		const json = await res.json();
		return { status: res.status, customData: json.customData };
	};
	return {
		publicApi: { plain: await publicApi(''), includeData: await publicApi('?includeData=true') },
		workflowId: saved.id,
		executionId,
		status: stored.status,
		customData: stored.customData,
		orderIds: orders.map((o) => o.order_id),
	};
}

/** What a page shows of the custom data: its keys, the order id, the "Highlighted data" texts. */
async function shows(page, orderId) {
	const text = await page.locator('body').innerText();
	return {
		keys: KEYS.filter((key) => text.includes(key)),
		orderId: text.includes(orderId),
		highlightedData: (text.match(/Highlighted data/g) || []).length,
	};
}

async function main() {
	const started = Date.now();
	fs.mkdirSync(SCREENSHOTS, { recursive: true });
	const executablePath = ensureChromium({ log });
	log('Starting the local n8n (npm start)...');
	const n8n = await startLocalN8n({ log: () => {} });
	let browser;
	try {
		const run = await stoppedExecution(n8n);
		log(
			`Execution ${run.executionId}: ${run.status}; REST customData ${JSON.stringify(run.customData)}`,
		);
		log(`Public API GET /api/v1/executions/:id: ${JSON.stringify(run.publicApi)}`);
		const [placed] = run.orderIds;

		let page;
		({ browser, page } = await editor.openBrowser(executablePath));
		await editor.signIn(page, n8n);
		const shot = (name) =>
			page.screenshot({ path: path.join(SCREENSHOTS, `custom-data-${name}.png`) });

		// The workflow's Executions tab, opened at the stopped execution.
		await page.goto(`${n8n.url}/workflow/${run.workflowId}/executions/${run.executionId}`);
		await page.getByTestId('execution-preview-delete-button').waitFor();
		await page.waitForTimeout(1500);
		await shot('1-execution-view');
		const view = await shows(page, placed);
		const panel = await page.getByTestId('execution-annotation-panel').count();
		log(`Execution view: ${JSON.stringify(view)}; annotation panel elements: ${panel}`);

		// The global executions list and its filter ("Highlighted data": key and value).
		await page.goto(`${n8n.url}/home/executions`);
		await page.getByTestId('executions-filter-button').waitFor();
		await page.waitForTimeout(1000);
		await shot('2-executions-list');
		const list = await shows(page, placed);
		await page.getByTestId('executions-filter-button').click();
		const keyInput = page.getByTestId('execution-filter-saved-data-key-input');
		await keyInput.waitFor();
		await shot('3-executions-filter');
		const disabled = await keyInput.isDisabled();
		await keyInput.hover();
		await page.waitForTimeout(800);
		const tooltip = await page
			.getByText(/Upgrade plan/)
			.allInnerTexts()
			.catch(() => []);
		await shot('4-executions-filter-tooltip');
		log(`Executions list: ${JSON.stringify(list)}`);
		log(
			`Its filter, "Highlighted data" key input disabled: ${disabled}; tooltip: ${JSON.stringify(tooltip)}`,
		);
	} finally {
		if (browser) await browser.close().catch(() => {});
		await n8n.stop();
		log(
			`Screenshots: ui/screenshots/custom-data-*.png (${Math.round((Date.now() - started) / 1000)} s)`,
		);
	}
}

main().catch((error) => {
	console.error(error && error.stack ? error.stack : error);
	process.exitCode = 1;
});
