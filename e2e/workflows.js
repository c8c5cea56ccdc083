'use strict';
// Builders for the suite's own workflows: Manual Trigger -> (Items) -> Order Proxies ->
// (downstream nodes), with fixed ids so that `n8n execute --id` can run them.
const { SANDBOX_CREDENTIAL } = require('./lib/local-instance');

const ORDER_NODE = 'Order Proxies';

function node(name, type, typeVersion, x, parameters, extra = {}) {
	return {
		id: `${name}-${x}`.replace(/\W+/g, '-'),
		name,
		type,
		typeVersion,
		position: [x, 0],
		parameters,
		...extra,
	};
}

function link(to, index = 0) {
	return { node: to, type: 'main', index };
}

/**
 * @param {string} id at most 21 characters (n8n's limit for a CLI-run workflow id)
 * @param {object} spec
 * @param {object} [spec.parameters] Order Proxies parameters
 * @param {object[]} [spec.items] input items' json, emitted by a Code node named "Items"
 * @param {{id, name}} [spec.credential]
 * @param {object} [spec.settings] node settings such as onError, retryOnFail, maxTries
 * @param {boolean} [spec.errorBranch] adds "Orders" (success) and "Failures" (error output)
 */
function orderWorkflow(
	id,
	{ parameters, items, credential = SANDBOX_CREDENTIAL, settings = {}, errorBranch = false },
) {
	if (id.length > 21) throw new Error(`Workflow id "${id}" is longer than 21 characters`);
	const nodes = [node('Start', 'n8n-nodes-base.manualTrigger', 1, 0, {})];
	const connections = {};
	let previous = 'Start';
	if (items) {
		const jsCode = `return ${JSON.stringify(items.map((json) => ({ json })))};`;
		nodes.push(node('Items', 'n8n-nodes-base.code', 2, 200, { jsCode }));
		connections.Start = { main: [[link('Items')]] };
		previous = 'Items';
	}
	nodes.push(
		node(
			ORDER_NODE,
			'n8n-nodes-statproxies.orderProxies',
			1,
			400,
			{ additionalFields: {}, options: {}, ...parameters },
			{
				credentials: { statProxiesApi: { id: credential.id, name: credential.name } },
				...settings,
			},
		),
	);
	connections[previous] = { main: [[link(ORDER_NODE)]] };
	if (errorBranch) {
		nodes.push(node('Orders', 'n8n-nodes-base.noOp', 1, 600, {}));
		// Reads the input item through pairedItem: it only resolves if the node paired its
		// error items with the items they came from.
		nodes.push(
			node('Failures', 'n8n-nodes-base.set', 3.4, 800, {
				assignments: {
					assignments: [
						{ id: 'f1', name: 'error', value: '={{ $json.error }}', type: 'string' },
						{
							id: 'f2',
							name: 'input_customer',
							value: "={{ $('Items').item.json.customer }}",
							type: 'string',
						},
					],
				},
				options: {},
			}),
		);
		connections[ORDER_NODE] = { main: [[link('Orders')], [link('Failures')]] };
	}
	return {
		id,
		name: `e2e ${id}`,
		active: false,
		nodes,
		connections,
		settings: { executionOrder: 'v1' },
		pinData: {},
	};
}

module.exports = { ORDER_NODE, orderWorkflow };
