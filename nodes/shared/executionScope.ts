import type { IExecuteFunctions } from 'n8n-workflow';

import type { Done, Outcome } from './action';
import { onEnd } from './executionEnd';

/**
 * The scope of the guards that look beyond one run: Max ... Per Execution, "no identical
 * request after an unknown one" and, for an AI agent's tool, "no identical request after a
 * done one". The scope is everything one execution started, its sub-workflows and workflow
 * tools included (n8n 2.x and 1.x give a sub-execution its parent's id; a chain deeper than
 * one level is followed where this node ran in the middle), for as long as it runs; per node
 * (workflow and node name).
 *
 * Kept in two places. In this process, where an execution and its sub-workflows run, so that
 * sub-workflows add up. And in the node's context (`getContext('node')`), which n8n stores with
 * the execution when it waits and restores where it resumes, on any worker: a pause of any
 * length keeps what the node itself did. What a sub-workflow did lives in this process only.
 *
 * Forgotten when the execution ends, where n8n reports its end to this node (2.33 and later,
 * when the node runs in the top execution itself); otherwise after 24 hours without use, or,
 * the oldest first, beyond MAX_SCOPES.
 */

/** A request of the scope on its way to StatProxies, and how it ended once it has. */
export interface Flight {
	where: string;
	landed: Promise<Outcome>;
}

interface NodeState {
	/** Units (proxies, exchanges) done, unknown, or reserved by a run that is sending. */
	spent: number;
	/** An ask (as JSON) that ended unknown -> where ("<execution>/<run>"). */
	unknown: Map<string, string>;
	/** An ask (as JSON) that was done -> its result. */
	done: Map<string, Done>;
	/** Keys this scope held (claimed and used). */
	keys: Set<string>;
	/** An ask (as JSON) on its way right now (this process only) -> where, and its outcome. */
	flying: Map<string, Flight>;
	/**
	 * What runs of the node in sub-executions that failed did: "<item>|<ask>" -> the
	 * sub-execution and its outcome, for a retry of that sub-workflow.
	 */
	failed: Map<string, { execution: string; outcome: Outcome }>;
}

interface ScopeRecord {
	usedAt: number;
	/** Whether n8n will report the end of the top execution: then no idle expiry. */
	ends: boolean;
	nodes: Map<string, NodeState>;
}

/** What the node's context keeps, so that a resumed execution knows it. */
interface Saved {
	scope: string;
	spent: number;
	unknown: Array<[string, string]>;
	done: Array<[string, Done]>;
	keys: string[];
}

const MAX_SCOPES = 10_000;
const MAX_IDLE_MS = 24 * 60 * 60 * 1_000;
/** Done asks remembered per node and scope, for a tool's "already done" answer. */
const MAX_DONE = 1_000;
const SAVED = 'statProxiesScope';

const scopes = new Map<string, ScopeRecord>();
/** Execution id -> its scope, for the sub-workflows it starts. */
const tops = new Map<string, string>();

function touch<K, V>(map: Map<K, V>, key: K, value: V, max: number) {
	map.delete(key);
	map.set(key, value);
	for (const oldest of map.keys()) {
		if (map.size <= max) break;
		map.delete(oldest);
	}
}

export interface Scope {
	spent(): number;
	reserve(units: number): void;
	release(units: number): void;
	/** Whether an identical ask ended unknown somewhere else in the scope (another run or sub-workflow). */
	unknownElsewhere(ask: string, where: string): boolean;
	rememberUnknown(ask: string, where: string): void;
	doneBefore(ask: string): Done | undefined;
	rememberDone(ask: string, done: Done): void;
	usedHere(key: string): boolean;
	rememberKey(key: string): void;
	/** Keeps what a failed run did (its done and unknown items), for a retry of its sub-workflow. */
	rememberFailedRun(items: Array<{ item: number; ask: string; outcome: Outcome }>): void;
	/**
	 * What a failed run of another sub-execution of this scope did for the same item and the
	 * same request: n8n's Retry On Fail of the node that calls a sub-workflow (or an agent
	 * retrying a workflow tool) starts a new sub-execution with the same items.
	 */
	failedBefore(item: number, ask: string): Outcome | undefined;
	/** An identical request on its way from another run (a tool call side by side), if any. */
	inFlight(ask: string, where: string): Flight | undefined;
	/** Marks a request as on its way; the returned function says how it ended. */
	takeOff(ask: string, where: string): (outcome: Outcome) => void;
	/** Writes what the scope knows of this node into the node's context. */
	save(): void;
}

type ScopeContext = Pick<IExecuteFunctions, 'getExecutionId' | 'getContext' | 'getWorkflow'> &
	Partial<
		Pick<
			IExecuteFunctions,
			'getExecutionContext' | 'onExecutionFinish' | 'getExecutionCancelSignal'
		>
	>;

export function executionScope(ctx: ScopeContext, nodeName: string): Scope {
	const executionId = ctx.getExecutionId();
	const parent = ctx.getExecutionContext?.()?.parentExecutionId;
	const scope = parent ? (tops.get(parent) ?? parent) : executionId;
	const nodeKey = `${ctx.getWorkflow().id ?? ''}/${nodeName}`;
	const now = Date.now();

	if (executionId && scope) {
		touch(tops, executionId, scope, MAX_SCOPES);
		onEnd(ctx, `top:${executionId}`, () => tops.delete(executionId));
	}
	let record = scope ? scopes.get(scope) : undefined;
	if (record && !record.ends && now - record.usedAt > MAX_IDLE_MS) record = undefined;
	// Without an execution id nothing is shared: this run gets a scope of its own.
	record ??= { usedAt: now, ends: false, nodes: new Map() };
	record.usedAt = now;
	if (scope) {
		touch(scopes, scope, record, MAX_SCOPES);
		if (scope === executionId && onEnd(ctx, `scope:${scope}`, () => scopes.delete(scope))) {
			record.ends = true;
		}
	}
	let state = record.nodes.get(nodeKey);
	if (!state) {
		state = {
			spent: 0,
			unknown: new Map(),
			done: new Map(),
			keys: new Set(),
			flying: new Map(),
			failed: new Map(),
		};
		record.nodes.set(nodeKey, state);
	}
	const node = state;

	// What an earlier part of this execution saved, perhaps in another worker, before a pause.
	const context = ctx.getContext('node') as Record<string, unknown>;
	const saved = context[SAVED] as Saved | undefined;
	if (saved && saved.scope === scope) {
		node.spent = Math.max(node.spent, saved.spent);
		for (const [ask, where] of saved.unknown)
			if (!node.unknown.has(ask)) node.unknown.set(ask, where);
		for (const [ask, done] of saved.done) if (!node.done.has(ask)) node.done.set(ask, done);
		for (const key of saved.keys) node.keys.add(key);
	}

	return {
		spent: () => node.spent,
		reserve: (units) => (node.spent += units),
		release: (units) => (node.spent = Math.max(0, node.spent - units)),
		unknownElsewhere(ask, where) {
			const at = node.unknown.get(ask);
			return at !== undefined && at !== where;
		},
		rememberUnknown: (ask, where) => node.unknown.set(ask, where),
		doneBefore: (ask) => node.done.get(ask),
		rememberDone: (ask, done) => touch(node.done, ask, done, MAX_DONE),
		usedHere: (key) => node.keys.has(key),
		rememberKey: (key) => node.keys.add(key),
		rememberFailedRun(items) {
			if (!executionId || scope === executionId) return;
			for (const { item, ask, outcome } of items) {
				touch(node.failed, `${item}|${ask}`, { execution: executionId, outcome }, MAX_DONE);
			}
		},
		failedBefore(item, ask) {
			const earlier = node.failed.get(`${item}|${ask}`);
			return earlier && earlier.execution !== executionId ? earlier.outcome : undefined;
		},
		inFlight(ask, where) {
			const flight = node.flying.get(ask);
			return flight && flight.where !== where ? flight : undefined;
		},
		takeOff(ask, where) {
			let land: (outcome: Outcome) => void = () => {};
			const landed = new Promise<Outcome>((resolve) => (land = resolve));
			const flight = { where, landed };
			node.flying.set(ask, flight);
			return (outcome) => {
				if (node.flying.get(ask) === flight) node.flying.delete(ask);
				land(outcome);
			};
		},
		save() {
			if (!scope) return;
			context[SAVED] = {
				scope,
				spent: node.spent,
				unknown: [...node.unknown],
				done: [...node.done],
				keys: [...node.keys],
			} satisfies Saved;
		},
	};
}

/** For tests and benchmarks: scopes remembered. */
export function scopeCount(): number {
	return scopes.size;
}

/** For tests: what another worker, or n8n after a restart, knows of this process: nothing. */
export function forgetScopes() {
	scopes.clear();
	tops.clear();
}
