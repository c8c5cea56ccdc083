import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { Failure, Said, Words } from './outcomes';
import { absent, KeyExpressionEmpty, type Checked } from './rules';

/**
 * What a node tells the shared core: how it reads and checks an item, what it sends, what
 * counts as success, and how its messages name what it does. Everything else (the loop, the
 * guards, the memory, the keys, the transport, the errors) is the core's, alike for both nodes.
 */
export interface Action {
	words: Words;
	/** The parameters an error item names as its `field`, for the guards the core applies. */
	fields: { key: string; budget: string; inRetries: string };
	/** Reads one item's parameters and checks every rule; n8n's own errors (an expression that fails) are thrown. */
	check(ctx: IExecuteFunctions, itemIndex: number): Checked<Prepared>;
	/** The request exactly as it goes out, minus the Authorization header n8n adds from the credential. */
	request(ask: IDataObject, baseUrl: string): ApiRequest;
	/**
	 * What an answer confirmed of `ask` (the output item's fields), or undefined when it
	 * confirmed nothing: an answer about another order confirms nothing.
	 */
	confirmed(body: Record<string, unknown> | undefined, ask: IDataObject): Done | undefined;
	/** This action's own meaning of a 4xx answer, when it has one (a documented 400, an unknown order). */
	refusal?(
		said: Said,
		status: number,
		body: Record<string, unknown> | undefined,
		got: string,
	): Failure | undefined;
	/** The output item of an item that succeeded; `ask` is what was sent. */
	output(done: Done, ask: IDataObject): IDataObject;
	/** An item's request in a message: "5 × x1 for acme". */
	describe(ask: IDataObject): string;
}

/** An item that passed every rule. */
export interface Prepared {
	/** What StatProxies is asked: the body of an order, the order id of an exchange. */
	ask: IDataObject;
	/** What it spends of the execution's budget (proxies, exchanges). */
	cost: number;
	dryRun: boolean;
	/** Whether an execution started by n8n's Retry button may send it. */
	inRetries: boolean;
	timeout: number;
	/** Max ... Per Execution, in the same unit as `cost`. */
	budget: number;
	key?: string;
	/** As a tool: whether a request identical to one done earlier in the execution is sent again. */
	repeat: boolean;
}

export interface ApiRequest {
	method: 'POST';
	url: string;
	headers: Record<string, string>;
	body?: IDataObject;
}

/** What StatProxies confirmed: the fields it answered, and the id messages name it by. */
export interface Done {
	id: string;
	fields: IDataObject;
}

/** Every request ends in exactly one of these: done (confirmed), or why not (see Failure). */
export type Outcome = ({ kind: 'done' } & Done) | Failure;

/**
 * A key option (Order Key, Exchange Key) for one item, as its rule reads it: the value, or
 * KeyExpressionEmpty when the option is an expression that gave nothing for this item.
 */
export function readKey(ctx: IExecuteFunctions, options: IDataObject, name: string): unknown {
	const value = options[name];
	const raw = (ctx.getNode().parameters.options as IDataObject | undefined)?.[name];
	return typeof raw === 'string' && raw.startsWith('=') && absent(value)
		? new KeyExpressionEmpty(value)
		: value;
}
