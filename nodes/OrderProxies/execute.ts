import {
	NodeApiError,
	NodeOperationError,
	type ICredentialsDecrypted,
	type IDataObject,
	type IExecuteFunctions,
	type INode,
	type INodeExecutionData,
	type JsonObject,
} from 'n8n-workflow';

import { checkOrder, FIELD_FIXES, type OrderField, type ValidOrder } from './order.schema';
import { runMemory } from './retryMemory';
import { orderRequest, placeOrder, type Failure } from './transport';

interface StatProxiesCredentials {
	apiKey: string;
	baseUrl: string;
}

type ItemFailure = (Failure | { kind: 'invalid'; message: string; description: string }) & {
	field?: OrderField;
	httpCode?: string;
};

type Fate = { json: IDataObject } | { failure: ItemFailure };

/** An item refused by the order rules, or by n8n itself (an expression that fails). */
type Refused = { failure: ItemFailure } | { thrown: Error };

/** An item after validation. */
type Checked = { order: ValidOrder } | Refused;

/**
 * Every item is validated before the first order is sent: without "Continue On Fail" an
 * invalid item 2 must stop the node before items 0 and 1 are bought, or fixing item 2 and
 * running again would buy them twice. Then one loop decides each item's fate, ordering one
 * after another in item order: every input item yields exactly one output item (or the node
 * stops): an order, a dry-run preview, or, with "Continue On Fail", an error item.
 */
export async function orderProxies(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const node = this.getNode();
	const continueOnFail = this.continueOnFail();
	const credentials = await this.getCredentials<StatProxiesCredentials>('statProxiesApi');
	const hideKey = keyRedactor(credentials.apiKey);
	// Every request of the run is signed with this credential, whose base URL is the one
	// checked below. Without it n8n would read and decrypt the credential again for every
	// request (measured in n8n 2.41: about 1.5 ms per item).
	const credential: ICredentialsDecrypted = {
		id: node.credentials?.statProxiesApi?.id ?? '',
		name: node.credentials?.statProxiesApi?.name ?? '',
		type: 'statProxiesApi',
		data: { ...credentials },
	};
	// Retry On Fail runs the node again under the same execution, node and run index.
	const runIndex = this.getWorkflowDataProxy(0).$thisRunIndex;
	const memory = runMemory(this.getExecutionId(), node.name, runIndex);

	// n8n's Retry button starts a new execution of a failed one: no memory knows what the
	// failed execution bought, and it runs this node again with all its items.
	const isRetry = this.getMode() === 'retry';
	const checked = items.map((_, itemIndex) =>
		checkItem(this, itemIndex, credentials.baseUrl, isRetry),
	);
	if (!continueOnFail) {
		for (const [itemIndex, item] of checked.entries()) {
			if (!('order' in item)) throw refusal(node, item, itemIndex, hideKey);
		}
	}

	const output: INodeExecutionData[] = [];
	let failed = false;
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		const item = checked[itemIndex];
		const fate: Fate | Refused =
			'order' in item ? await orderOne(this, item.order, itemIndex) : item;
		if ('json' in fate) {
			output.push({ json: fate.json, pairedItem: { item: itemIndex } });
			continue;
		}
		failed = true;
		const error = refusal(node, fate, itemIndex, hideKey);
		if (!continueOnFail) {
			// n8n drops the output of a node that stops: the error is all the user sees of the
			// orders this run already placed, so it must name them.
			const unknown = 'failure' in fate && fate.failure.kind === 'unknown';
			error.description = `${error.description ?? ''} ${runSoFar(output, unknown)}`.trim();
			throw error;
		}
		output.push({ json: errorItem(error, fate, itemIndex), pairedItem: { item: itemIndex } });
	}

	// n8n retries only a run that failed: a clean run's memory is of no further use.
	if (!failed) memory.forget();
	return [output];

	async function orderOne(
		ctx: IExecuteFunctions,
		order: ValidOrder,
		itemIndex: number,
	): Promise<Fate> {
		const request = orderRequest(order);
		if (order.dryRun) {
			return {
				json: {
					dry_run: true,
					request: { ...request, url: hideKey(request.url) },
					...request.body,
				},
			};
		}
		const fingerprint = JSON.stringify(request);
		const remembered = memory.recall(itemIndex, fingerprint);
		const outcome = remembered ?? (await placeOrder(ctx, order, credential));
		if (!remembered) memory.remember(itemIndex, fingerprint, outcome);
		if (outcome.kind === 'placed') {
			return {
				json: {
					order_id: outcome.orderId,
					subscription_id: outcome.subscriptionId,
					// StatProxies uses the order id as the proxy username.
					proxy_username: outcome.orderId,
					...order.body,
				},
			};
		}
		if (remembered) {
			return {
				failure: {
					...outcome,
					description: `An earlier try of this run already sent this order and could not tell whether it was placed, so it was not sent again. ${outcome.description}`,
				},
			};
		}
		return { failure: outcome };
	}
}

function checkItem(
	ctx: IExecuteFunctions,
	itemIndex: number,
	baseUrl: string,
	isRetry: boolean,
): Checked {
	let check;
	try {
		check = checkOrder(readParameters(ctx, itemIndex, baseUrl));
	} catch (error) {
		// n8n's own refusals, such as an expression that does not evaluate.
		return { thrown: error };
	}
	if (!check.ok) {
		return { failure: invalid(check.problem.field, check.problem.rule, check.problem.received) };
	}
	if (isRetry && !check.order.dryRun && !check.order.orderInRetries) {
		return { failure: RETRY_REFUSAL };
	}
	return { order: check.order };
}

const RETRY_REFUSAL: ItemFailure = {
	kind: 'not_sent',
	field: 'orderInRetries',
	message: "Not ordered: this execution is a retry of a failed one (n8n's Retry button)",
	description:
		"The node cannot see what the failed execution already bought, so ordering again could buy those items twice. Read the failed execution's error (it lists the orders it placed) and check your StatProxies dashboard. Then run the workflow from its trigger with only the items still needed, or turn on Options > Order In Retried Executions. Nothing was sent to StatProxies.",
};

function readParameters(ctx: IExecuteFunctions, itemIndex: number, baseUrl: string) {
	const options = ctx.getNodeParameter('options', itemIndex, {}) as IDataObject;
	return {
		quantity: ctx.getNodeParameter('quantity', itemIndex),
		productType: ctx.getNodeParameter('productType', itemIndex),
		customer: ctx.getNodeParameter('additionalFields.customer', itemIndex, ''),
		maxQuantity: options.maxQuantity,
		dryRun: options.dryRun,
		orderInRetries: options.orderInRetries,
		timeout: options.timeout,
		baseUrl,
	};
}

function invalid(field: OrderField, rule: string, received: unknown): ItemFailure {
	return {
		kind: 'invalid',
		field,
		message: `${rule} (received ${describeValue(received)})`,
		description: `${FIELD_FIXES[field]} Nothing was sent to StatProxies.`,
	};
}

function describeValue(value: unknown): string {
	if (value === undefined) return 'no value';
	if (typeof value === 'number') return String(value);
	// A URL may carry a user:password part: never echo it.
	const text = (JSON.stringify(value) ?? String(value)).replace(/\/\/[^/@\s]*@/g, '//***@');
	return text.length > 80 ? `${text.slice(0, 80)}...` : text;
}

/** The n8n error for a failed item: what the user sees when the node stops on it. */
function refusal(
	node: INode,
	fate: Refused,
	itemIndex: number,
	hideKey: (text: string) => string,
): NodeOperationError | NodeApiError {
	if ('thrown' in fate) {
		const thrown = fate.thrown as Error & { description?: string | null };
		const error = new NodeOperationError(node, thrown, {
			itemIndex,
			description: `${thrown.description ?? 'Fix the parameter or expression for this item.'} Nothing was sent to StatProxies.`,
		});
		error.message = `${hideKey(thrown.message)} [item ${itemIndex}]`;
		return error;
	}
	const message = `${hideKey(fate.failure.message)} [item ${itemIndex}]`;
	const description = hideKey(fate.failure.description);
	if (fate.failure.kind === 'invalid') {
		return new NodeOperationError(node, message, { description, itemIndex });
	}
	// Built from plain data, never from the error the HTTP stack threw: that one carries the
	// request options, Authorization header included, into the stored execution.
	const data: JsonObject = { message, description, outcome: fate.failure.kind };
	const error = new NodeApiError(node, data, {
		message,
		description,
		httpCode: fate.failure.httpCode,
		itemIndex,
	});
	// NodeApiError swaps a message that mentions a socket error code (ECONNRESET...) for a
	// generic one, which for an unknown outcome even invites an immediate retry.
	error.message = message;
	return error;
}

/** json.error plus details: n8n routes such items to the error output when there is one. */
function errorItem(
	error: Error & { description?: string | null },
	fate: Refused,
	itemIndex: number,
): IDataObject {
	const details: IDataObject = {
		outcome: 'thrown' in fate ? 'invalid' : fate.failure.kind,
		description: error.description ?? '',
		item: itemIndex,
	};
	if ('failure' in fate && fate.failure.field) details.field = fate.failure.field;
	if ('failure' in fate && fate.failure.httpCode) details.http_code = fate.failure.httpCode;
	return { error: error.message, details };
}

/** What a run that stops has bought so far, in the words its error description ends with. */
function runSoFar(output: INodeExecutionData[], stoppedOnUnknown: boolean): string {
	const placed = output.filter((item) => typeof item.json.order_id === 'string');
	if (placed.length === 0) {
		return stoppedOnUnknown
			? ''
			: 'Nothing was ordered in this run, so it is safe to fix this and run again.';
	}
	const list = placed.map(
		(item) => `item ${(item.pairedItem as { item: number }).item} (${item.json.order_id})`,
	);
	return `Before it stopped, this run already ordered ${list.join(', ')}: those were bought. Running the workflow again with the same items buys them again.`;
}

function keyRedactor(apiKey: string | undefined) {
	const key = typeof apiKey === 'string' ? apiKey.trim() : '';
	// A very short "key" would blank out ordinary words; such a key is refused by StatProxies anyway.
	if (key.length < 8) return (text: string) => text;
	return (text: string) => text.split(key).join('***');
}
