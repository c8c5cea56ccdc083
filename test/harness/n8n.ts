import { ExecuteContext, WorkflowExecute } from 'n8n-core';
import {
	createRunExecutionData,
	Workflow,
	type IDataObject,
	type INode,
	type INodeExecutionData,
	type INodeParameters,
	type INodeType,
	type INodeTypes,
	type IRun,
	type IRunExecutionData,
	type IWorkflowExecuteAdditionalData,
	type WorkflowExecuteMode,
} from 'n8n-workflow';

import { StatProxiesApi } from '../../credentials/StatProxiesApi.credentials';
import './deduplication';
import * as host from './host';
import {
	EXCHANGE_PROXIES_TYPE,
	nodeTypes,
	ORDER_PROXIES_TOOL_TYPE,
	ORDER_PROXIES_TYPE,
	SINK_TYPE,
} from './nodeTypes';

export const NODE_NAME = 'Order Proxies';
export const EXCHANGE_NODE_NAME = 'Exchange Proxies';
export const credentialType = new StatProxiesApi();
export const CREDENTIAL = { id: 'statproxies-test', name: 'StatProxies sandbox' };

export interface StatProxiesCredential {
	apiKey: string;
	baseUrl: string;
}

/** n8n's settings on a node: Settings > Retry On Fail, On Error. */
export type NodeSettings = Pick<INode, 'retryOnFail' | 'maxTries' | 'waitBetweenTries' | 'onError'>;

export interface RunOptions {
	credential: StatProxiesCredential;
	parameters: INodeParameters;
	/** The items that reach Order Proxies (json only). */
	items?: IDataObject[];
	settings?: NodeSettings;
	executionId?: string;
	/** How n8n started the execution: 'retry' is the executions list's Retry button. */
	mode?: WorkflowExecuteMode;
	/** For a sub-workflow: how n8n started the execution at the top of the chain. */
	rootMode?: WorkflowExecuteMode;
	/** Run the node as an AI agent's tool (the type n8n derives with `usableAsTool`). */
	asTool?: boolean;
	/** Which run of the node this is (tool calls and loops run a node again in one execution). */
	runIndex?: number;
	/** The node has no credential selected (as after the credential was deleted). */
	noCredential?: boolean;
	/**
	 * The execution's stored data, shared between runs of one execution (its node context
	 * survives a Wait and a resume elsewhere), and the parent of a sub-execution.
	 */
	runData?: IRunExecutionData;
	parentExecutionId?: string;
	/** Like n8n 1.x: the node cannot learn when the execution ends, and has no `this.customData`. */
	like1x?: boolean;
	/** n8n's Stop button: the execution's cancel signal. */
	signal?: AbortSignal;
	/** Which of the package's nodes runs: Order Proxies unless said. */
	exchange?: boolean;
	/** Another node of the same type in the workflow (its own name). */
	nodeName?: string;
	/**
	 * Filled with what ends this run's engine: n8n's "execution finished" hook, as n8n fires
	 * it at the end of an execution (a Wait moved to the database never fires the engine's).
	 */
	engine?: { end?: () => Promise<void> };
}

let executions = 0;

/** The additional data of one execution whose only credential is `credential`. */
export function additionalData(
	credential: StatProxiesCredential,
	executionId: string,
	workflow: Workflow,
	mode: WorkflowExecuteMode,
	rootExecutionMode?: WorkflowExecuteMode,
): IWorkflowExecuteAdditionalData {
	return host.additionalData({
		credential,
		credentialId: CREDENTIAL.id,
		credentialType,
		executionId,
		workflow,
		mode,
		rootExecutionMode,
	}) as unknown as IWorkflowExecuteAdditionalData;
}

/** Order Proxies as a workflow holds it, with the sandbox credential selected. */
export function orderNode(
	parameters: INodeParameters,
	settings: NodeSettings = {},
	asTool = false,
	noCredential = false,
	exchange = false,
): INode {
	const type = exchange ? EXCHANGE_PROXIES_TYPE : ORDER_PROXIES_TYPE;
	return {
		id: exchange ? 'exchange-proxies' : 'order-proxies',
		name: exchange ? EXCHANGE_NODE_NAME : NODE_NAME,
		type: asTool && !exchange ? ORDER_PROXIES_TOOL_TYPE : asTool ? `${type}Tool` : type,
		typeVersion: 1,
		position: [0, 0],
		parameters,
		credentials: noCredential ? {} : { [credentialType.name]: CREDENTIAL },
		...settings,
	};
}

export interface WorkflowRun {
	run: IRun;
	/** Order Proxies' main output (its last run). */
	output: INodeExecutionData[];
	/** What reached the node after the success output / the error output. */
	succeeded: INodeExecutionData[];
	failed: INodeExecutionData[];
	/** The execution's error, as n8n stores it, when it failed. */
	error?: IRun['data']['resultData']['error'];
}

/**
 * Runs Order Proxies as a workflow through n8n-core's WorkflowExecute: the engine n8n runs,
 * with its real Retry On Fail, Continue On Fail and error-output handling. Two downstream
 * nodes receive the success and (when On Error routes there) the error output.
 */
export async function runWorkflow(options: RunOptions): Promise<WorkflowRun> {
	const node = orderNode(
		options.parameters,
		options.settings,
		options.asTool,
		options.noCredential,
		options.exchange,
	);
	const sinks: INode[] = ['Succeeded', 'Failed'].map((name, index) => ({
		id: `sink-${index}`,
		name,
		type: SINK_TYPE,
		typeVersion: 1,
		position: [200, index * 200],
		parameters: {},
	}));
	const withErrorOutput = options.settings?.onError === 'continueErrorOutput';
	const workflow = new Workflow({
		id: 'statproxies-test',
		name: 'StatProxies test',
		nodes: [node, ...sinks],
		connections: {
			[node.name]: {
				main: [
					[{ node: 'Succeeded', type: 'main', index: 0 }],
					...(withErrorOutput ? [[{ node: 'Failed', type: 'main' as const, index: 0 }]] : []),
				],
			},
		},
		active: false,
		nodeTypes: nodeTypes as INodeTypes,
		settings: { executionOrder: 'v1' },
	});
	const executionId = options.executionId ?? `test-execution-${++executions}`;
	const items = (options.items ?? [{}]).map((json) => ({ json }));
	const runData = createRunExecutionData({
		executionData: {
			nodeExecutionStack: [{ node, data: { main: [items] }, source: null }],
		},
	});
	const mode = options.mode ?? 'manual';
	const data = additionalData(options.credential, executionId, workflow, mode, options.rootMode);
	const run = await new WorkflowExecute(data, mode, runData).processRunExecutionData(workflow);
	const mainOf = (name: string) => {
		const runs = run.data.resultData.runData[name];
		return runs?.[runs.length - 1]?.data?.main?.[0] ?? [];
	};
	return {
		run,
		output: mainOf(node.name),
		succeeded: mainOf('Succeeded'),
		failed: mainOf('Failed'),
		error: run.data.resultData.error,
	};
}

/**
 * Calls the node's real execute() inside n8n-core's ExecuteContext, the object n8n hands to
 * every node, without the workflow engine around it (no retries, no error routing).
 */
export async function executeNode(options: RunOptions & { continueOnFail?: boolean }) {
	const node = orderNode(
		options.parameters,
		{
			...options.settings,
			...(options.continueOnFail ? { onError: 'continueRegularOutput' as const } : {}),
		},
		options.asTool,
		false,
		options.exchange,
	);
	if (options.nodeName) node.name = options.nodeName;
	const workflow = new Workflow({
		id: 'statproxies-test',
		nodes: [node],
		connections: {},
		active: false,
		nodeTypes: nodeTypes as INodeTypes,
	});
	const executionId = options.executionId ?? `test-execution-${++executions}`;
	const items = (options.items ?? [{}]).map((json) => ({ json }));
	const inputData = { main: [items] };
	const runData = options.runData ?? createRunExecutionData();
	if (options.parentExecutionId) {
		runData.executionData ??= createRunExecutionData().executionData;
		(runData.executionData as { runtimeData?: object }).runtimeData = {
			version: 1,
			establishedAt: Date.now(),
			source: 'integrated',
			parentExecutionId: options.parentExecutionId,
		};
	}
	const data = additionalData(
		options.credential,
		executionId,
		workflow,
		options.mode ?? 'manual',
		options.rootMode,
	);
	if (options.engine) {
		options.engine.end = async () =>
			await data.hooks?.runHook('workflowExecuteAfter', [
				{ status: 'success', data: runData } as never,
			]);
	}
	const context = new ExecuteContext(
		workflow,
		node,
		data,
		options.mode ?? 'manual',
		runData,
		options.runIndex ?? 0,
		items,
		inputData,
		{ node, data: inputData, source: null },
		[],
		options.signal,
	);
	if (options.like1x) {
		(context as { onExecutionFinish?: unknown }).onExecutionFinish = undefined;
		Object.defineProperty(context, 'customData', { value: undefined });
	}
	const nodeType = nodeTypes.getByName(node.type) as INodeType;
	const result = await nodeType.execute!.call(context);
	return (result as INodeExecutionData[][])[0];
}
