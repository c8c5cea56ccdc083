import {
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import { nodeBase, sharedOptions, type OptionWords } from '../shared/description';
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

const OPTION_WORDS: OptionWords = {
	Thing: 'Exchange',
	thing: 'exchange',
	nothingHappens: 'no IP changes',
	done: 'exchanged',
	again: 'exchange those proxies',
	identical: 'an order already exchanged in this execution',
	doneAgain: 'exchanged again',
	repeatCost: 'cause a second outage',
	keyPlaceholder: "e.g. rotate-{{ $json.order_id }}-{{ $now.toFormat('kkkk-WW') }}",
	keyUse: 'A key per order and week rotates each order at most once a week.',
	timeoutMeans: 'the proxies may or may not have been exchanged',
};

export class ExchangeProxies implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Exchange Proxies',
		name: 'exchangeProxies',
		...nodeBase,
		// Literal here: n8n's lint reads them from the class itself.
		icon: { light: 'file:../shared/statProxies.svg', dark: 'file:../shared/statProxies.dark.svg' },
		usableAsTool: true,
		subtitle:
			'={{ ($parameter["options"]["dryRun"] ? "Dry run: " : "Rotate ") + ($parameter["orderId"] || "") }}',
		description: DESCRIPTION,
		defaults: {
			name: 'Exchange Proxies',
		},
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
				options: sharedOptions(OPTION_WORDS, [
					{
						displayName: 'Max Exchanges Per Execution',
						name: 'maxExchangesPerExecution',
						type: 'number',
						default: DEFAULT_MAX_EXCHANGES_PER_EXECUTION,
						typeOptions: { minValue: 1, numberPrecision: 0 },
						description:
							'Most exchanges this node may make in one execution, across all its items, loops, retries, sub-workflows and AI agent tool calls (exchanges whose outcome is unknown count). Exchanges over it are refused before anything is sent.',
					},
				]),
			},
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await runAction.call(this, exchangeAction);
	}
}
