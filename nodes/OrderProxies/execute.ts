import {
	NodeOperationError,
	type ICredentialsDecrypted,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
} from 'n8n-workflow';

import { nodeMemory, type NodeMemory } from './executionMemory';
import { guard, runSoFar, type Failure } from './messages';
import { errorItem, errorJson, keyRedactor, nodeError, type Refusal } from './nodeErrors';
import { checkBaseUrl, checkOrder, type OrderBody, type ValidOrder } from './order.schema';
import { orderKeys } from './orderKey';
import { orderRequest, placeOrder, type Outcome } from './transport';

interface StatProxiesCredentials {
	apiKey: string;
	baseUrl: string;
}

/** What happens to an item: decided for all items before the first order is sent. */
type Plan =
	| { kind: 'send'; order: ValidOrder }
	| { kind: 'preview'; order: ValidOrder }
	/** An item an earlier try of this run placed, or left unknown; `now` is what it asks for today. */
	| { kind: 'replay'; now: Plan }
	| Refusal;

type Fate = { kind: 'done'; json: IDataObject } | Refusal;

/**
 * Every item is checked before the first order is sent: without "Continue On Fail" an
 * invalid item 2 must stop the node before items 0 and 1 are bought, or fixing item 2 and
 * running again would buy them twice. Then one loop decides each item's fate, ordering one
 * after another in item order: every input item yields exactly one output item (or the node
 * stops): an order, a dry-run preview, or, with "Continue On Fail", an error item.
 */
export async function orderProxies(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const node = this.getNode();
	const continueOnFail = this.continueOnFail();
	// As an AI agent's tool the model reads only the message: it also says what to do next.
	const asTool = node.type.endsWith('Tool');
	// Every item shares the credential: a problem with it is one error for the run, named once.
	// With Continue On Fail each item still gets its error item: n8n would pass a thrown run's
	// input through to the success output, as if it had been ordered.
	const refuseRun = (message: string, description: string, field: string) => {
		description = `${description} Nothing was sent to StatProxies.`;
		if (!continueOnFail) throw new NodeOperationError(node, message, { description });
		return [
			items.map((_, item) => ({
				json: errorJson({ message, description, outcome: 'invalid', field, item }),
				pairedItem: { item },
			})),
		];
	};
	let credentials: StatProxiesCredentials;
	try {
		credentials = await this.getCredentials<StatProxiesCredentials>('statProxiesApi');
	} catch (error) {
		if (!continueOnFail) throw new NodeOperationError(node, error as Error);
		const { message, description } = guard.credentialUnreadable((error as Error).message);
		return refuseRun(message, description, 'credential');
	}
	const hideKey = keyRedactor(credentials.apiKey);
	const checkedUrl = checkBaseUrl(credentials.baseUrl);
	if (!checkedUrl.ok) {
		const { message, description } = checkedUrl.problem;
		return refuseRun(hideKey(message), description, 'baseUrl');
	}
	const baseUrl = checkedUrl.value;
	// Every request of the run is signed with this credential, whose base URL was just
	// checked. Without it n8n would read and decrypt the credential again for every request
	// (measured in n8n 2.41: about 1.5 ms per item).
	const credential: ICredentialsDecrypted = {
		id: node.credentials?.statProxiesApi?.id ?? '',
		name: node.credentials?.statProxiesApi?.name ?? '',
		type: 'statProxiesApi',
		data: { ...credentials },
	};
	// Retry On Fail runs the node again under the same execution, node and run index. A tool
	// call also carries its id: two calls can never share one run's memory.
	const toolCallId = asTool ? items[0]?.json.toolCallId : undefined;
	const runIndex = this.getWorkflowDataProxy(0).$thisRunIndex;
	const run = typeof toolCallId === 'string' ? `${runIndex}/${toolCallId}` : String(runIndex);
	const memory = nodeMemory(this, node.name);
	const keys = orderKeys(this);
	const retried = retriedBy(this);

	const plans = items.map((_, itemIndex) => planItem(this, itemIndex, retried));
	const reserved = applyExecutionGuards(plans, memory, run);

	/** The error that stops the node: n8n drops its output, so it names what was bought. */
	const stopped = (fate: Refusal, itemIndex: number) => {
		const error = nodeError(node, fate, itemIndex, hideKey, asTool);
		const placed = items.flatMap((_, item) => {
			const outcome = memory.recall(run, item)?.outcome;
			return outcome?.kind === 'placed' ? [{ item, orderId: outcome.orderId }] : [];
		});
		const unknown = fate.kind === 'failed' && fate.failure.kind === 'unknown';
		error.description = `${error.description ?? ''} ${runSoFar(placed, unknown)}`.trim();
		return error;
	};

	const decide = async (plan: Plan, itemIndex: number): Promise<Fate> => {
		if (plan.kind === 'failed' || plan.kind === 'thrown') return plan;
		if (plan.kind === 'replay') return replay(plan.now, itemIndex);
		const { order } = plan;
		if (plan.kind === 'preview') {
			const request = orderRequest(order, baseUrl);
			const shown = { ...request, url: hideKey(request.url) };
			return { kind: 'done', json: { dry_run: true, request: shown, ...order.body } };
		}
		const asked = JSON.stringify(order.body);
		const key = order.orderKey;
		if (key !== undefined) {
			const claim = await keys.claim(key);
			if (claim !== 'claimed') {
				memory.release(order.body.quantity);
				return { kind: 'failed', failure: claim };
			}
		}
		const outcome = await placeOrder(this, order, baseUrl, credential);
		memory.remember(run, itemIndex, asked, outcome);
		if (outcome.kind === 'placed') return { kind: 'done', json: placedItem(outcome, order.body) };
		if (outcome.kind !== 'unknown') {
			// Nothing was bought: the budget and the key are free for a corrected order.
			memory.release(order.body.quantity);
			if (key !== undefined) await keys.release(key);
		}
		return { kind: 'failed', failure: outcome };
	};

	/** What an earlier try of this run did for the item, whatever the item asks for now. */
	const replay = (now: Plan, itemIndex: number): Fate => {
		const earlier = memory.recall(run, itemIndex) as { order: string; outcome: Outcome };
		if (earlier.outcome.kind !== 'placed') {
			return { kind: 'failed', failure: guard.earlierTryUnknown(earlier.outcome) };
		}
		const was = JSON.parse(earlier.order) as OrderBody;
		const json = placedItem(earlier.outcome, was);
		const asked = now.kind === 'send' || now.kind === 'preview' ? now.order.body : undefined;
		if (JSON.stringify(asked) !== earlier.order) json.note = guard.parametersChanged(was, asked);
		return { kind: 'done', json };
	};

	const output: INodeExecutionData[] = [];
	let failed = false;
	try {
		if (!continueOnFail) {
			const first = plans.findIndex((plan) => plan.kind === 'failed' || plan.kind === 'thrown');
			if (first !== -1) throw stopped(plans[first] as Refusal, first);
		}
		for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
			const fate = await decide(plans[itemIndex], itemIndex);
			reserved.delete(itemIndex);
			if (fate.kind === 'done') {
				output.push({ json: fate.json, pairedItem: { item: itemIndex } });
				continue;
			}
			failed = true;
			if (!continueOnFail) throw stopped(fate, itemIndex);
			const error = nodeError(node, fate, itemIndex, hideKey, asTool);
			output.push({ json: errorItem(error, fate, itemIndex), pairedItem: { item: itemIndex } });
		}
	} finally {
		// Items that were never sent give their share of the budget back.
		for (const quantity of reserved.values()) memory.release(quantity);
	}

	// n8n retries only a run that failed: a clean run's item memory is of no further use.
	if (!failed) memory.forgetRun(run);
	return [output];
}

function placedItem(
	outcome: { orderId: string; subscriptionId: string },
	body: OrderBody,
): IDataObject {
	// StatProxies uses the order id as the proxy username.
	return {
		order_id: outcome.orderId,
		subscription_id: outcome.subscriptionId,
		proxy_username: outcome.orderId,
		...body,
	};
}

/**
 * n8n's Retry button starts a new execution of a failed one, in mode "retry": no memory
 * knows what the failed execution bought. A sub-workflow that such an execution starts runs
 * in mode "integrated"; n8n 2.x hands it the root execution's mode in its additional data,
 * which is not part of the nodes' API but the only place that says so.
 */
function retriedBy(ctx: IExecuteFunctions): 'execution' | 'parent' | undefined {
	if (ctx.getMode() === 'retry') return 'execution';
	const root = (ctx as { additionalData?: { rootExecutionMode?: unknown } }).additionalData;
	return root?.rootExecutionMode === 'retry' ? 'parent' : undefined;
}

function planItem(
	ctx: IExecuteFunctions,
	itemIndex: number,
	retried: 'execution' | 'parent' | undefined,
): Plan {
	let check;
	try {
		check = checkOrder(readParameters(ctx, itemIndex));
	} catch (error) {
		// n8n's own refusals, such as an expression that does not evaluate.
		return { kind: 'thrown', error: error as Error };
	}
	if (!check.ok) {
		const { field, message, description } = check.problem;
		return {
			kind: 'failed',
			failure: {
				kind: 'invalid',
				field,
				message,
				description: `${description} Nothing was sent to StatProxies.`,
			},
		};
	}
	const order = check.value;
	if (order.dryRun) return { kind: 'preview', order };
	if (retried && !order.orderInRetries) {
		return {
			kind: 'failed',
			failure: { ...guard.retriedExecution(retried === 'parent'), field: 'orderInRetries' },
		};
	}
	return { kind: 'send', order };
}

/**
 * The guards that look beyond one item, applied in item order before anything is sent:
 * Retry On Fail replays, no repeat of an order that ended unknown in another run, one use
 * of an order key per run, and the execution's budget. Returns the quantity each item to
 * send has reserved, which it gives back if it buys nothing.
 */
function applyExecutionGuards(plans: Plan[], memory: NodeMemory, run: string) {
	const reserved = new Map<number, number>();
	const keysInRun = new Set<string>();
	for (const [itemIndex, plan] of plans.entries()) {
		// An item an earlier try placed or left unknown is never sent again, whatever it asks
		// for now (other parameters, a dry run, even invalid ones): only refused and unsent
		// items are sent again.
		if (memory.recall(run, itemIndex)) {
			plans[itemIndex] = { kind: 'replay', now: plan };
			continue;
		}
		if (plan.kind !== 'send') continue;
		const { order } = plan;
		const fail = (failure: Failure) => (plans[itemIndex] = { kind: 'failed', failure });
		if (memory.unknownElsewhere(JSON.stringify(order.body), run)) {
			fail(guard.repeatAfterUnknown());
			continue;
		}
		if (order.orderKey !== undefined) {
			if (keysInRun.has(order.orderKey)) {
				fail({ ...guard.duplicateKey(order.orderKey, true), field: 'orderKey' });
				continue;
			}
			keysInRun.add(order.orderKey);
		}
		const { quantity } = order.body;
		const budget = order.maxProxiesPerExecution;
		if (memory.spent() + quantity > budget) {
			const left = Math.max(0, budget - memory.spent());
			fail({ ...guard.overBudget(quantity, left, budget), field: 'maxProxiesPerExecution' });
			continue;
		}
		// Reserved at once, with no await in between: two tool calls running side by side
		// cannot both spend the same remainder.
		memory.reserve(quantity);
		reserved.set(itemIndex, quantity);
	}
	return reserved;
}

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
		orderKey: options.orderKey,
	};
}
