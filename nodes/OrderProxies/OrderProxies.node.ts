import {
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import { nodeBase, sharedOptions, type OptionWords } from '../shared/description';
import { runAction } from '../shared/run';
import { orderAction } from './order';
import {
	DEFAULT_MAX_PROXIES_PER_EXECUTION,
	DEFAULT_MAX_QUANTITY,
	DOCUMENTED_PRODUCT_TYPES,
} from './order.schema';

const PRODUCT_TYPE_NAMES: Record<(typeof DOCUMENTED_PRODUCT_TYPES)[number], string> = {
	captcha: 'Captcha',
	level3: 'Level 3',
	x1: 'X1',
};

/**
 * Also what an AI agent reads about the tool: n8n hands the model the node's description
 * (at run time it ignores `usableAsTool.replacements`, which only the editor shows) and
 * nothing else of the node. So it says that calls spend money, the rules and limits, and
 * never to repeat an order whose outcome is unknown.
 */
const DESCRIPTION = [
	'Buy StatProxies proxies: every successful call is a paid order, billed at once.',
	`Quantity: a whole number of proxies, at least 1; product type: ${DOCUMENTED_PRODUCT_TYPES.join(', ')};`,
	'customer: optional, lowercase letters a-z only, at most 50.',
	`Limits (defaults ${DEFAULT_MAX_QUANTITY} proxies per order, ${DEFAULT_MAX_PROXIES_PER_EXECUTION} per execution): a call over them buys nothing.`,
	'If an answer says the order may have been placed, never call again for that order.',
].join(' ');

/** "Order 2 × Level 3" on the canvas, "Dry run: 2 × Level 3" when nothing will be bought. */
const SUBTITLE = `={{ ($parameter["options"]["dryRun"] ? "Dry run: " : "Order ") + $parameter["quantity"] + " × " + (${JSON.stringify(
	PRODUCT_TYPE_NAMES,
)}[$parameter["productType"]] || $parameter["productType"]) }}`;

const OPTION_WORDS: OptionWords = {
	Thing: 'Order',
	thing: 'order',
	nothingHappens: 'nothing is bought',
	done: 'bought',
	again: 'buy those items',
	identical:
		'an order identical to one already placed in this execution (same quantity, product type and customer)',
	doneAgain: 'bought again',
	repeatCost: 'buy twice',
	keyPlaceholder: 'e.g. {{ $json.invoice_id }}',
	keyUse:
		"Use an invoice ID, a webhook's request ID, or {{ $now.toFormat('yyyy-MM-dd') }} for one order a day.",
	timeoutMeans: 'the order may or may not exist',
};

export class OrderProxies implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Order Proxies',
		name: 'orderProxies',
		...nodeBase,
		// Literal here: n8n's lint reads them from the class itself.
		icon: { light: 'file:../shared/statProxies.svg', dark: 'file:../shared/statProxies.dark.svg' },
		usableAsTool: true,
		subtitle: SUBTITLE,
		description: DESCRIPTION,
		defaults: {
			name: 'Order Proxies',
		},
		properties: [
			{
				displayName:
					'Every successful order is billed at once to the Stripe account of the API key, including orders placed while you build ("Execute step", "Execute workflow"). While building, turn on Options > Dry Run or pin test data. The limits in force are under Options: Max Quantity per order and Max Proxies Per Execution.',
				name: 'billingNotice',
				type: 'notice',
				default: '',
			},
			{
				displayName: 'Quantity',
				name: 'quantity',
				type: 'number',
				required: true,
				default: 1,
				typeOptions: { minValue: 1, numberPrecision: 0 },
				description: 'Number of proxies to order for each input item',
			},
			{
				// Text rather than a list: the editor offers "let the model define this" only for
				// text, so an AI agent can fill it. Stored values are the same strings as before.
				displayName: 'Product Type',
				name: 'productType',
				type: 'string',
				required: true,
				default: 'captcha',
				placeholder: 'e.g. captcha',
				description: `Type of proxy product to order: ${DOCUMENTED_PRODUCT_TYPES.join(', ')} (the documented ones, shown on the canvas as ${Object.values(PRODUCT_TYPE_NAMES).join(', ')}), or another type your StatProxies account sells`,
			},
			{
				displayName: 'Additional Fields',
				name: 'additionalFields',
				type: 'collection',
				placeholder: 'Add Field',
				default: {},
				options: [
					{
						displayName: 'Customer',
						name: 'customer',
						type: 'string',
						default: '',
						placeholder: 'e.g. clientabc',
						description:
							'Your own identifier for the customer this order is for: lowercase letters a-z only, at most 50',
					},
				],
			},
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add option',
				// Shown from the start, so that the limits in force are visible; removing one keeps its default.
				default: {
					maxQuantity: DEFAULT_MAX_QUANTITY,
					maxProxiesPerExecution: DEFAULT_MAX_PROXIES_PER_EXECUTION,
				},
				options: sharedOptions(OPTION_WORDS, [
					{
						displayName: 'Max Proxies Per Execution',
						name: 'maxProxiesPerExecution',
						type: 'number',
						default: DEFAULT_MAX_PROXIES_PER_EXECUTION,
						typeOptions: { minValue: 1, numberPrecision: 0 },
						description:
							'Most proxies this node may order in one execution, across all its items, loops, retries, sub-workflows and AI agent tool calls (placed orders and orders whose outcome is unknown count). Orders over it are refused before anything is sent.',
					},
					{
						displayName: 'Max Quantity',
						name: 'maxQuantity',
						type: 'number',
						default: DEFAULT_MAX_QUANTITY,
						typeOptions: { minValue: 1, numberPrecision: 0 },
						description:
							'Largest quantity one order may have. A larger quantity is refused before anything is sent: a guard against runaway expressions and AI agents. Empty or 0 is refused, never "no limit".',
					},
				]),
			},
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await runAction.call(this, orderAction);
	}
}
