import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { readKey, type Action, type Done, type Prepared } from '../shared/action';
import type { Words } from '../shared/outcomes';
import { ORDER_ID, type Checked } from '../shared/rules';
import { checkOrder, type OrderBody, type OrderField } from './order.schema';

export const ORDER_PATH = '/api/v2/order/newscale';

function describeOrder({ quantity, product_type, customer }: OrderBody) {
	return `${quantity} × ${product_type}${customer ? ` for ${customer}` : ''}`;
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

const words: Words = {
	thing: 'order',
	during: 'while placing the order',
	confirmed: 'a confirmed order',
	mayExist: 'the order may have been placed; check the StatProxies dashboard before ordering again',
	checkDashboard:
		'The order may or may not have been placed. Check the orders in your StatProxies dashboard before running this again: running it again could buy a second time.',
	notDone: 'StatProxies did not create this order.',
	nothingDone: 'nothing was bought',
	done: 'ordered',
	identical: 'an identical order',
	mayAlready: 'may already have been bought',
	bought: 'bought',
	doing: 'ordering',
	acts: 'orders',
	mayDo: 'create orders',
	lessOften: 'order less often',
	whetherDone: 'whether it was placed',
	keyOption: 'Order Key',
	retriesOption: 'Order In Retried Executions',
	listed: 'the orders it placed',
	twice: 'buy those items twice',
	noPermission: {
		message: 'The API key is not allowed to create orders (insufficient_permissions)',
		fix: 'Enable the "order" service for this key in the StatProxies dashboard, or use a key that has it.',
	},
	overBudget: (quantity, left, budget) => ({
		message: `ordering ${quantity} more proxies would go over Max Proxies Per Execution (${budget} per execution; ${left} left in this execution)`,
		description: `This node has already ordered (or may have ordered) ${budget - left} proxies in this execution. Raise Options > Max Proxies Per Execution if this execution really needs more.`,
	}),
	changed: (was, now) =>
		`An earlier try of this run ordered this item as ${was}; its parameters changed since (now ${now ?? 'no valid order, or a dry run'}), and it was not ordered again.`,
	not: 'Not ordered',
	forTheModel: {
		invalid: 'Nothing was bought. Call again only with corrected arguments.',
		refused: 'Nothing was bought. Do not call again with the same arguments; tell the user.',
		not_sent: 'Nothing was bought. Do not call again with the same arguments; tell the user.',
		over_budget:
			'Nothing was bought. The spending limit of this execution is reached: do not call this tool again; tell the user.',
		duplicate:
			'Nothing was sent: this order key was used earlier. Do not call this tool again for it; tell the user.',
		unknown:
			'Do not call this tool again for this order: ask the user to check the StatProxies dashboard first.',
	},
	soFar: (done) => {
		const list = done.map(({ item, id }) => `item ${item} (${id})`).join(', ');
		return `Before it stopped, this run already ordered ${list}: those were bought. Running the workflow again with the same items buys them again.`;
	},
	nothingSoFar: 'Nothing was ordered in this run, so it is safe to fix this and run again.',
	doneBefore: (spent) =>
		`Before this run, this execution had already ordered (or may have ordered) ${spent} proxies, in other runs of this node or in its sub-workflows: running the workflow again orders those again.`,
	logDone: (id) => `ordered ${id}`,
	already: (id) =>
		`Already ordered in this execution: order_id ${id}. This is that order, not bought again (Options > Repeat Identical Orders as a Tool allows a second one).`,
};

function readParameters(ctx: IExecuteFunctions, itemIndex: number) {
	const options = ctx.getNodeParameter('options', itemIndex, {}) as IDataObject;
	return {
		quantity: ctx.getNodeParameter('quantity', itemIndex),
		productType: ctx.getNodeParameter('productType', itemIndex),
		customer: ctx.getNodeParameter('additionalFields.customer', itemIndex, ''),
		maxQuantity: options.maxQuantity,
		maxProxiesPerExecution: options.maxProxiesPerExecution,
		dryRun: options.dryRun,
		orderInRetries: options.orderInRetries,
		timeout: options.timeout,
		orderKey: readKey(ctx, options, 'orderKey'),
		repeatIdentical: options.repeatIdentical,
	};
}

/** Create Order: POST /api/v2/order/newscale, one paid order per item. */
export const orderAction: Action = {
	words,
	fields: { key: 'orderKey', budget: 'maxProxiesPerExecution', inRetries: 'orderInRetries' },
	check(ctx, itemIndex): Checked<Prepared, OrderField> {
		const checked = checkOrder(readParameters(ctx, itemIndex));
		if (!checked.ok) return checked;
		const order = checked.value;
		return {
			ok: true,
			value: {
				ask: { ...order.body },
				cost: order.body.quantity,
				dryRun: order.dryRun,
				inRetries: order.orderInRetries,
				timeout: order.timeout,
				budget: order.maxProxiesPerExecution,
				key: order.orderKey,
				repeat: order.repeatIdentical,
			},
		};
	},
	request: (ask, baseUrl) => ({
		method: 'POST',
		url: `${baseUrl}${ORDER_PATH}`,
		headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
		body: ask,
	}),
	// An order id as StatProxies shows them (sub_ and lowercase letters and digits); anything
	// else in a "success" is not an order this node can name, so its outcome is unknown.
	confirmed(body): Done | undefined {
		const orderId = body?.order_id;
		const subscriptionId = body?.subscription_id;
		if (body?.response !== 'success' || typeof orderId !== 'string' || !ORDER_ID.test(orderId)) {
			return;
		}
		if (typeof subscriptionId !== 'string' || subscriptionId.trim() === '') return;
		return { id: orderId, fields: { order_id: orderId, subscription_id: subscriptionId } };
	},
	refusal(said, status, body, got) {
		if (status !== 400) return undefined;
		const answer = typeof body?.response === 'string' ? body.response : got;
		return said.refused(
			`StatProxies refused the order: ${answer}`,
			BAD_REQUEST_HELP[answer] ?? 'Check the order fields against the StatProxies documentation.',
			'400',
		);
	},
	// StatProxies uses the order id as the proxy username.
	output: (done, ask) => ({ ...done.fields, proxy_username: done.id, ...ask }),
	describe: (ask) => describeOrder(ask as unknown as OrderBody),
};
