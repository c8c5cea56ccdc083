import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import { DEFAULT_TIMEOUT_MS } from '../shared/rules';
import { runAction } from '../shared/run';
import { exchangeAction } from './exchange';
import { DEFAULT_MAX_EXCHANGES_PER_EXECUTION } from './exchange.schema';

/**
 * Also what an AI agent reads about the tool (n8n hands the model the node's description and
 * nothing else of the node): an exchange breaks every job using the old IPs at once, so it
 * says so, the argument's shape, the limit, and never to repeat after an unknown outcome.
 */
const DESCRIPTION = [
	'Replace every IP of a StatProxies order with fresh ones: the old IPs stop working at once, so every job using them breaks until it picks up the new ones.',
	'Order ID: the order_id of an order, "sub_" followed by lowercase letters and digits.',
	`Limit: ${DEFAULT_MAX_EXCHANGES_PER_EXECUTION} exchanges per execution by default; a call over it exchanges nothing.`,
	'If an answer says the proxies may have been exchanged, never call again for that order.',
].join(' ');

export class ExchangeProxies implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Exchange Proxies',
		name: 'exchangeProxies',
		icon: { light: 'file:../shared/statProxies.svg', dark: 'file:../shared/statProxies.dark.svg' },
		group: ['output'],
		version: 1,
		subtitle: '={{ ($parameter["options"]["dryRun"] ? "Dry run: " : "Rotate ") + ($parameter["orderId"] || "") }}',
		description: DESCRIPTION,
		defaults: {
			name: 'Exchange Proxies',
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
					'Each exchange replaces every IP of the order at once, including while you build ("Execute step", "Execute workflow"): every job using the old IPs breaks. The proxy_exchange feature must be enabled for your StatProxies organization. While building, turn on Options > Dry Run. The limit in force is under Options: Max Exchanges Per Execution.',
				name: 'exchangeNotice',
				type: 'notice',
				default: '',
			},
			{
				displayName: 'Order ID',
				name: 'orderId',
				type: 'string',
				required: true,
				default: '',
				placeholder: 'e.g. {{ $json.order_id }}',
				description:
					'The order whose IPs to exchange: its order_id, "sub_" followed by lowercase letters and digits (Order Proxies outputs it as order_id)',
			},
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add option',
				// Shown from the start, so that the limit in force is visible; removing it keeps its default.
				default: { maxExchangesPerExecution: DEFAULT_MAX_EXCHANGES_PER_EXECUTION },
				options: [
					{
						displayName: 'Dry Run',
						name: 'dryRun',
						type: 'boolean',
						default: false,
						description:
							'Whether to only validate and show the request that would be sent, without sending it (no IP changes)',
					},
					{
						displayName: 'Exchange In Retried Executions',
						name: 'exchangeInRetries',
						type: 'boolean',
						default: false,
						description:
							"Whether to exchange when the execution was started by n8n's Retry button. Off by default: the node cannot see what the failed execution already exchanged, so a retry could exchange those proxies again.",
					},
					{
						displayName: 'Exchange Key',
						name: 'exchangeKey',
						type: 'string',
						default: '',
						placeholder: "e.g. rotate-{{ $json.order_id }}-{{ $now.toFormat('kkkk-WW') }}",
						description:
							"At most one exchange per key, across executions, workers and restarts (kept in n8n's database). A key per order and week rotates each order at most once a week. Empty: no key.",
					},
					{
						displayName: 'Max Exchanges Per Execution',
						name: 'maxExchangesPerExecution',
						type: 'number',
						default: DEFAULT_MAX_EXCHANGES_PER_EXECUTION,
						typeOptions: { minValue: 1, numberPrecision: 0 },
						description:
							'Most exchanges this node may make in one execution, across all its items, loops, retries, sub-workflows and AI agent tool calls (exchanges whose outcome is unknown count). Exchanges over it are refused before anything is sent.',
					},
					{
						displayName: 'Repeat Identical Exchanges as a Tool',
						name: 'repeatIdentical',
						type: 'boolean',
						default: false,
						description:
							"Whether, as an AI agent's tool, an order already exchanged in this execution is exchanged again. Off: the agent gets the earlier exchange back. An agent that retries after an error, or repeats itself, would otherwise cause a second outage.",
					},
					{
						displayName: 'Timeout (Milliseconds)',
						name: 'timeout',
						type: 'number',
						default: DEFAULT_TIMEOUT_MS,
						typeOptions: { minValue: 1000, numberPrecision: 0 },
						description:
							'How long to wait for StatProxies, in milliseconds. When it runs out, the proxies may or may not have been exchanged: the node says so and does not send it again.',
					},
				],
			},
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await runAction.call(this, exchangeAction);
	}
}
