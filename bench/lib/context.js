'use strict';
// The smallest host that runs the BUILT node inside n8n-core's real ExecuteContext: the same
// object n8n hands to every node, with n8n-core's own request helpers (axios, agents,
// authentication), and the same host as the jest suites (test/harness/host.js). It loads
// dist/ exactly as n8n does, without a compile step in between.
const path = require('node:path');
const { ExecuteContext } = require('n8n-core');
const { createRunExecutionData, Workflow } = require('n8n-workflow');
const host = require('../../test/harness/host');

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
	const additionalData = host.additionalData({
		credential,
		credentialId: CREDENTIAL.id,
		credentialType,
		executionId,
		workflow,
		mode: 'manual',
	});
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
