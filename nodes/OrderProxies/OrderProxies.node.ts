import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import { orderProxies } from './execute';
import { DEFAULT_MAX_QUANTITY, DEFAULT_TIMEOUT_MS, DOCUMENTED_PRODUCT_TYPES } from './order.schema';

const PRODUCT_TYPE_NAMES: Record<(typeof DOCUMENTED_PRODUCT_TYPES)[number], string> = {
	captcha: 'Captcha',
	level3: 'Level 3',
	x1: 'X1',
};

export class OrderProxies implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Order Proxies',
		name: 'orderProxies',
		icon: { light: 'file:statProxies.svg', dark: 'file:statProxies.dark.svg' },
		group: ['output'],
		version: 1,
		subtitle: '={{ "Order " + $parameter["quantity"] + " × " + $parameter["productType"] }}',
		description: 'Buy StatProxies proxies (each successful order is billed)',
		defaults: {
			name: 'Order Proxies',
		},
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [
			{
				name: 'statProxiesApi',
				required: true,
			},
		],
		properties: [
			{
				displayName:
					'Each successful order is billed at once to the Stripe account of the API key. Use Options > Dry Run to try a workflow without buying.',
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
				displayName: 'Product Type',
				name: 'productType',
				type: 'options',
				required: true,
				default: 'captcha',
				options: DOCUMENTED_PRODUCT_TYPES.map((value) => ({
					name: PRODUCT_TYPE_NAMES[value],
					value,
				})),
				description:
					'Type of proxy product to order. To order a type not listed, use an expression that returns its name.',
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
				default: {},
				options: [
					{
						displayName: 'Dry Run',
						name: 'dryRun',
						type: 'boolean',
						default: false,
						description:
							'Whether to only validate and show the request that would be sent, without sending it (nothing is bought)',
					},
					{
						displayName: 'Max Quantity',
						name: 'maxQuantity',
						type: 'number',
						default: DEFAULT_MAX_QUANTITY,
						typeOptions: { minValue: 1, numberPrecision: 0 },
						description:
							'Largest quantity one item may order. A larger quantity is refused before anything is sent: a guard against runaway expressions and AI agents.',
					},
					{
						displayName: 'Order In Retried Executions',
						name: 'orderInRetries',
						type: 'boolean',
						default: false,
						description:
							"Whether to order when the execution was started by n8n's Retry button. Off by default: the node cannot see what the failed execution already bought, so a retry could buy those items again.",
					},
					{
						displayName: 'Timeout',
						name: 'timeout',
						type: 'number',
						default: DEFAULT_TIMEOUT_MS,
						typeOptions: { minValue: 1000, numberPrecision: 0 },
						description:
							'How long to wait for StatProxies, in milliseconds. When it runs out, the order may or may not exist: the node says so and does not send it again.',
					},
				],
			},
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await orderProxies.call(this);
	}
}
