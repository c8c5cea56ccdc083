#!/usr/bin/env node
'use strict';
// `npm run test:ui`: the package in n8n's editor, in a real browser. Starts the same local n8n
// as `npm start` (sandbox, stand-in Mattermost: nothing can buy real proxies), drives Debian's
// Chromium with playwright-core, and walks what a user does: sign in, open the example, read
// the Order Proxies panel, test the credential, run the workflow, find the node in the nodes
// panel; then the same for Exchange Proxies in the weekly rotation example. Screenshots
// (1440x900) go to ui/screenshots/. Ends with "N passed, N failed".
const fs = require('node:fs');
const path = require('node:path');
const { ensureChromium } = require('./chromium');
const { startLocalN8n } = require('./local-n8n');
const editor = require('./editor');
const { EXPECTED } = require('./expected');

const WORKFLOW = 'StatProxies: order on demand';
const NODE = 'Order Proxies';
const ROTATION = 'StatProxies: weekly rotation';
const EXCHANGE = 'Exchange Proxies';
const CREDENTIAL_TYPE = 'StatProxies API';
const SCREENSHOTS = path.join(__dirname, 'screenshots');

const results = [];
const log = (line) => console.log(line);

function record(name, ok, detail = '') {
	results.push({ name, ok, detail });
	log(`${ok ? '  ok  ' : '  FAIL'} ${name}${ok || !detail ? '' : `\n         ${detail}`}`);
}

/** Reads a text with `read()` and checks it against the EXPECTED row `id`. */
async function expectText(id, read) {
	const row = EXPECTED[id];
	const name = `${id}: ${row.read}`;
	let text;
	try {
		text = String((await read()) ?? '');
	} catch (error) {
		record(name, false, `could not read it: ${String(error.message || error).split('\n')[0]}`);
		return;
	}
	const problems = [
		...(row.contains || [])
			.filter((s) => !text.includes(s))
			.map((s) => `lacks ${JSON.stringify(s)}`),
		...(row.excludes || []).filter((s) => text.includes(s)).map((s) => `has ${JSON.stringify(s)}`),
		...(row.matches || []).filter((re) => !re.test(text)).map((re) => `does not match ${re}`),
	];
	const shown = JSON.stringify(text.length > 400 ? `${text.slice(0, 400)}...` : text);
	record(name, problems.length === 0, `${problems.join(', ')}; read ${shown}`);
}

let page;
async function screenshot(name) {
	if (page) await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`) }).catch(() => {});
}

/** A step of the journey: later steps need it, so a failure ends the journey. */
async function step(name, action) {
	try {
		const value = await action();
		record(name, true);
		return value;
	} catch (error) {
		record(name, false, String(error.message || error).split('\n')[0]);
		await screenshot(`failed-${name.replace(/\W+/g, '-')}`);
		throw Object.assign(new Error(`stopped at: ${name}`), { recorded: true });
	}
}

async function orderJourney(n8n) {
	await step('sign in with the owner account npm start prints', () => editor.signIn(page, n8n));

	await step(`open the example "${WORKFLOW}"`, () => editor.openWorkflow(page, n8n.url, WORKFLOW));
	await screenshot('01-example-workflow');

	const panel = await step(`open the ${NODE} node`, async () => {
		await editor.openNode(page, NODE);
		return editor.readNodePanel(page);
	});
	await screenshot('02-order-proxies-panel');
	const labels = ['Credential', 'Quantity', 'Product Type', 'Additional Fields', 'Options'];
	const missing = labels.filter((label) => !panel.labels.some((l) => l.startsWith(label)));
	record('the panel renders its labels', missing.length === 0, `missing ${missing.join(', ')}`);
	await expectText('notice', () => panel.notice);
	await expectText('docsLink', () => panel.docsUrl);

	const dialog = await step('open the credential', () =>
		editor.openCredential(page, CREDENTIAL_TYPE),
	);
	await expectText('baseUrlHint', () => editor.credentialFieldHelp(page, dialog, 'baseUrl'));
	const tested = await step("press the credential's test", () => editor.testCredential(dialog));
	await screenshot('03-credential-tested');
	await expectText('credentialTest', () => tested);
	await step('close the credential and the node', async () => {
		await editor.closeDialog(dialog);
		await editor.closeNode(page);
	});

	const status = await step('execute the workflow', () => editor.runWorkflow(page, NODE));
	await screenshot('04-workflow-executed');
	record(`${NODE} ran without error`, status === 'success', `its canvas status is ${status}`);
	const output = await step(`read ${NODE}'s output panel`, async () => {
		await editor.openNode(page, NODE);
		return editor.readOutputPanel(page);
	});
	await screenshot('05-order-proxies-output');
	await expectText('runOutput', () => output);
	await step('close the node', () => editor.closeNode(page));

	const found = await step('search the nodes panel for "proxy"', () =>
		editor.searchNodePanel(page, 'proxy', NODE),
	);
	await screenshot('06-nodes-panel-proxy');
	record(
		`the nodes panel lists ${NODE}`,
		found.some((item) => item.startsWith(NODE)),
		`listed ${JSON.stringify(found)}`,
	);

	const fresh = await step(`add ${NODE} from the nodes panel`, () =>
		editor.addFromNodePanel(page, NODE),
	);
	await screenshot('07-fresh-order-proxies');
	const options = editor.collectionBlock(page, 'options');
	await expectText('optionLimits', () => editor.blockTextAndValues(options));
	await expectText('timeoutLabel', async () =>
		(await editor.collectionChoices(page, options)).join('\n'),
	);

	await step(`close the added ${fresh}`, () => editor.closeNode(page));
	await expectText('subtitle', () => editor.canvasSubtitle(page, fresh));
	await step('turn on Options > Dry Run', async () => {
		await editor.openNode(page, fresh);
		if (!(await options.getByTestId('parameter-input-dryRun').count())) {
			await editor.addCollectionOption(page, options, 'Dry Run');
		}
		await editor.switchOn(options, 'dryRun');
		await editor.closeNode(page);
	});
	await screenshot('08-dry-run-subtitle');
	await expectText('dryRunSubtitle', () => editor.canvasSubtitle(page, fresh));
	// The editor saves by itself: leave the example as it was.
	await step(`remove the added ${fresh}`, () => editor.deleteNode(page, fresh));
}

async function exchangeJourney(n8n) {
	await step(`open the example "${ROTATION}"`, () => editor.openWorkflow(page, n8n.url, ROTATION));
	await screenshot('09-weekly-rotation');

	const panel = await step(`open its ${EXCHANGE} node`, async () => {
		await editor.openNode(page, EXCHANGE);
		return editor.readNodePanel(page);
	});
	await screenshot('10-exchange-proxies-panel');
	const labels = ['Credential', 'Order ID', 'Options'];
	const missing = labels.filter((label) => !panel.labels.some((l) => l.startsWith(label)));
	record(
		`the ${EXCHANGE} panel renders its labels`,
		missing.length === 0,
		`missing ${missing.join(', ')}`,
	);
	await expectText('exchangeNotice', () => panel.notice);
	await expectText('exchangeExampleOptions', () =>
		editor.blockTextAndValues(editor.collectionBlock(page, 'options')),
	);
	await step('close the node', () => editor.closeNode(page));

	const status = await step('execute the weekly rotation', () =>
		editor.runWorkflow(page, EXCHANGE),
	);
	record(`${EXCHANGE} ran without error`, status === 'success', `its canvas status is ${status}`);
	const output = await step(`read ${EXCHANGE}'s output panel`, async () => {
		await editor.openNode(page, EXCHANGE);
		return editor.readOutputPanel(page);
	});
	await screenshot('11-exchange-proxies-output');
	await expectText('exchangeRun', () => output);
	await step('close the node', () => editor.closeNode(page));

	for (const query of ['exchange', 'rotate', 'StatProxies']) {
		const found = await step(`search the nodes panel for "${query}"`, () =>
			editor.searchNodePanel(page, query, EXCHANGE),
		);
		await screenshot(`12-nodes-panel-${query.toLowerCase()}`);
		const listed = found.filter((item) => item.startsWith(EXCHANGE));
		record(
			`"${query}" finds ${EXCHANGE} in the nodes panel`,
			listed.length > 0,
			`listed ${JSON.stringify(found)}`,
		);
		if (query !== 'StatProxies')
			await step('close the nodes panel', () => editor.closeNodePanel(page));
	}

	const fresh = await step(`add ${EXCHANGE} from the nodes panel`, () =>
		editor.addFromNodePanel(page, EXCHANGE),
	);
	await screenshot('13-fresh-exchange-proxies');
	const freshPanel = await editor.readNodePanel(page);
	record(
		`a fresh ${EXCHANGE} shows its notice and Order ID`,
		freshPanel.notice.includes('replaces every IP') &&
			freshPanel.labels.some((l) => l.startsWith('Order ID')),
		`notice ${JSON.stringify(freshPanel.notice.slice(0, 80))}, labels ${JSON.stringify(freshPanel.labels)}`,
	);
	await expectText('exchangeLimit', () =>
		editor.blockTextAndValues(editor.collectionBlock(page, 'options')),
	);
	await step(`close the added ${fresh}`, () => editor.closeNode(page));
	await screenshot('14-fresh-exchange-subtitle');
	await expectText('exchangeSubtitle', () => editor.canvasSubtitle(page, fresh));
	await step(`remove the added ${fresh}`, () => editor.deleteNode(page, fresh));
}

async function main() {
	const started = Date.now();
	fs.rmSync(SCREENSHOTS, { recursive: true, force: true });
	fs.mkdirSync(SCREENSHOTS, { recursive: true });
	const executablePath = ensureChromium({ log });

	log('Starting the local n8n (npm start)...');
	const n8n = await startLocalN8n({ log });
	const stopN8n = () => n8n.stop();
	process.once('SIGINT', () => stopN8n().then(() => process.exit(130)));
	process.once('SIGTERM', () => stopN8n().then(() => process.exit(143)));
	log(`n8n is ready at ${n8n.url}; driving ${executablePath}\n`);

	let browser;
	try {
		({ browser, page } = await editor.openBrowser(executablePath));
		// Each journey stops at its first failed step; the next one still runs.
		for (const [name, journey] of [
			['Order Proxies', orderJourney],
			['Exchange Proxies', exchangeJourney],
		]) {
			try {
				await journey(n8n);
			} catch (error) {
				if (!error.recorded)
					record(`the ${name} journey ran to its end`, false, error.stack || String(error));
			}
		}
	} finally {
		if (browser) await browser.close().catch(() => {});
		await stopN8n();
	}

	const failed = results.filter((r) => !r.ok).length;
	log(
		`\nScreenshots: ${path.relative(process.cwd(), SCREENSHOTS) || SCREENSHOTS}/ (${Math.round((Date.now() - started) / 1000)} s in all)`,
	);
	log(`${results.length - failed} passed, ${failed} failed`);
	process.exitCode = failed ? 1 : 0;
}

main().catch((error) => {
	console.error(error && error.stack ? error.stack : error);
	console.log(
		`${results.filter((r) => r.ok).length} passed, ${results.filter((r) => !r.ok).length + 1} failed`,
	);
	process.exitCode = 1;
});
