'use strict';
// The workflows of the Exchange Proxies cases (cases/exchange.js, cases/exchange-refusals.js)
// and the orders the sandbox account has for them. Fixed ids, for `n8n execute --id`.
const { exchangeWorkflow } = require('../lab/fixtures');

// Orders the sandbox account already has (seeded before each case that exchanges them).
const ORDER = 'sub_e2eexchangeorder1';
const KEYED_ORDER = 'sub_e2eexchangeorder2';
const UNKNOWN_ORDER = 'sub_e2enosuchorder0';
const WEEKLY_KEY = `rotate-${KEYED_ORDER}-2026-49`;

// Both exchange case files run these workflows, and the last case of exchange.js searches the stored
// executions of all of them: each is defined once per run, by whichever file runs first.
const setups = new WeakMap();
function exchangeSetup(ctx) {
	if (setups.has(ctx)) return setups.get(ctx);
	const ids = [];
	const define = (workflow) => {
		ids.push(workflow.id);
		return ctx.workflow(workflow);
	};
	const fromItem = { orderId: '={{ $json.order_id }}' };
	const workflows = {
		chain: define(
			exchangeWorkflow('e2eExChain', {
				order: { quantity: 10, productType: 'captcha' },
				parameters: fromItem,
			}),
		),
		one: define(
			exchangeWorkflow('e2eExOne', { items: [{ order_id: ORDER }], parameters: fromItem }),
		),
		unknownOrder: define(
			exchangeWorkflow('e2eExUnknownOrder', {
				items: [{ order_id: UNKNOWN_ORDER }],
				parameters: fromItem,
			}),
		),
		retried: define(
			exchangeWorkflow('e2eExRetried', {
				items: [{ order_id: ORDER }],
				parameters: { ...fromItem, options: { timeout: 1000 } },
				settings: { retryOnFail: true, maxTries: 3, waitBetweenTries: 1000 },
			}),
		),
		slash: define(
			exchangeWorkflow('e2eExSlash', {
				items: [{ order_id: `${ORDER}/../../newscale` }],
				parameters: fromItem,
			}),
		),
		paths: define(
			exchangeWorkflow('e2eExPaths', {
				items: [
					{ order_id: '../../order/newscale' },
					{ order_id: 'sub_abc/x' },
					{ order_id: '..' },
				],
				parameters: fromItem,
				settings: { onError: 'continueRegularOutput' },
			}),
		),
		keyed: define(
			exchangeWorkflow('e2eExKeyed', {
				// The key comes from the item, as a weekly key would from $now: n8n evaluates it.
				items: [{ order_id: KEYED_ORDER, key: WEEKLY_KEY }],
				parameters: { ...fromItem, options: { exchangeKey: '={{ $json.key }}' } },
			}),
		),
		dryRun: define(
			exchangeWorkflow('e2eExDryRun', {
				items: [{ order_id: ORDER }],
				parameters: { ...fromItem, options: { dryRun: true } },
			}),
		),
	};
	// Every case runs the CLI: no n8n start may hold the database.
	const execute = async (id) => {
		await ctx.stopServer();
		return ctx.execute(id);
	};
	const setup = { ids, workflows, execute };
	setups.set(ctx, setup);
	return setup;
}

module.exports = { ORDER, KEYED_ORDER, UNKNOWN_ORDER, WEEKLY_KEY, exchangeSetup };
