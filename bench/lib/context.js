'use strict';
// The smallest host that runs the BUILT node inside n8n-core's real ExecuteContext: the same
// object n8n hands to every node, with n8n-core's own request helpers (axios, agents,
// authentication). A JS twin of test/harness/n8n.ts (which is TypeScript, run by ts-jest):
// the benchmark loads dist/ exactly as n8n does, without a compile step in between.
const path = require('node:path');
const { ExecuteContext, ExecutionLifecycleHooks } = require('n8n-core');
const {
	createRunExecutionData,
	ICredentialsHelper,
	isExpression,
	Workflow,
} = require('n8n-workflow');

const REPO = path.join(__dirname, '..', '..');
// The built package to measure: this repository's dist/ unless BENCH_PACKAGE_DIR names another
// build (a scratch copy with a prototyped change, for example).
const ROOT = process.env.BENCH_PACKAGE_DIR ? path.resolve(process.env.BENCH_PACKAGE_DIR) : REPO;
const ORDER_PROXIES_TYPE = 'n8n-nodes-statproxies.orderProxies';
const CREDENTIAL = { id: 'statproxies-bench', name: 'StatProxies sandbox' };

/** Other builds named by BENCH_COMPARE="name=dir,...", to measure side by side with ROOT. */
function comparedPackages() {
	return (process.env.BENCH_COMPARE || '')
		.split(',')
		.filter(Boolean)
		.map((entry) => {
			const [name, dir] = entry.split('=');
			return { name, dir: path.resolve(dir) };
		});
}

const packages = new Map();
/** The node and credential type of the package built in `dir`. */
function loadPackage(dir = ROOT) {
	if (!packages.has(dir)) {
		const { OrderProxies } = require(
			path.join(dir, 'dist/nodes/OrderProxies/OrderProxies.node.js'),
		);
		const { StatProxiesApi } = require(
			path.join(dir, 'dist/credentials/StatProxiesApi.credentials.js'),
		);
		const node = new OrderProxies();
		packages.set(dir, {
			dir,
			node,
			credentialType: new StatProxiesApi(),
			nodeTypes: {
				getByName: () => node,
				getByNameAndVersion: () => node,
				getKnownTypes: () => ({}),
			},
		});
	}
	return packages.get(dir);
}

/**
 * What n8n's CredentialsHelper (packages/cli) does: hand out the stored data; authenticate by
 * calling the credential's function, or by resolving each value of its generic block with the
 * workflow's expression engine.
 */
class BenchCredentialsHelper extends ICredentialsHelper {
	constructor(data, credentialType) {
		super();
		this.data = data;
		this.credentialType = credentialType;
	}
	async getDecrypted() {
		return { ...this.data };
	}
	async authenticate(credentials, typeName, requestOptions, workflow, node) {
		const { authenticate } = this.credentialType;
		if (typeof authenticate === 'function') return await authenticate(credentials, requestOptions);
		const resolve = (value) =>
			isExpression(value)
				? String(
						workflow.expression.getSimpleParameterValue(
							node,
							value,
							'internal',
							{ $credentials: credentials },
							undefined,
							'',
						) ?? '',
					)
				: value;
		for (const [target, entries] of Object.entries(authenticate.properties)) {
			const bag = (requestOptions[target] ??= {});
			for (const [key, value] of Object.entries(entries)) bag[resolve(key)] = resolve(value);
		}
		return requestOptions;
	}
	async preAuthentication() {
		return undefined;
	}
	getParentTypes() {
		return [];
	}
	isCredentialUsableByNode() {
		return true;
	}
	getCredentialsProperties() {
		return this.credentialType.properties;
	}
}

let executions = 0;

/**
 * An ExecuteContext for one Order Proxies node with `parameters`, fed `items` (json only).
 * @returns {{ context: object, run: () => Promise<object[]> }} run() calls the node's execute().
 */
function orderProxiesContext({ credential, parameters, items, packageDir = ROOT }) {
	const { node: orderProxies, credentialType, nodeTypes } = loadPackage(packageDir);
	const node = {
		id: 'order-proxies',
		name: 'Order Proxies',
		type: ORDER_PROXIES_TYPE,
		typeVersion: 1,
		position: [0, 0],
		parameters,
		credentials: { [credentialType.name]: CREDENTIAL },
	};
	const workflow = new Workflow({
		id: 'statproxies-bench',
		nodes: [node],
		connections: {},
		active: false,
		nodeTypes,
	});
	const executionId = `bench-${++executions}`;
	const workflowData = {
		id: workflow.id,
		name: 'bench',
		active: false,
		nodes: [node],
		connections: {},
	};
	const additionalData = {
		credentialsHelper: new BenchCredentialsHelper({ ...credential }, credentialType),
		hooks: new ExecutionLifecycleHooks('manual', executionId, workflowData),
		executionId,
		currentNodeExecutionIndex: 0,
		variables: {},
		restApiUrl: 'http://127.0.0.1/rest',
		instanceBaseUrl: 'http://127.0.0.1/',
		webhookBaseUrl: 'http://127.0.0.1/webhook',
		webhookWaitingBaseUrl: 'http://127.0.0.1/webhook-waiting',
		webhookTestBaseUrl: 'http://127.0.0.1/webhook-test',
		formWaitingBaseUrl: 'http://127.0.0.1/form-waiting',
		logAiEvent: () => {},
		getRunExecutionData: async () => undefined,
	};
	const wrapped = items.map((json) => ({ json }));
	const inputData = { main: [wrapped] };
	const context = new ExecuteContext(
		workflow,
		node,
		additionalData,
		'manual',
		createRunExecutionData(),
		0,
		wrapped,
		inputData,
		{ node, data: inputData, source: null },
		[],
	);
	return {
		context,
		run: async () => (await orderProxies.execute.call(context))[0],
	};
}

module.exports = { orderProxiesContext, loadPackage, comparedPackages, CREDENTIAL, ROOT, REPO };
