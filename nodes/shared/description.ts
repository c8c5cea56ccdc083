import { NodeConnectionTypes, type INodeProperties, type INodeTypeDescription } from 'n8n-workflow';

import { DEFAULT_TIMEOUT_MS } from './rules';

/**
 * What both nodes' descriptions share (the icon and usableAsTool too, but n8n's lint reads
 * those from each node's class).
 */
export const nodeBase = {
	group: ['output'],
	version: 1,
	inputs: [NodeConnectionTypes.Main],
	outputs: [NodeConnectionTypes.Main],
	credentials: [{ name: 'statProxiesApi', required: true }],
} satisfies Partial<INodeTypeDescription>;

/** How a node names what it does, in its options. */
export interface OptionWords {
	/** "Order", "Exchange": "Order Key", "Order In Retried Executions". */
	Thing: string;
	/** "order", "exchange" */
	thing: string;
	/** "nothing is bought", "no IP changes" */
	nothingHappens: string;
	/** "bought", "exchanged": what the failed execution already did. */
	done: string;
	/** "buy those items", "exchange those proxies" */
	again: string;
	/** The identical request a tool would repeat, what repeating it is, and what it would cost. */
	identical: string;
	doneAgain: string;
	repeatCost: string;
	/** The key's placeholder and what to use it for. */
	keyPlaceholder: string;
	keyUse: string;
	/** "the order may or may not exist", "the proxies may or may not have been exchanged" */
	timeoutMeans: string;
}

/**
 * The options both nodes have, worded for one of them: Dry Run, ... In Retried Executions,
 * the key, Repeat Identical ... as a Tool, Timeout. Each node adds its limits; the list is
 * sorted as n8n's editor lists a collection.
 */
export function sharedOptions(w: OptionWords, limits: INodeProperties[]): INodeProperties[] {
	const options: INodeProperties[] = [
		{
			displayName: 'Dry Run',
			name: 'dryRun',
			type: 'boolean',
			default: false,
			description: `Whether to only validate and show the request that would be sent, without sending it (${w.nothingHappens})`,
		},
		{
			displayName: `${w.Thing} In Retried Executions`,
			name: `${w.thing}InRetries`,
			type: 'boolean',
			default: false,
			description: `Whether to ${w.thing} when the execution was started by n8n's Retry button. Off by default: the node cannot see what the failed execution already ${w.done}, so a retry could ${w.again} again.`,
		},
		{
			displayName: `${w.Thing} Key`,
			name: `${w.thing}Key`,
			type: 'string',
			default: '',
			placeholder: w.keyPlaceholder,
			description: `At most one ${w.thing} per key, across executions, workers and restarts (kept in n8n's database). ${w.keyUse} Empty: no key.`,
		},
		{
			displayName: `Repeat Identical ${w.Thing}s as a Tool`,
			name: 'repeatIdentical',
			type: 'boolean',
			default: false,
			description: `Whether, as an AI agent's tool, ${w.identical} is ${w.doneAgain}. Off: the agent gets the earlier ${w.thing} back. An agent that retries after an error, or repeats itself, would otherwise ${w.repeatCost}.`,
		},
		{
			displayName: 'Timeout (Milliseconds)',
			name: 'timeout',
			type: 'number',
			default: DEFAULT_TIMEOUT_MS,
			typeOptions: { minValue: 1000, numberPrecision: 0 },
			description: `How long to wait for StatProxies, in milliseconds. When it runs out, ${w.timeoutMeans}: the node says so and does not send it again.`,
		},
		...limits,
	];
	return options.sort((a, b) => a.displayName.localeCompare(b.displayName));
}
