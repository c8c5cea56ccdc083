'use strict';
// Page helpers for n8n 2.41's editor, one per thing a user does or reads. Selectors are the
// editor's own data-test-ids (the ones n8n's Playwright suite uses) wherever n8n has one;
// visible text only where the text is what is being read.
const { chromium, selectors } = require('playwright-core');

const VIEWPORT = { width: 1440, height: 900 };
const STEP_TIMEOUT_MS = 20000;

async function openBrowser(executablePath) {
	selectors.setTestIdAttribute('data-test-id');
	// --no-sandbox: Chromium refuses to start as root with its sandbox on.
	const browser = await chromium.launch({ executablePath, args: ['--no-sandbox'] });
	const context = await browser.newContext({ viewport: VIEWPORT });
	context.setDefaultTimeout(STEP_TIMEOUT_MS);
	const page = await context.newPage();
	return { browser, page };
}

async function signIn(page, { url, email, password }) {
	await page.goto(`${url}/signin`);
	await page.getByTestId('emailOrLdapLoginId').locator('input').fill(email);
	await page.getByTestId('password').locator('input').fill(password);
	await page.getByTestId('form-submit-button').click();
	await page.waitForURL((address) => !address.pathname.startsWith('/signin'));
}

async function openWorkflow(page, url, name) {
	await page.goto(`${url}/home/workflows`);
	await page.getByTestId('resources-list-item-workflow').filter({ hasText: name }).click();
	await page.waitForURL(/\/workflow\//, { waitUntil: 'commit' });
	await page.getByTestId('canvas-node').first().waitFor();
}

const canvasNode = (page, name) =>
	page.locator(`[data-test-id="canvas-node"][data-node-name="${name}"]`);

/** The grey line under a node's name on the canvas ('' when there is none). */
async function canvasSubtitle(page, name) {
	// n8n gives the subtitle no test id; its CSS module class keeps the word "subtitle".
	const subtitle = canvasNode(page, name).locator('[class*="subtitle"]');
	return (await subtitle.count()) ? (await subtitle.first().innerText()).trim() : '';
}

async function openNode(page, name) {
	await canvasNode(page, name).dblclick();
	await page.getByTestId('ndv').waitFor();
	await page.getByTestId('node-parameters').waitFor();
}

async function closeNode(page) {
	await page.getByTestId('ndv-close-button').click();
	await page.getByTestId('ndv').waitFor({ state: 'hidden' });
}

/** What the node's parameter panel renders: labels, notice, docs link. */
async function readNodePanel(page) {
	const panel = page.getByTestId('node-parameters');
	const notice = panel.getByRole('alert');
	return {
		labels: [
			...(await panel.getByTestId('credentials-label').allInnerTexts()),
			...(await panel.getByTestId('input-label').allInnerTexts()),
		].map((t) => t.trim()),
		notice: (await notice.count()) ? (await notice.first().innerText()).trim() : '',
		docsUrl: await page.getByTestId('ndv').getByRole('link', { name: 'Docs' }).getAttribute('href'),
		text: await panel.innerText(),
	};
}

/** The parameter block of a top-level collection (e.g. "options"), by its label's `for`. */
function collectionBlock(page, name) {
	return page
		.getByTestId('node-parameters')
		.getByTestId('parameter-item')
		.filter({ has: page.locator(`label[for="${name}"]`) })
		.last();
}

/**
 * A block's parameters as "Label: value" lines (numbers live in inputs, not in the text),
 * followed by the block's visible text.
 */
async function blockTextAndValues(block) {
	return block.evaluate((element) => {
		const lines = [];
		for (const container of element.querySelectorAll('[data-test-id^="parameter-input-"]')) {
			if (container.getAttribute('data-test-id') === 'parameter-input-field') continue;
			const input = container.querySelector('input:not([type="hidden"]):not([type="checkbox"])');
			if (!input || input.value === '') continue;
			// The nearest label above the input is its own.
			let scope = container.parentElement;
			let label = null;
			while (scope && scope !== element.parentElement && !label) {
				label = scope.querySelector('[data-test-id="input-label"]');
				scope = scope.parentElement;
			}
			// The label row also holds the Fixed / Expression switch: its first line is the title.
			const title = label ? label.innerText.split('\n')[0].trim() : '?';
			lines.push(`${title}: ${input.value}`);
		}
		return [...lines, element.innerText.trim()].join('\n');
	});
}

/** The entries the collection's "Add option" list offers. */
async function collectionChoices(page, block) {
	await block.getByTestId('collection-parameter-add').click();
	const options = page.getByTestId('collection-parameter-option').filter({ visible: true });
	await options.first().waitFor();
	const labels = (await options.allInnerTexts()).map((t) => t.trim());
	await page.keyboard.press('Escape');
	return labels;
}

async function addCollectionOption(page, block, label) {
	await block.getByTestId('collection-parameter-add').click();
	await page
		.getByTestId('collection-parameter-option')
		.filter({ visible: true })
		.filter({ hasText: label })
		.first()
		.click();
}

/** Turns on a boolean parameter (an n8n switch) inside `block`. */
async function switchOn(block, name) {
	const toggle = block.getByTestId(`parameter-input-${name}`).locator('.el-switch');
	if (!(await toggle.evaluate((el) => el.classList.contains('is-checked')))) await toggle.click();
}

/** Opens the node's credential from the NDV; returns the dialog. */
async function openCredential(page, typeName) {
	await page.getByTestId('credential-edit-button').click();
	const dialog = page.getByTestId('editCredential-modal').filter({ hasText: typeName });
	await dialog.waitFor();
	return dialog;
}

/**
 * Everything the credential dialog shows about one field: its block (label, input, hint
 * below it) and the tooltip its label's info icon opens, when it has one.
 */
async function credentialFieldHelp(page, dialog, name) {
	// In the credential dialog a field's label row carries the field's name as its test id.
	const block = dialog
		.getByTestId('credential-connection-parameter')
		.filter({ has: page.getByTestId(name) });
	const label = block.getByTestId(name);
	const texts = [await block.innerText()];
	await label.hover();
	const info = label.locator('[data-grace-area-trigger]');
	if (await info.count()) {
		// The tooltip opens after a hover delay, and not always on the first hover.
		const tooltip = page.getByTestId('tooltip-content').filter({ visible: true });
		for (let attempt = 0; attempt < 3 && !(await tooltip.count()); attempt++) {
			await page.mouse.move(0, 0);
			await label.hover();
			await info.first().hover();
			await tooltip
				.first()
				.waitFor({ timeout: 3000 })
				.catch(() => {});
		}
		texts.push(...(await tooltip.allInnerTexts()));
	}
	return texts.join('\n');
}

/** Presses the dialog's test button and returns the result banner's text. */
async function testCredential(dialog) {
	const retry = dialog.getByRole('button', { name: /^(Retry|Test)$/ });
	await retry.first().waitFor();
	// The dialog already shows the test it ran on opening: wait for this press's answer.
	const answered = dialog.page().waitForResponse((r) => r.url().includes('/rest/credentials/test'));
	await retry.first().click();
	await answered;
	const banner = dialog.locator(
		'[data-test-id="credentials-config-container-test-success"], [data-test-id="credentials-config-container-test-error"]',
	);
	const shown = banner.filter({ visible: true }).first();
	await shown.waitFor();
	// The banner's text, without its Retry button.
	return shown.evaluate((element) => {
		const copy = element.cloneNode(true);
		for (const button of copy.querySelectorAll('button')) button.remove();
		return copy.textContent.replace(/\s+/g, ' ').trim();
	});
}

async function closeDialog(dialog) {
	await dialog.getByRole('button', { name: 'Close this dialog' }).click();
	await dialog.waitFor({ state: 'hidden' });
}

/**
 * Searches the nodes panel and waits until it lists `awaited` (or says it found nothing);
 * returns the items it lists (name and description each).
 */
async function searchNodePanel(page, query, awaited) {
	await page.getByTestId('node-creator-plus-button').click();
	await page.getByTestId('node-creator').waitFor();
	await page.getByTestId('node-creator-search-bar').fill(query);
	const items = page.getByTestId('node-creator').getByTestId('item-iterator-item');
	// Until the search has run, the panel still lists its categories.
	const match = items.filter({ hasText: awaited });
	await match.or(page.getByTestId('node-creator-no-results')).first().waitFor();
	return (await items.allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim());
}

/** Closes the nodes panel without adding anything. */
async function closeNodePanel(page) {
	await page.keyboard.press('Escape');
	await page.getByTestId('node-creator').waitFor({ state: 'hidden' });
}

/** From the search results: the community node's card, then "Add to workflow". */
async function addFromNodePanel(page, name) {
	await page
		.getByTestId('node-creator')
		.getByTestId('item-iterator-item')
		.filter({ hasText: name })
		.first()
		.click();
	const add = page.getByRole('button', { name: 'Add to workflow' });
	// n8n shows a card first for a community node; a built-in one opens straight away.
	if (await add.isVisible().catch(() => false)) await add.click();
	await page.getByTestId('ndv').waitFor();
	return (await page.getByTestId('node-title-container').innerText()).trim();
}

async function deleteNode(page, name) {
	await canvasNode(page, name).click();
	await page.keyboard.press('Delete');
	await canvasNode(page, name).waitFor({ state: 'detached' });
}

/** "Execute workflow", then waits for `nodeName` to show its success or error status. */
async function runWorkflow(page, nodeName, timeoutMs = 60000) {
	await page.getByTestId('execute-workflow-button').click();
	const node = canvasNode(page, nodeName);
	await node
		.locator(
			'[data-test-id="canvas-node-status-success"], [data-test-id="canvas-node-status-error"]',
		)
		.first()
		.waitFor({ timeout: timeoutMs });
	return (await node.getByTestId('canvas-node-status-success').count()) ? 'success' : 'error';
}

/** The output panel of the open node, once it shows data. */
async function readOutputPanel(page) {
	const panel = page.getByTestId('output-panel');
	await panel.getByTestId('ndv-data-container').waitFor();
	return (await panel.innerText()).trim();
}

module.exports = {
	openBrowser,
	signIn,
	openWorkflow,
	canvasNode,
	canvasSubtitle,
	openNode,
	closeNode,
	readNodePanel,
	collectionBlock,
	blockTextAndValues,
	collectionChoices,
	addCollectionOption,
	switchOn,
	openCredential,
	credentialFieldHelp,
	testCredential,
	closeDialog,
	searchNodePanel,
	closeNodePanel,
	addFromNodePanel,
	deleteNode,
	runWorkflow,
	readOutputPanel,
};
