import {
	NodeOperationError,
	type ICredentialsDecrypted,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
} from 'n8n-workflow';

import type { Action, Done, Outcome, Prepared } from './action';
import { checkBaseUrl } from './baseUrl';
import { executionScope } from './executionScope';
import { itemMemory } from './itemMemory';
import { journal } from './journal';
import { keyClaims, type Claim } from './keyClaim';
import { nodeKeyStore } from './keyStore';
import { errorItem, errorJson, keyRedactor, nodeError, type Refusal } from './nodeErrors';
import { outcomesFor, type Failure } from './outcomes';
import { applyExecutionGuards, planItem, retriedBy, type Plan } from './plan';
import { send } from './transport';

interface StatProxiesCredentials {
	apiKey: string;
	baseUrl: string;
}

type Fate = { kind: 'done'; json: IDataObject } | Refusal;

/**
 * The one loop of both nodes. Every item is checked before the first request is sent:
 * without "Continue On Fail" an invalid item 2 must stop the node before items 0 and 1 are
 * bought, or fixing item 2 and running again would buy them twice. Then each item's fate is
 * decided, one after another in item order: every input item yields exactly one output item
 * (or the node stops): a result, a dry-run preview, or, with "Continue On Fail", an error item.
 */
export async function runAction(
	this: IExecuteFunctions,
	action: Action,
): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const node = this.getNode();
	const continueOnFail = this.continueOnFail();
	const outcomes = outcomesFor(action.words);
	const { guard, said } = outcomes;
	// As an AI agent's tool the model reads only the message: it also says what to do next.
	const asTool = node.type.endsWith('Tool');
	const forTheModel = asTool ? outcomes.forTheModel : undefined;
	// Every item shares the credential: a problem with it is one error for the run, named once.
	// With Continue On Fail each item still gets its error item: n8n would pass a thrown run's
	// input through to the success output, as if it had been done.
	const refuseRun = (problem: string, description: string, field: string) => {
		description = `${description} Nothing was sent to StatProxies.`;
		const message = forTheModel
			? `${problem.replace(/[.!?]?$/, '.')} ${forTheModel.invalid}`
			: problem;
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
		const { message, description } = guard.credentialUnreadable((error as Error).message);
		return refuseRun(message, description, 'credential');
	}
	const hideKey = keyRedactor(credentials.apiKey);
	const checkedUrl = checkBaseUrl(credentials.baseUrl, hideKey);
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
	const memory = itemMemory(this, node.name);
	const scope = executionScope(this, node.name);
	const where = `${this.getExecutionId() ?? ''}/${run}`;
	const keys = keyClaims(nodeKeyStore(this), guard, action.fields.key);
	const told = journal(this, action.words);
	const retried = retriedBy(this);

	const spentBefore = scope.spent();
	const plans = items.map((_, itemIndex) => planItem(this, action, outcomes, itemIndex, retried));
	const { reserved, landings } = applyExecutionGuards(plans, {
		action,
		outcomes,
		items: memory,
		scope,
		run,
		where,
		asTool,
	});

	/** The error that stops the node: n8n drops its output, so it names what was done. */
	const stopped = (fate: Refusal, itemIndex: number) => {
		const error = nodeError(node, fate, itemIndex, hideKey, forTheModel);
		const done = items.flatMap((_, item) => {
			const outcome = memory.recall(run, item)?.outcome;
			return outcome?.kind === 'done' ? [{ item, id: outcome.id }] : [];
		});
		const unknown = fate.kind === 'failed' && fate.failure.kind === 'unknown';
		// The stopping item's own unknown outcome is its message already.
		const maybe = memory.unknownItems(run).filter((item) => !unknown || item !== itemIndex);
		const soFar = outcomes.runSoFar(done, maybe, unknown, spentBefore);
		error.description = `${error.description ?? ''} ${soFar}`.trim();
		return error;
	};

	/** Tells an identical request waiting for this item how it ended. */
	const land = (itemIndex: number, outcome: Outcome) => {
		landings.get(itemIndex)?.(outcome);
		landings.delete(itemIndex);
	};

	/** Each keyed item's claim, made for the whole run at once (see keyClaim.ts). */
	let claims = new Map<string, Claim | Failure>();
	const unsettled = new Set<Claim>();

	const decide = async (plan: Plan, itemIndex: number): Promise<Fate> => {
		if (plan.kind === 'failed' || plan.kind === 'thrown') return plan;
		if (plan.kind === 'replay') return replay(plan.now, itemIndex);
		const { item } = plan;
		if (plan.kind === 'again') return again(plan.done, item);
		if (plan.kind === 'wait') {
			const outcome = await plan.flight.landed;
			if (outcome.kind === 'done') return again(outcome, item);
			return {
				kind: 'failed',
				failure: outcome.kind === 'unknown' ? guard.repeatAfterUnknown() : outcome,
			};
		}
		const request = action.request(item.ask, baseUrl);
		if (plan.kind === 'preview') {
			const shown = { ...request, url: hideKey(request.url) };
			return { kind: 'done', json: { dry_run: true, request: shown, ...item.ask } };
		}
		const asked = JSON.stringify(item.ask);
		const claim = item.key === undefined ? undefined : claims.get(item.key);
		if (claim && 'kind' in claim) {
			scope.release(item.cost);
			// A key this execution used itself is not "used by an earlier execution".
			const failure =
				claim.kind === 'duplicate' && scope.usedHere(item.key as string)
					? { ...claim, ...guard.duplicateKey(item.key as string, 'execution') }
					: claim;
			land(itemIndex, failure);
			return { kind: 'failed', failure };
		}
		if (claim) unsettled.delete(claim);
		const outcome = await send(
			this,
			action,
			said,
			item.ask,
			request,
			item.timeout,
			credential,
			hideKey,
		);
		memory.remember(run, itemIndex, asked, outcome);
		land(itemIndex, outcome);
		if (outcome.kind === 'done' || outcome.kind === 'unknown') {
			await claim?.keep();
			if (item.key !== undefined) scope.rememberKey(item.key);
		}
		if (outcome.kind === 'done') {
			scope.rememberDone(asked, outcome);
			told.done(itemIndex, outcome.id);
			return { kind: 'done', json: action.output(outcome, item.ask) };
		}
		if (outcome.kind === 'unknown') {
			scope.rememberUnknown(asked, where);
			told.unknown(itemIndex, hideKey(outcome.message));
			return { kind: 'failed', failure: outcome };
		}
		// Nothing happened: the budget and the key are free for a corrected request.
		scope.release(item.cost);
		if (claim && !(await claim.release())) {
			return {
				kind: 'failed',
				failure: { ...outcome, message: `${outcome.message}; ${guard.keyMayBeHeld()}` },
			};
		}
		return { kind: 'failed', failure: outcome };
	};

	/** The result of an identical request this execution already had, said as such. */
	const again = (done: Done, item: Prepared): Fate => {
		const json = action.output(done, item.ask);
		json.note = action.words.already(done.id);
		return { kind: 'done', json };
	};

	/** What an earlier try of this run did for the item, whatever the item asks for now. */
	const replay = (now: Plan, itemIndex: number): Fate => {
		const earlier = memory.recall(run, itemIndex) as NonNullable<ReturnType<typeof memory.recall>>;
		if (earlier.outcome.kind !== 'done') {
			return { kind: 'failed', failure: guard.earlierTryUnknown(earlier.outcome) };
		}
		const was = JSON.parse(earlier.asked) as IDataObject;
		const json = action.output(earlier.outcome, was);
		const asked = now.kind === 'send' || now.kind === 'preview' ? now.item.ask : undefined;
		if (JSON.stringify(asked) !== earlier.asked) {
			json.note = guard.parametersChanged(
				action.describe(was),
				asked ? action.describe(asked) : undefined,
			);
		}
		return { kind: 'done', json };
	};

	const output: INodeExecutionData[] = [];
	let failed = false;
	try {
		if (!continueOnFail) {
			const first = plans.findIndex((plan) => plan.kind === 'failed' || plan.kind === 'thrown');
			if (first !== -1) throw stopped(plans[first] as Refusal, first);
		}
		const keyed = plans.flatMap((plan) =>
			plan.kind === 'send' && plan.item.key !== undefined ? [plan.item.key] : [],
		);
		if (keyed.length > 0) {
			claims = await keys.claim(keyed);
			for (const claim of claims.values()) if (!('kind' in claim)) unsettled.add(claim);
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
			const error = nodeError(node, fate, itemIndex, hideKey, forTheModel);
			output.push({ json: errorItem(error, fate, itemIndex), pairedItem: { item: itemIndex } });
		}
	} finally {
		// Items that were never sent give their share of the budget back, and their keys.
		for (const cost of reserved.values()) scope.release(cost);
		for (const itemIndex of [...landings.keys()]) {
			land(itemIndex, said.notStarted('the run stopped before this item was sent'));
		}
		for (const claim of unsettled) await claim.release();
		await keys.tidy();
		if (failed) {
			scope.rememberFailedRun(
				items.flatMap((_, item) => {
					const earlier = memory.recall(run, item);
					return earlier ? [{ item, ask: earlier.asked, outcome: earlier.outcome }] : [];
				}),
			);
		}
		scope.save();
	}

	// n8n retries only a run that failed: a clean run's item memory is of no further use.
	if (!failed) memory.forgetRun(run);
	return [output];
}
