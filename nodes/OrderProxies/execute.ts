import {
	NodeApiError,
	NodeOperationError,
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

/**
 * The one loop that decides each item's fate. Items are ordered one after another, in item
 * order, and every input item yields exactly one output item (or the node stops): an order,
 * a dry-run preview, or, with "Continue On Fail", an error item paired with its input.
 */
export async function orderProxies(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const node = this.getNode();
	const credentials = await this.getCredentials<StatProxiesCredentials>('statProxiesApi');
	const hideKey = keyRedactor(credentials.apiKey);
	// Retry On Fail runs the node again under the same execution, node and run index.
	const runIndex = this.getWorkflowDataProxy(0).$thisRunIndex;
	const memory = runMemory(this.getExecutionId(), node.name, runIndex);
	const output: INodeExecutionData[] = [];
	let failed = false;

	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		const pairedItem = { item: itemIndex };
		let fate: Fate;
		try {
			const check = checkOrder(readParameters(this, itemIndex, credentials.baseUrl));
			fate = check.ok
				? await orderOne(this, check.order, itemIndex)
				: {
						failure: invalid(check.problem.field, check.problem.rule, check.problem.received),
					};
		} catch (error) {
			// Errors n8n itself raised, such as an expression that does not evaluate.
			failed = true;
			if (!this.continueOnFail()) throw new NodeOperationError(node, error, { itemIndex });
			output.push({ json: { error: hideKey(error.message) }, pairedItem });
			continue;
		}
		if ('json' in fate) {
			output.push({ json: fate.json, pairedItem });
			continue;
		}
		failed = true;
		const failure = {
			...fate.failure,
			message: hideKey(fate.failure.message),
			description: hideKey(fate.failure.description),
		};
		if (!this.continueOnFail()) throw nodeError(node, failure, itemIndex);
		output.push({ json: errorItem(failure, itemIndex), pairedItem });
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
			return { json: { dry_run: true, request, ...request.body } };
		}
		const fingerprint = JSON.stringify(request);
		const remembered = memory.recall(itemIndex, fingerprint);
		const outcome = remembered ?? (await placeOrder(ctx, order));
		memory.remember(itemIndex, fingerprint, outcome);
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

function readParameters(ctx: IExecuteFunctions, itemIndex: number, baseUrl: string) {
	const options = ctx.getNodeParameter('options', itemIndex, {}) as IDataObject;
	return {
		quantity: ctx.getNodeParameter('quantity', itemIndex),
		productType: ctx.getNodeParameter('productType', itemIndex),
		customer: ctx.getNodeParameter('additionalFields.customer', itemIndex, ''),
		maxQuantity: options.maxQuantity,
		dryRun: options.dryRun,
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

function nodeError(node: INode, failure: ItemFailure, itemIndex: number) {
	const message = `${failure.message} [item ${itemIndex}]`;
	if (failure.kind === 'invalid') {
		return new NodeOperationError(node, message, {
			description: failure.description,
			itemIndex,
		});
	}
	// Built from plain data, never from the error the HTTP stack threw: that one carries the
	// request options, Authorization header included, into the stored execution.
	const data: JsonObject = {
		message,
		description: failure.description,
		outcome: failure.kind,
	};
	return new NodeApiError(node, data, {
		message,
		description: failure.description,
		httpCode: failure.httpCode,
		itemIndex,
	});
}

/** json.error plus details: n8n routes such items to the error output when there is one. */
function errorItem(failure: ItemFailure, itemIndex: number): IDataObject {
	const details: IDataObject = {
		outcome: failure.kind,
		description: failure.description,
		item: itemIndex,
	};
	if (failure.field) details.field = failure.field;
	if (failure.httpCode) details.http_code = failure.httpCode;
	return { error: `${failure.message} [item ${itemIndex}]`, details };
}

function keyRedactor(apiKey: string | undefined) {
	const key = typeof apiKey === 'string' ? apiKey.trim() : '';
	// A very short "key" would blank out ordinary words; such a key is refused by StatProxies anyway.
	if (key.length < 8) return (text: string) => text;
	return (text: string) => text.split(key).join('***');
}
